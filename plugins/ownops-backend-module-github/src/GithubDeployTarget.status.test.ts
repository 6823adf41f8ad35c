import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  API,
  GHE_API,
  RUN_ID,
  TOKEN,
  loggedText,
  makeTarget,
  workflowRun,
  githubError,
} from './__testUtils__/fixtures';

const server = setupServer();
registerMswTestHooks(server);

const HANDLE = `https://github.com/acme/checkout/actions/runs/${RUN_ID}`;
const RUN = `${API}/actions/runs/${RUN_ID}`;
const signal = new AbortController().signal;

/** Answers the run with the given responses in turn (the last one repeats). */
function answerRun(...responses: Array<() => Response>) {
  let calls = 0;
  server.use(
    http.get(RUN, () => {
      calls++;
      return responses[Math.min(calls, responses.length) - 1]();
    }),
  );
  return () => calls;
}

const run =
  (status: string, conclusion: string | null = null) =>
  () =>
    HttpResponse.json(workflowRun(status, conclusion));

describe('GithubDeployTarget status', () => {
  it('follows a run from queued to success', async () => {
    const { target } = makeTarget();
    const seen = [];
    for (const status of ['queued', 'in_progress', 'completed']) {
      answerRun(run(status, status === 'completed' ? 'success' : null));
      seen.push(await target.status!(HANDLE, { signal }));
    }
    expect(seen).toEqual([
      { state: 'running', message: 'Workflow run #562 queued' },
      { state: 'running', message: 'Workflow run #562 in_progress' },
      { state: 'succeeded' },
    ]);
  });

  it.each(['requested', 'pending', 'queued', 'in_progress'])(
    'reports %s as running',
    async status => {
      answerRun(run(status));
      const { target } = makeTarget();
      await expect(target.status!(HANDLE, { signal })).resolves.toEqual({
        state: 'running',
        message: `Workflow run #562 ${status}`,
      });
    },
  );

  it('says a waiting run needs an approval', async () => {
    answerRun(run('waiting'));
    const { target } = makeTarget();
    await expect(target.status!(HANDLE, { signal })).resolves.toEqual({
      state: 'running',
      message: `Workflow run #562 waiting: a protected environment needs a reviewer's approval at ${HANDLE}`,
    });
  });

  it.each([
    'failure',
    'cancelled',
    'timed_out',
    'action_required',
    'startup_failure',
    'stale',
    'neutral',
    'skipped',
  ])('fails a run that concluded %s, with the run page', async conclusion => {
    answerRun(run('completed', conclusion));
    const { target } = makeTarget();
    await expect(target.status!(HANDLE, { signal })).resolves.toEqual({
      state: 'failed',
      reason: `Workflow run #562 concluded ${conclusion}: ${HANDLE}`,
    });
  });

  it('asks again after a 5xx', async () => {
    const calls = answerRun(
      () => githubError(500, 'Server Error'),
      run('in_progress'),
    );
    const { target } = makeTarget();

    await expect(target.status!(HANDLE, { signal })).resolves.toEqual({
      state: 'running',
      message: 'Workflow run #562 in_progress',
    });
    expect(calls()).toBe(2);
  });

  it('waits for a rate limit (403 with x-ratelimit headers) and then reads the run', async () => {
    const calls = answerRun(
      () =>
        HttpResponse.json(
          {
            message:
              'API rate limit exceeded for installation ID 1. If you reach out to GitHub Support for help, please include the request ID.',
            documentation_url:
              'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
            status: '403',
          },
          {
            status: 403,
            headers: {
              'x-ratelimit-limit': '5000',
              'x-ratelimit-remaining': '0',
              'x-ratelimit-used': '5000',
              'x-ratelimit-reset': String(Math.floor(Date.now() / 1000)),
              'x-ratelimit-resource': 'core',
            },
          },
        ),
      run('completed', 'success'),
    );
    const { target, logger } = makeTarget();

    await expect(target.status!(HANDLE, { signal })).resolves.toEqual({
      state: 'succeeded',
    });
    expect(calls()).toBe(2);
    expect(loggedText(logger)).toContain('GitHub answered 403');
  });

  it('waits for a secondary rate limit (429 with retry-after)', async () => {
    const calls = answerRun(
      () =>
        HttpResponse.json(
          { message: 'You have exceeded a secondary rate limit.' },
          { status: 429, headers: { 'retry-after': '0' } },
        ),
      run('completed', 'failure'),
    );
    const { target } = makeTarget();

    await expect(target.status!(HANDLE, { signal })).resolves.toMatchObject({
      state: 'failed',
    });
    expect(calls()).toBe(2);
  });

  it('keeps the deployment running when the rate limit lasts longer than it waits', async () => {
    const calls = answerRun(() =>
      HttpResponse.json(
        { message: 'API rate limit exceeded' },
        {
          status: 403,
          headers: {
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 600),
          },
        },
      ),
    );
    const { target } = makeTarget();

    const status = await target.status!(HANDLE, { signal });

    expect(calls()).toBe(1);
    expect(status).toEqual({
      state: 'running',
      message: expect.stringMatching(
        /^GitHub rate limit reached while trying to read workflow run 30433642 in acme\/checkout: .*it asks to wait \d+ s .*; asking again$/,
      ),
    });
  });

  it('asks again when a proxy answers with a page instead of JSON', async () => {
    answerRun(() => HttpResponse.html('<html><body>Unicorn!</body></html>'));
    const { target } = makeTarget();

    await expect(target.status!(HANDLE, { signal })).resolves.toEqual({
      state: 'running',
      message:
        'GitHub answered read workflow run 30433642 in acme/checkout with a body that is not JSON: "<html><body>Unicorn!</body></html>"; asking again',
    });
  });

  it('fails when the run is gone, without retrying', async () => {
    const calls = answerRun(() => githubError(404, 'Not Found'));
    const { target } = makeTarget();

    await expect(target.status!(HANDLE, { signal })).resolves.toEqual({
      state: 'failed',
      reason: `workflow run ${RUN_ID} was not found in acme/checkout; if it exists, the token cannot see it and needs actions: read on acme/checkout`,
    });
    expect(calls()).toBe(1);
  });

  it('fails when the token may not read runs, without retrying', async () => {
    const calls = answerRun(() =>
      githubError(403, 'Resource not accessible by integration'),
    );
    const { target } = makeTarget();

    const status = await target.status!(HANDLE, { signal });

    expect(calls()).toBe(1);
    expect(status).toEqual({
      state: 'failed',
      reason: expect.stringContaining('needs actions: read on acme/checkout'),
    });
  });

  it('reads the run from the host in the handle (another replica, GitHub Enterprise)', async () => {
    server.use(
      http.get(`${GHE_API}/actions/runs/77`, ({ request }) =>
        request.headers.get('authorization') === `Bearer ${TOKEN}`
          ? HttpResponse.json(workflowRun('completed', 'success', { id: 77 }))
          : githubError(401, 'Bad credentials'),
      ),
    );
    const { target } = makeTarget();

    await expect(
      target.status!('https://ghe.example.com/acme/checkout/actions/runs/77', {
        signal,
      }),
    ).resolves.toEqual({ state: 'succeeded' });
  });

  it.each([
    'https://github.com/acme/checkout/actions/runs/abc',
    '{"runId":1}',
    'https://github.com/acme/checkout/../x/actions/runs/1',
    'https://github.com/../checkout/actions/runs/1',
  ])('fails on a handle that is not a run: %s', async handle => {
    const { target } = makeTarget();
    await expect(target.status!(handle, { signal })).resolves.toMatchObject({
      state: 'failed',
      reason: expect.stringContaining(
        'is not the handle of a GitHub Actions run',
      ),
    });
  });

  it('fails on a handle for a host without an integration', async () => {
    const { target } = makeTarget();
    await expect(
      target.status!('https://git.other.example/acme/checkout/actions/runs/1', {
        signal,
      }),
    ).resolves.toEqual({
      state: 'failed',
      reason:
        'There is no integrations.github entry for git.other.example; add one with a token or a GitHub App',
    });
  });
});
