import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  API,
  deploymentStatus,
  entity,
  githubDeployment,
  makeTarget,
  githubError,
} from './__testUtils__/fixtures';

const server = setupServer();
registerMswTestHooks(server);

const signal = new AbortController().signal;

describe('GithubDeployTarget listHistory', () => {
  it('maps the deployments of the environment with their latest status', async () => {
    const deploymentQueries: Array<Record<string, string>> = [];
    const statusQueries: Array<Record<string, string>> = [];
    const statuses: Record<string, object[]> = {
      '105': [
        deploymentStatus(105, 'in_progress', {
          log_url: '',
          environment_url: '',
        }),
      ],
      '104': [deploymentStatus(104, 'success')],
      '103': [
        deploymentStatus(103, 'failure', {
          log_url: '',
          description: 'Health check failed',
        }),
      ],
      '102': [deploymentStatus(102, 'inactive')],
      '101': [],
    };
    server.use(
      http.get(`${API}/deployments`, ({ request }) => {
        deploymentQueries.push(
          Object.fromEntries(new URL(request.url).searchParams),
        );
        return HttpResponse.json([
          githubDeployment(105, {
            ref: 'main',
            payload: { version: 'v1.5.0' },
          }),
          githubDeployment(104, { payload: '{"version":"v1.4.0"}' }),
          githubDeployment(103, { ref: 'v1.3.9', payload: '' }),
          githubDeployment(102, { ref: 'v1.3.0', creator: null }),
          githubDeployment(101, { ref: 'v1.2.0' }),
        ]);
      }),
      http.get(`${API}/deployments/:id/statuses`, ({ params, request }) => {
        statusQueries.push(
          Object.fromEntries(new URL(request.url).searchParams),
        );
        return HttpResponse.json(statuses[String(params.id)]);
      }),
    );
    const { target } = makeTarget();

    const history = await target.listHistory!(entity(), 'production', {
      signal,
      limit: 5,
    });

    expect(deploymentQueries).toEqual([
      { environment: 'production', per_page: '5' },
    ]);
    expect(statusQueries).toEqual(Array(5).fill({ per_page: '1' }));
    expect(history).toEqual([
      {
        id: '105',
        version: 'v1.5.0',
        status: 'running',
        startedAt: '2026-11-26T12:00:00Z',
        initiatedBy: 'octocat',
        description: 'Deploy request from Ownops',
      },
      {
        id: '104',
        version: 'v1.4.0',
        status: 'succeeded',
        startedAt: '2026-11-26T12:00:00Z',
        finishedAt: '2026-11-26T12:03:00Z',
        initiatedBy: 'octocat',
        url: 'https://github.com/acme/checkout/actions/runs/104',
        description: 'Deploy request from Ownops',
      },
      {
        id: '103',
        version: 'v1.3.9',
        status: 'failed',
        startedAt: '2026-11-26T12:00:00Z',
        finishedAt: '2026-11-26T12:03:00Z',
        initiatedBy: 'octocat',
        url: 'https://checkout.example.com',
        description: 'Health check failed',
      },
      {
        id: '102',
        version: 'v1.3.0',
        status: 'inactive',
        startedAt: '2026-11-26T12:00:00Z',
        finishedAt: '2026-11-26T12:03:00Z',
        url: 'https://github.com/acme/checkout/actions/runs/102',
        description: 'Deploy request from Ownops',
      },
      {
        id: '101',
        version: 'v1.2.0',
        status: 'unknown',
        startedAt: '2026-11-26T12:00:00Z',
        initiatedBy: 'octocat',
        description: 'Deploy request from Ownops',
      },
    ]);
  });

  it.each([
    ['error', 'failed'],
    ['queued', 'running'],
    ['pending', 'running'],
  ])('maps the status %s to %s', async (state, status) => {
    server.use(
      http.get(`${API}/deployments`, () =>
        HttpResponse.json([githubDeployment(7)]),
      ),
      http.get(`${API}/deployments/7/statuses`, () =>
        HttpResponse.json([deploymentStatus(7, state)]),
      ),
    );
    const { target } = makeTarget();

    const [deployment] = await target.listHistory!(entity(), 'production', {
      signal,
      limit: 10,
    });

    expect(deployment.status).toBe(status);
  });

  it('reads at most a few statuses at once', async () => {
    let inFlight = 0;
    let most = 0;
    server.use(
      http.get(`${API}/deployments`, () =>
        HttpResponse.json(
          Array.from({ length: 12 }, (_, i) => githubDeployment(i + 1)),
        ),
      ),
      http.get(`${API}/deployments/:id/statuses`, async ({ params }) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise(resolve => setImmediate(resolve));
        inFlight--;
        return HttpResponse.json([
          deploymentStatus(Number(params.id), 'success'),
        ]);
      }),
    );
    const { target } = makeTarget();

    const history = await target.listHistory!(entity(), 'production', {
      signal,
      limit: 20,
    });

    expect(history).toHaveLength(12);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(4);
  });

  it('says which permission reading deployments needs', async () => {
    server.use(
      http.get(`${API}/deployments`, () =>
        githubError(403, 'Resource not accessible by integration'),
      ),
    );
    const { target } = makeTarget();

    await expect(
      target.listHistory!(entity(), 'production', { signal, limit: 10 }),
    ).rejects.toThrow('needs deployments: read on acme/checkout');
  });
});
