import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { everyText, inTurn } from '@ownops/backstage-plugin-node/testUtils';
import { randomUUID } from 'node:crypto';
import {
  API,
  RUN_ID,
  TOKEN,
  deployContext,
  deployRequest,
  githubError,
  loggedText,
  makeTarget,
  workflowRun,
} from './__testUtils__/fixtures';

const server = setupServer();
registerMswTestHooks(server);

jest.setTimeout(30_000);

const HANDLE = `https://github.com/acme/checkout/actions/runs/${RUN_ID}`;
const RUN = `${API}/actions/runs/${RUN_ID}`;
const signal = new AbortController().signal;

type Answer = () => Response | Promise<Response>;

/** GitHub answering the workflow run with the answers in turn, the last repeated. */
function answerRun(...answers: Answer[]) {
  const run = inTurn(...answers);
  server.use(http.get(RUN, () => run()));
  return run;
}

const succeeded = () => HttpResponse.json(workflowRun('completed', 'success'));
const hang: Answer = async () => {
  await delay('infinite');
  return succeeded();
};
// maxRetries 2 in makeTarget: three attempts per read.
const target = () => makeTarget({ timeoutMs: 200 });

describe('GitHub faults', () => {
  describe('while following a workflow run', () => {
    it.each<[string, Answer[], number]>([
      ['a 5xx', [() => githubError(502, 'Server Error'), succeeded], 2],
      [
        'a 429 with Retry-After',
        [
          () =>
            githubError(429, 'You have exceeded a secondary rate limit', {
              'retry-after': '1',
            }),
          succeeded,
        ],
        2,
      ],
      [
        'a 403 with an exhausted rate limit and its reset time',
        [
          () =>
            githubError(403, 'API rate limit exceeded', {
              'x-ratelimit-remaining': '0',
              'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 1),
            }),
          succeeded,
        ],
        2,
      ],
    ])('reads the outcome after %s', async (_, answers, calls) => {
      const seen = answerRun(...answers);
      const { target: github, logger } = target();
      await expect(github.status!(HANDLE, { signal })).resolves.toEqual({
        state: 'succeeded',
      });
      expect(seen.calls).toBe(calls);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringMatching(
          /^GitHub answered (502|429|403) .*; retry 1 of 2/,
        ),
      );
    });

    it.each<[string, Answer, number, RegExp]>([
      [
        'hangs past the timeout',
        hang,
        3,
        /^Could not read workflow run 30433642 in acme\/checkout: GitHub did not answer GET https:\/\/api\.github\.com\/repos\/acme\/checkout\/actions\/runs\/30433642 within 200 ms; asking again$/,
      ],
      [
        'asks to wait longer than allowed',
        () =>
          githubError(429, 'secondary rate limit', { 'retry-after': '3600' }),
        1,
        /it asks to wait 3600 s \(until \d{4}-\d\d-\d\dT[\d:.]+Z\), try again then; asking again$/,
      ],
      [
        'answers with a body that is not JSON',
        () =>
          new HttpResponse(`<html>unicorn for ${TOKEN}</html>`, {
            headers: { 'content-type': 'text/html' },
          }),
        1,
        /^GitHub answered read workflow run 30433642 in acme\/checkout with a body that is not JSON: "<html>unicorn for \*\*\*<\/html>"; asking again$/,
      ],
      [
        'answers with JSON of the wrong shape',
        () => HttpResponse.json({ ...workflowRun('completed'), status: 3 }),
        1,
        /^GitHub answered read workflow run 30433642 in acme\/checkout with a body Ownops does not understand: status is a number, not a string; asking again$/,
      ],
    ])(
      'keeps the deployment running, saying why, when GitHub %s',
      async (_, answer, calls, message) => {
        const seen = answerRun(answer);
        const { target: github, logger } = target();
        await expect(github.status!(HANDLE, { signal })).resolves.toEqual({
          state: 'running',
          message: expect.stringMatching(message),
        });
        expect(seen.calls).toBe(calls);
        expect(loggedText(logger)).not.toContain(TOKEN);
      },
    );
  });

  describe('when deploying', () => {
    it.each<[string, Answer, RegExp]>([
      [
        'hangs past the timeout reading the repository',
        async () => {
          await delay('infinite');
          return HttpResponse.json({});
        },
        /^Could not read the repository in acme\/checkout: GitHub did not answer GET https:\/\/api\.github\.com\/repos\/acme\/checkout within 200 ms$/,
      ],
      [
        'answers the repository with JSON of the wrong shape',
        () => HttpResponse.json({ default_branch: ['main'] }),
        /^GitHub answered read the repository in acme\/checkout with a body Ownops does not understand: default_branch is an array, not a string$/,
      ],
    ])(
      'fails clearly, dispatching nothing, when GitHub %s',
      async (_, answer, reason) => {
        let dispatches = 0;
        server.use(
          http.get(API, answer),
          http.post(`${API}/actions/workflows/deploy.yml/dispatches`, () => {
            dispatches += 1;
            return new HttpResponse(null, { status: 204 });
          }),
        );
        const { target: github } = target();
        const result = await github.deploy(
          deployRequest(),
          deployContext().context,
        );
        expect(result).toEqual({
          state: 'failed',
          reason: expect.stringMatching(reason),
        });
        expect(dispatches).toBe(0);
      },
    );
  });
});

describe('a canary token', () => {
  it.each([401, 503, 200])(
    'stays out of reasons, messages, deploy logs and logs when GitHub answers %s echoing the Authorization header',
    async status => {
      const canary = `canary-${randomUUID()}`;
      const echo = (request: Request) => {
        const echoed = request.headers.get('authorization');
        return status === 200
          ? new HttpResponse(`<html>${echoed}</html>`)
          : githubError(status, `Bad credentials ${echoed}`);
      };
      server.use(
        http.get(RUN, ({ request }) => echo(request)),
        http.post(
          `${API}/actions/workflows/deploy.yml/dispatches`,
          ({ request }) => echo(request),
        ),
      );
      const { target: github, logger } = makeTarget(
        { timeoutMs: 200, ref: 'main' },
        {
          credentialsProvider: {
            getCredentials: async () => ({
              type: 'token',
              token: canary,
              headers: { Authorization: `Bearer ${canary}` },
            }),
          },
        },
      );
      const { context, lines } = deployContext();
      const deployed = await github.deploy(deployRequest(), context);
      const followed = await github.status!(HANDLE, { signal });
      expect(JSON.stringify([deployed, followed])).toContain('***');
      const seen = everyText([deployed, followed, lines, loggedText(logger)]);
      expect(seen).not.toContain(canary);
    },
  );
});
