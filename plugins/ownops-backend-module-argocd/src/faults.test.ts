import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { DeployRequest } from '@ownops/backstage-plugin-node';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { everyText } from '@ownops/backstage-plugin-node/testUtils';
import { randomUUID } from 'node:crypto';
import {
  APP_URL,
  ARGOCD_URL,
  TOKEN,
  application,
  entity,
  requested,
} from './__fixtures__/applications';
import { ArgoCdDeployTarget } from './ArgoCdDeployTarget';

const server = setupServer();
registerMswTestHooks(server);

jest.setTimeout(30_000);

const SHA = 'c0ffee00d15ea5e5bada55deadbeef0123456789';
const signal = new AbortController().signal;
const request: DeployRequest = {
  deploymentId: 12,
  kind: 'deploy',
  entity: entity(),
  entityRef: 'component:default/checkout',
  environment: 'staging',
  version: 'v1.6.0',
};

type Answer = () => Response | Promise<Response>;
const argoError = (status: number, message: string, headers = {}) =>
  HttpResponse.json({ error: message, code: 14, message }, { status, headers });

/** Argo CD answering GET application with the answers in turn (the last repeated), and syncs. */
function argoCd(...answers: Answer[]) {
  const calls = { get: 0, sync: 0 };
  server.use(
    http.get(APP_URL, () => {
      const answer = answers[Math.min(calls.get, answers.length - 1)];
      calls.get += 1;
      return answer();
    }),
    http.post(`${APP_URL}/sync`, () => {
      calls.sync += 1;
      return HttpResponse.json(requested(SHA));
    }),
  );
  return calls;
}

function setup(token = TOKEN) {
  const logger = mockServices.logger.mock();
  const target = new ArgoCdDeployTarget(
    {
      id: 'argocd-staging',
      baseUrl: ARGOCD_URL,
      token,
      waitForHealthy: true,
      timeoutMs: 200,
    },
    { logger },
  );
  const lines: string[] = [];
  const context = {
    signal,
    log: {
      info: (m: string) => lines.push(m),
      error: (m: string) => lines.push(m),
    },
  };
  return { target, context, lines, logger };
}

const ok = () => HttpResponse.json(application());
const APP =
  'GET https://argocd\\.example\\.com/api/v1/applications/checkout-staging';

describe('Argo CD faults', () => {
  it.each<[string, Answer[], RegExp]>([
    [
      'a 5xx, then the answer',
      [() => argoError(503, 'upstream connect error'), ok],
      /answered 503 Service Unavailable to GET .*: upstream connect error; retry 1 of 3 in 0\.\d s$/,
    ],
    [
      'a 429 with Retry-After, then the answer',
      [() => argoError(429, 'too many requests', { 'retry-after': '1' }), ok],
      /answered 429 Too Many Requests .*; retry 1 of 3 in 1\.0 s$/,
    ],
  ])('syncs once after %s', async (_, answers, warning) => {
    const calls = argoCd(...answers);
    const { target, context, logger } = setup();
    const result = await target.deploy(request, context);
    expect(result.state).toBe('pending');
    expect(calls).toEqual({ get: 2, sync: 1 });
    expect(logger.warn).toHaveBeenCalledWith(expect.stringMatching(warning));
  });

  it.each<[string, Answer, number, RegExp]>([
    [
      'hangs past the timeout',
      async () => {
        await delay('infinite');
        return ok();
      },
      4,
      new RegExp(
        `^Argo CD "argocd-staging" did not answer ${APP} within 200 ms$`,
      ),
    ],
    [
      'asks to wait longer than allowed',
      () => argoError(429, 'too many requests', { 'retry-after': '120' }),
      1,
      /: too many requests; it asks to wait 120 s \(until \d{4}-\d\d-\d\dT[\d:.]+Z\), try again then$/,
    ],
    [
      'answers with a body that is not JSON',
      () =>
        new HttpResponse(`<html>Bearer ${TOKEN}: bad gateway</html>`, {
          headers: { 'content-type': 'text/html' },
        }),
      1,
      /^Argo CD "argocd-staging" answered https:\/\/argocd\.example\.com\/api\/v1\/applications\/checkout-staging with a body that is not JSON: "<html>Bearer \*\*\*: bad gateway<\/html>"$/,
    ],
    [
      'answers with JSON of the wrong shape',
      () => HttpResponse.json({ items: [], metadata: {} }),
      1,
      new RegExp(
        `^Argo CD "argocd-staging" answered ${APP} with a body Ownops does not understand: metadata\\.name is missing$`,
      ),
    ],
  ])(
    'fails the deploy clearly, without syncing, when Argo CD %s',
    async (_, answer, gets, message) => {
      const calls = argoCd(answer);
      const { target, context, lines, logger } = setup();
      await expect(target.deploy(request, context)).rejects.toThrow(message);
      expect(calls).toEqual({ get: gets, sync: 0 });
      const said = JSON.stringify([
        lines,
        (logger.warn as jest.Mock).mock.calls,
      ]);
      expect(said).not.toContain(TOKEN);
    },
  );

  it('reports a followed deployment as still running while Argo CD hangs, to ask again', async () => {
    let hanging = true;
    argoCd(async () => {
      if (hanging) await delay('infinite');
      return ok();
    });
    hanging = false;
    const { target, context } = setup();
    const deployed = (await target.deploy(request, context)) as {
      externalHandle: string;
    };
    hanging = true;
    const during = await target.status(deployed.externalHandle, { signal });
    expect(during).toEqual({
      state: 'running',
      message: expect.stringMatching(
        /did not answer .* within 200 ms; asking again$/,
      ),
    });
  });

  it('fails following a deployment whose application answer has the wrong shape', async () => {
    argoCd(ok);
    const { target, context } = setup();
    const deployed = (await target.deploy(request, context)) as {
      externalHandle: string;
    };
    server.use(
      http.get(APP_URL, () =>
        HttpResponse.json({
          ...application(),
          status: { operationState: { phase: 7 } },
        }),
      ),
    );
    await expect(
      target.status(deployed.externalHandle, { signal }),
    ).rejects.toThrow(
      'with a body Ownops does not understand: status.operationState.phase is a number, not a string',
    );
  });
});

describe('a canary API token', () => {
  it.each([401, 503, 200])(
    'stays out of errors, deploy logs and logs when Argo CD answers %s echoing the Authorization header',
    async status => {
      const canary = `canary-${randomUUID()}`;
      server.use(
        http.get(APP_URL, ({ request: req }) => {
          const echoed = req.headers.get('authorization');
          return status === 200
            ? new HttpResponse(`<html>${echoed}</html>`)
            : argoError(status, `invalid session: ${echoed}`);
        }),
      );
      const { target, context, lines, logger } = setup(canary);
      const error = await target.deploy(request, context).catch(e => e);
      expect(error.message).toContain('***');
      const seen = everyText([error, lines, logger.warn.mock.calls]);
      expect(seen).not.toContain(canary);
    },
  );
});
