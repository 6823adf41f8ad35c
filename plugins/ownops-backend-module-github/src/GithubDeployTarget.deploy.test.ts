import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  API,
  GHE_API,
  RUN_ID,
  TOKEN,
  deployContext,
  deployRequest,
  entity,
  loggedText,
  makeTarget,
  repository,
  workflowRun,
  githubError,
} from './__testUtils__/fixtures';

const server = setupServer();
registerMswTestHooks(server);

const DISPATCH = `${API}/actions/workflows/deploy.yml/dispatches`;
const RUN_URL = `https://github.com/acme/checkout/actions/runs/${RUN_ID}`;

interface Dispatch {
  body: any;
  headers: Record<string, string | null>;
}

/** Answers the dispatch with the given responses in turn (the last one repeats). */
function answerDispatch(...responses: Array<() => Response>): Dispatch[] {
  const dispatches: Dispatch[] = [];
  server.use(
    http.post(DISPATCH, async ({ request }) => {
      dispatches.push({
        body: await request.json(),
        headers: {
          authorization: request.headers.get('authorization'),
          accept: request.headers.get('accept'),
          version: request.headers.get('x-github-api-version'),
        },
      });
      return responses[Math.min(dispatches.length, responses.length) - 1]();
    }),
  );
  return dispatches;
}

/** Deploys v1.4.0 to production with a target that runs the workflow on main. */
async function deployOnMain(request = deployRequest()) {
  const { target } = makeTarget({ ref: 'main' });
  return target.deploy(request, deployContext().context);
}

const runDetails = () =>
  HttpResponse.json({
    workflow_run_id: RUN_ID,
    run_url: `${API}/actions/runs/${RUN_ID}`,
    html_url: RUN_URL,
  });

function answerRepository() {
  let calls = 0;
  server.use(
    http.get(API, () => {
      calls++;
      return HttpResponse.json(repository);
    }),
  );
  return () => calls;
}

