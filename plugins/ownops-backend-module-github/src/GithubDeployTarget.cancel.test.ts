import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  API,
  RUN_ID,
  TOKEN,
  deployContext,
  entity,
  githubError,
  makeTarget,
} from './__testUtils__/fixtures';

const server = setupServer();
registerMswTestHooks(server);

const HANDLE = `https://github.com/acme/checkout/actions/runs/${RUN_ID}`;

describe('GithubDeployTarget checkEntity', () => {
  it('names the missing repository annotation, and accepts a complete entity', () => {
    const { target } = makeTarget();
    expect(target.checkEntity!(entity(), 'production')).toBeUndefined();
    const bare = entity();
    delete bare.metadata.annotations!['github.com/project-slug'];
    expect(target.checkEntity!(bare, 'production')).toBe(
      'checkout has no github.com/project-slug annotation; add it with the repository as owner/repo, for example github.com/project-slug: my-org/checkout',
    );
  });

  it('names a malformed workflow override for the environment', () => {
    const { target } = makeTarget();
    expect(
      target.checkEntity!(
        entity({ 'ownops.io/github-workflow.production': '../deploy.yml' }),
        'production',
      ),
    ).toMatch(/^ownops\.io\/github-workflow\.production of checkout is/);
  });
});

describe('GithubDeployTarget cancel', () => {
  it('cancels the workflow run and says so in the deploy log', async () => {
    let authorization: string | null = null;
    server.use(
      http.post(`${API}/actions/runs/${RUN_ID}/cancel`, ({ request }) => {
        authorization = request.headers.get('authorization');
        return HttpResponse.json({}, { status: 202 });
      }),
    );
    const { target } = makeTarget();
    const { lines, context } = deployContext();
    await target.cancel!(HANDLE, context);
    expect(authorization).toBe(`Bearer ${TOKEN}`);
    expect(lines).toEqual([
      `Asked GitHub to cancel workflow run ${RUN_ID}: ${HANDLE}`,
    ]);
  });

  it('fails with what the token needs when GitHub refuses, without the token', async () => {
    server.use(
      http.post(`${API}/actions/runs/${RUN_ID}/cancel`, () =>
        githubError(403, 'Resource not accessible by integration'),
      ),
    );
    const { target } = makeTarget();
    const { context } = deployContext();
    const failure = target.cancel!(HANDLE, context);
    await expect(failure).rejects.toThrow(/actions: write on acme\/checkout/);
    await expect(failure).rejects.not.toThrow(TOKEN);
  });
});
