import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import {
  DeployRequest,
  ProviderRequestError,
} from '@ownops/backstage-plugin-node';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { everyText } from '@ownops/backstage-plugin-node/testUtils';
import { randomUUID } from 'node:crypto';
import {
  API,
  cluster,
  deployContext,
  deployment,
  entity,
  list,
  statusBody,
  TOKEN,
} from './__testUtils__/fixtures';
import { KubernetesClient } from './kubernetes/KubernetesClient';
import { KubernetesDeployTarget } from './KubernetesDeployTarget';

const server = setupServer();
registerMswTestHooks(server);

jest.setTimeout(30_000);

const DEPLOYMENTS = `${API}/apis/apps/v1/namespaces/shop/deployments`;
const DEPLOYMENT = `${DEPLOYMENTS}/checkout`;
const request: DeployRequest = {
  deploymentId: 7,
  kind: 'deploy',
  entity: entity(),
  entityRef: 'component:default/checkout',
  environment: 'production',
  version: '1.5.0',
  previousVersion: '1.4.0',
};

type Answer = () => Response | Promise<Response>;
const apiStatus = (code: number, reason: string, headers = {}) =>
  HttpResponse.json(statusBody(code, reason, `${reason} (${code})`), {
    status: code,
    headers,
  });

/** The API server answering the Deployment list with the answers in turn, the last repeated. */
function apiServer(...answers: Answer[]) {
  const calls = { list: 0, patch: 0 };
  server.use(
    http.get(DEPLOYMENTS, () => {
      const answer = answers[Math.min(calls.list, answers.length - 1)];
      calls.list += 1;
      return answer();
    }),
    http.patch(DEPLOYMENT, () => {
      calls.patch += 1;
      return HttpResponse.json(deployment({ generation: 5, tag: '1.5.0' }));
    }),
  );
  return calls;
}

function setup(serviceAccountToken = TOKEN) {
  const logger = mockServices.logger.mock();
  const client = new KubernetesClient({
    cluster: { ...cluster, serviceAccountToken },
    timeoutMs: 200,
    logger,
  });
  const target = new KubernetesDeployTarget(
    { id: 'k8s-prod', cluster, namespace: 'shop', timeoutMs: 200 },
    client,
  );
  return { target, logger };
}

const listed = () => HttpResponse.json(list('DeploymentList', [deployment()]));
const LIST = 'GET https://k8s\\.test/apis/apps/v1/namespaces/shop/deployments';

describe('Kubernetes faults', () => {
  it.each<[string, Answer[], RegExp]>([
    [
      'a 5xx, then the answer',
      [() => apiStatus(503, 'ServiceUnavailable'), listed],
      /answered 503 Service Unavailable to GET .*; retry 1 of 3 in 0\.\d s$/,
    ],
    [
      'a 429 with Retry-After, then the answer',
      [() => apiStatus(429, 'TooManyRequests', { 'retry-after': '1' }), listed],
      /answered 429 Too Many Requests .*; retry 1 of 3 in 1\.0 s$/,
    ],
  ])('patches once after %s', async (_, answers, warning) => {
    const calls = apiServer(...answers);
    const { target, logger } = setup();
    const result = await target.deploy(request, deployContext().context);
    expect(result.state).toBe('pending');
    expect(calls).toEqual({ list: 2, patch: 1 });
    expect(logger.warn).toHaveBeenCalledWith(expect.stringMatching(warning));
  });

  it.each<[string, Answer, number, RegExp]>([
    [
      'hangs past the timeout',
      async () => {
        await delay('infinite');
        return listed();
      },
      4,
      new RegExp(
        `Kubernetes cluster "prod" did not answer ${LIST} within 200 ms$`,
      ),
    ],
    [
      'asks to wait longer than allowed',
      () => apiStatus(429, 'TooManyRequests', { 'retry-after': '300' }),
      1,
      /it asks to wait 300 s \(until \d{4}-\d\d-\d\dT[\d:.]+Z\), try again then$/,
    ],
    [
      'answers with a body that is not JSON',
      () =>
        new HttpResponse(`<html>Bearer ${TOKEN} denied by the proxy</html>`, {
          headers: { 'content-type': 'text/html' },
        }),
      1,
      /Kubernetes cluster "prod" answered https:\/\/k8s\.test\/apis\/apps\/v1\/namespaces\/shop\/deployments with a body that is not JSON: "<html>Bearer \*\*\* denied by the proxy<\/html>"$/,
    ],
    [
      'answers with JSON of the wrong shape',
      () =>
        HttpResponse.json({
          kind: 'DeploymentList',
          items: [{ metadata: { name: 'checkout' }, spec: {} }],
        }),
      1,
      new RegExp(
        `Kubernetes cluster "prod" answered ${LIST} with a body Ownops does not understand: items\\[0\\]\\.spec\\.template is missing$`,
      ),
    ],
  ])(
    'fails the deploy clearly, patching nothing, when the API server %s',
    async (_, answer, lists, message) => {
      const calls = apiServer(answer);
      const { target, logger } = setup();
      const { context, lines } = deployContext();
      await expect(target.deploy(request, context)).resolves.toEqual({
        state: 'failed',
        reason: expect.stringMatching(message),
      });
      expect(calls).toEqual({ list: lists, patch: 0 });
      expect(
        JSON.stringify([lines, (logger.warn as jest.Mock).mock.calls]),
      ).not.toContain(TOKEN);
    },
  );

  it('lets the engine keep following a rollout while the API server hangs', async () => {
    server.use(
      http.get(DEPLOYMENT, async () => {
        await delay('infinite');
        return HttpResponse.json(deployment());
      }),
    );
    const { target } = setup();
    const handle = JSON.stringify({
      v: 1,
      cluster: 'prod',
      namespace: 'shop',
      deployment: 'checkout',
      container: 'app',
      image: 'registry.example.com:5000/shop/checkout:1.5.0',
      generation: 5,
    });
    const error = await target
      .status(handle, { signal: new AbortController().signal })
      .catch(e => e);
    // A transient ProviderRequestError: the engine asks again next poll.
    expect(error).toBeInstanceOf(ProviderRequestError);
    expect((error as ProviderRequestError).transient).toBe(true);
    expect(error.message).toMatch(/did not answer GET .* within 200 ms$/);
  });
});

describe('a canary service account token', () => {
  it.each([401, 503, 200])(
    'stays out of the reason, deploy logs and logs when the API server answers %s echoing the Authorization header',
    async status => {
      const canary = `canary-${randomUUID()}`;
      server.use(
        http.get(DEPLOYMENTS, ({ request: req }) => {
          const echoed = req.headers.get('authorization');
          return status === 200
            ? new HttpResponse(`<html>${echoed}</html>`)
            : HttpResponse.json(
                statusBody(status, 'Unauthorized', `token ${echoed} refused`),
                { status },
              );
        }),
      );
      const { target, logger } = setup(canary);
      const { context, lines } = deployContext();
      const result = await target.deploy(request, context);
      expect(result).toEqual({
        state: 'failed',
        reason: expect.stringContaining('***'),
      });
      const seen = everyText([result, lines, logger.warn.mock.calls]);
      expect(seen).not.toContain(canary);
    },
  );
});