describe('GithubDeployTarget deploy', () => {
  it('dispatches the workflow on the default branch with the version and environment and returns the run as handle', async () => {
    const repositoryCalls = answerRepository();
    const dispatches = answerDispatch(runDetails);
    const { target } = makeTarget();
    const { context, lines } = deployContext();

    const result = await target.deploy(deployRequest(), context);

    expect(result).toEqual({ state: 'pending', externalHandle: RUN_URL });
    expect(repositoryCalls()).toBe(1);
    expect(dispatches).toEqual([
      {
        body: {
          ref: 'main',
          inputs: { version: 'v1.4.0', environment: 'production' },
          return_run_details: true,
        },
        headers: {
          authorization: `Bearer ${TOKEN}`,
          accept: 'application/vnd.github+json',
          version: '2022-11-28',
        },
      },
    ]);
    expect(lines).toEqual([
      'Dispatching deploy.yml in acme/checkout with version v1.4.0 for production',
      `Dispatched deploy.yml on main: ${RUN_URL}`,
    ]);
  });

  it('uses the configured ref and input names, and leaves out a disabled environment input', async () => {
    const repositoryCalls = answerRepository();
    const dispatches = answerDispatch(runDetails);
    const { target } = makeTarget({
      ref: 'release',
      inputs: { version: 'image_tag' },
    });

    await target.deploy(deployRequest(), deployContext().context);

    expect(repositoryCalls()).toBe(0);
    expect(dispatches[0].body).toEqual({
      ref: 'release',
      inputs: { image_tag: 'v1.4.0' },
      return_run_details: true,
    });
  });

  it('dispatches the workflow the entity names for the environment', async () => {
    const dispatched: string[] = [];
    server.use(
      http.post(
        `${API}/actions/workflows/:workflow/dispatches`,
        ({ params }) => {
          dispatched.push(String(params.workflow));
          return runDetails();
        },
      ),
    );
    const { target } = makeTarget({ ref: 'main' });
    const request = (environment: string) =>
      deployRequest({
        environment,
        entity: entity({
          'ownops.io/github-workflow': 'ship.yaml',
          'ownops.io/github-workflow.staging': '161335',
        }),
      });

    await target.deploy(request('staging'), deployContext().context);
    await target.deploy(request('production'), deployContext().context);

    expect(dispatched).toEqual(['161335', 'ship.yaml']);
  });

  it('rolls back by dispatching the earlier version and says so in the log', async () => {
    const dispatches = answerDispatch(runDetails);
    const { target } = makeTarget({ ref: 'main' });
    const { context, lines } = deployContext();

    const result = await target.rollback!(
      deployRequest({
        kind: 'rollback',
        version: 'v1.3.2',
        previousVersion: 'v1.4.0',
        restoreHandle: 'https://github.com/acme/checkout/actions/runs/1',
      }),
      context,
    );

    expect(result).toEqual({ state: 'pending', externalHandle: RUN_URL });
    expect(dispatches[0].body.inputs).toEqual({
      version: 'v1.3.2',
      environment: 'production',
    });
    expect(lines).toEqual([
      'Rolling back: dispatching deploy.yml in acme/checkout with version v1.3.2 for production',
      `Rollback: dispatched deploy.yml on main: ${RUN_URL}`,
    ]);
  });

  it('uses the GitHub Enterprise apiBaseUrl and keeps the host in the handle', async () => {
    let dispatched = 0;
    server.use(
      http.post(`${GHE_API}/actions/workflows/deploy.yml/dispatches`, () => {
        dispatched++;
        return HttpResponse.json({
          workflow_run_id: 77,
          run_url: `${GHE_API}/actions/runs/77`,
          html_url: 'https://ghe.example.com/acme/checkout/actions/runs/77',
        });
      }),
    );
    const { target } = makeTarget({ host: 'ghe.example.com', ref: 'main' });

    const result = await target.deploy(
      deployRequest(),
      deployContext().context,
    );

    expect(dispatched).toBe(1);
    expect(result).toEqual({
      state: 'pending',
      externalHandle: 'https://ghe.example.com/acme/checkout/actions/runs/77',
    });
  });

  describe('when GitHub answers 204 without the run (older GitHub Enterprise Server)', () => {
    const dispatchedAt = 'Fri, 27 Nov 2026 05:00:00 GMT';
    const noContent = () =>
      new HttpResponse(null, { status: 204, headers: { date: dispatchedAt } });

    function answerRuns(...pages: Array<Array<Record<string, unknown>>>) {
      const queries: URLSearchParams[] = [];
      server.use(
        http.get(`${API}/actions/workflows/deploy.yml/runs`, ({ request }) => {
          queries.push(new URL(request.url).searchParams);
          const runs = pages[Math.min(queries.length, pages.length) - 1];
          return HttpResponse.json({
            total_count: runs.length,
            workflow_runs: runs,
          });
        }),
      );
      return queries;
    }

    it('finds the newest workflow_dispatch run created since the dispatch', async () => {
      answerDispatch(noContent);
      const older = workflowRun('completed', 'success', {
        id: 1001,
        created_at: '2026-11-27T04:40:00Z',
        html_url: 'https://github.com/acme/checkout/actions/runs/1001',
      });
      const fresh = workflowRun('queued', null, {
        id: 1002,
        created_at: '2026-11-27T05:00:01Z',
        html_url: 'https://github.com/acme/checkout/actions/runs/1002',
      });
      const queries = answerRuns([], [older], [fresh, older]);
      const { target } = makeTarget({ ref: 'refs/heads/main' });
      const { context, lines } = deployContext();

      const result = await target.deploy(deployRequest(), context);

      expect(result).toEqual({
        state: 'pending',
        externalHandle: 'https://github.com/acme/checkout/actions/runs/1002',
      });
      expect(queries).toHaveLength(3);
      expect(Object.fromEntries(queries[0])).toEqual({
        event: 'workflow_dispatch',
        branch: 'main',
        created: '>=2026-11-27T04:59:55Z',
        per_page: '20',
      });
      expect(lines).toContain(
        'Dispatched deploy.yml on refs/heads/main: https://github.com/acme/checkout/actions/runs/1002',
      );
    });

    it('never gives two dispatches the same run', async () => {
      answerDispatch(noContent);
      const first = workflowRun('queued', null, {
        id: 2001,
        created_at: '2026-11-27T05:00:01Z',
      });
      const second = workflowRun('queued', null, {
        id: 2002,
        created_at: '2026-11-27T05:00:02Z',
      });
      answerRuns([second, first]);
      const { target } = makeTarget({ ref: 'main' });

      const a = await target.deploy(deployRequest(), deployContext().context);
      const b = await target.deploy(deployRequest(), deployContext().context);

      expect([a, b].map(r => (r as any).externalHandle)).toEqual([
        'https://github.com/acme/checkout/actions/runs/2002',
        'https://github.com/acme/checkout/actions/runs/2001',
      ]);
    });

    it('fails, pointing at the workflow runs, when no run appears', async () => {
      answerDispatch(noContent);
      answerRuns([]);
      const result = await deployOnMain();

      expect(result).toEqual({
        state: 'failed',
        reason: expect.stringContaining(
          'no new run appeared within 0 s; the workflow may still run: look at https://github.com/acme/checkout/actions/workflows/deploy.yml',
        ),
      });
    });

    it('stops looking when the deployment is cancelled', async () => {
      answerDispatch(noContent);
      const controller = new AbortController();
      let listings = 0;
      server.use(
        http.get(`${API}/actions/workflows/deploy.yml/runs`, () => {
          listings++;
          controller.abort(new Error('Cancelled by a user'));
          return HttpResponse.json({ total_count: 0, workflow_runs: [] });
        }),
      );
      const { target } = makeTarget({ ref: 'main' });

      await expect(
        target.deploy(
          deployRequest(),
          deployContext(controller.signal).context,
        ),
      ).rejects.toBeDefined();
      expect(listings).toBe(1);
    });

    it('dispatches again without return_run_details when GitHub refuses the flag', async () => {
      const dispatches = answerDispatch(
        () =>
          githubError(
            422,
            'Invalid request.\n\n"return_run_details" is not a permitted key.',
          ),
        noContent,
      );
      answerRuns([
        workflowRun('queued', null, { created_at: '2026-11-27T05:00:02Z' }),
      ]);
      const result = await deployOnMain();

      expect(result).toEqual({ state: 'pending', externalHandle: RUN_URL });
      expect(dispatches.map(d => d.body.return_run_details)).toEqual([
        true,
        undefined,
      ]);
    });
  });

  describe('failures', () => {
    it('names the missing workflow on 404 and does not retry', async () => {
      const dispatches = answerDispatch(() => githubError(404, 'Not Found'));
      const { target } = makeTarget({ ref: 'main' });
      const { context, lines } = deployContext();

      const result = await target.deploy(deployRequest(), context);

      expect(dispatches).toHaveLength(1);
      expect(result).toEqual({
        state: 'failed',
        reason:
          'workflow deploy.yml was not found in acme/checkout (or ref main does not exist); if it exists, the token cannot see it and needs actions: write on acme/checkout',
      });
      expect(lines.at(-1)).toBe(`ERROR ${(result as any).reason}`);
    });

    it('says which permission is missing on a 403 without rate-limit headers, without retrying', async () => {
      const dispatches = answerDispatch(() =>
        HttpResponse.json(
          {
            message: 'Resource not accessible by integration',
            documentation_url:
              'https://docs.github.com/rest/actions/workflows#create-a-workflow-dispatch-event',
            status: '403',
          },
          { status: 403, headers: { 'x-ratelimit-remaining': '4999' } },
        ),
      );
      const result = await deployOnMain();

      expect(dispatches).toHaveLength(1);
      expect((result as any).reason).toBe(
        'GitHub refused to dispatch workflow deploy.yml on main in acme/checkout (Resource not accessible by integration); the token (or GitHub App installation) needs actions: write on acme/checkout',
      );
    });

    it('says which inputs to declare when GitHub refuses them', async () => {
      answerDispatch(() =>
        githubError(422, 'Unexpected inputs provided: ["environment"]'),
      );
      const result = await deployOnMain();

      expect((result as any).reason).toBe(
        'GitHub refused to dispatch workflow deploy.yml on main in acme/checkout (Unexpected inputs provided: ["environment"]); check that ref main exists, that deploy.yml has a workflow_dispatch trigger on it, and that it declares the inputs version and environment',
      );
    });

    it('does not repeat the dispatch after a 5xx, and says the workflow may have started', async () => {
      const dispatches = answerDispatch(
        () => githubError(502, 'Server Error'),
        runDetails,
      );
      const result = await deployOnMain();

      expect(dispatches).toHaveLength(1);
      expect(result).toEqual({
        state: 'failed',
        reason: expect.stringMatching(
          /^Could not dispatch workflow deploy\.yml on main in acme\/checkout: GitHub answered 502 .*The workflow may have started anyway: look at https:\/\/github\.com\/acme\/checkout\/actions\/workflows\/deploy\.yml before deploying again$/,
        ),
      });
    });

    it('repeats the dispatch after a 429 that asks to retry', async () => {
      const dispatches = answerDispatch(
        () =>
          HttpResponse.json(
            {
              message:
                'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
            },
            { status: 429, headers: { 'retry-after': '0' } },
          ),
        runDetails,
      );
      const result = await deployOnMain();

      expect(dispatches).toHaveLength(2);
      expect(result).toEqual({ state: 'pending', externalHandle: RUN_URL });
    });

    it('names the annotation to add when the entity has no repository', async () => {
      const dispatches = answerDispatch(runDetails);
      const bare = entity();
      delete bare.metadata.annotations!['github.com/project-slug'];

      const result = await deployOnMain(deployRequest({ entity: bare }));

      expect(dispatches).toHaveLength(0);
      expect(result).toEqual({
        state: 'failed',
        reason:
          'checkout has no github.com/project-slug annotation; add it with the repository as owner/repo, for example github.com/project-slug: my-org/checkout',
      });
    });

    it.each([
      ['github.com/project-slug', '../../orgs/acme'],
      ['github.com/project-slug', 'acme'],
      ['ownops.io/github-workflow', '../secrets.yml'],
    ])('refuses %s "%s" before calling GitHub', async (key, value) => {
      const dispatches = answerDispatch(runDetails);
      const result = await deployOnMain(
        deployRequest({ entity: entity({ [key]: value }) }),
      );

      expect(dispatches).toHaveLength(0);
      expect((result as any).reason).toContain(
        `${key} of checkout is "${value}"`,
      );
    });

    it('fails with the credentials problem when integrations.github gives none', async () => {
      const { target } = makeTarget(
        { ref: 'main' },
        {
          credentialsProvider: {
            getCredentials: async () => {
              throw new Error('No app installation found for acme');
            },
          },
        },
      );

      const result = await target.deploy(
        deployRequest(),
        deployContext().context,
      );

      expect((result as any).reason).toBe(
        'Could not get GitHub credentials for https://github.com/acme/checkout from integrations.github: No app installation found for acme. With a GitHub App, install it on acme',
      );
    });

    it('uses a GitHub App installation token from the credentials provider', async () => {
      const dispatches = answerDispatch(runDetails);
      const asked: string[] = [];
      const { target } = makeTarget(
        { ref: 'main' },
        {
          credentialsProvider: {
            getCredentials: async ({ url }) => {
              asked.push(url);
              return { type: 'app', token: 'ghs_installationToken123' };
            },
          },
        },
      );

      await target.deploy(deployRequest(), deployContext().context);

      expect(asked).toEqual(['https://github.com/acme/checkout']);
      expect(dispatches[0].headers.authorization).toBe(
        'Bearer ghs_installationToken123',
      );
    });

    it('keeps the token out of reasons, deploy logs, backend logs and handles', async () => {
      let repositoryCalls = 0;
      server.use(
        http.get(API, ({ request }) =>
          ++repositoryCalls === 1
            ? HttpResponse.text(
                `upstream echo ${request.headers.get('authorization')}`,
                { status: 500 },
              )
            : HttpResponse.json(repository),
        ),
        http.post(DISPATCH, ({ request }) =>
          githubError(
            503,
            `proxy rejected ${request.headers.get('authorization')}`,
          ),
        ),
      );
      const { target, logger } = makeTarget();
      const { context, lines } = deployContext();

      const result = await target.deploy(deployRequest(), context);

      expect(repositoryCalls).toBe(2);
      expect(loggedText(logger)).toContain('upstream echo Bearer ***');
      expect(result.state).toBe('failed');
      expect((result as any).reason).toContain('proxy rejected Bearer ***');
      for (const text of [
        JSON.stringify(result),
        ...lines,
        loggedText(logger),
      ]) {
        expect(text).not.toContain(TOKEN);
      }
    });
  });
});
