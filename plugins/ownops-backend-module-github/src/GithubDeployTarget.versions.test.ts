import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  API,
  entity,
  githubError,
  makeTarget,
  release,
} from './__testUtils__/fixtures';

const server = setupServer();
registerMswTestHooks(server);

const signal = new AbortController().signal;

describe('GithubDeployTarget listVersions', () => {
  it('is absent with versions: none, so any version may be deployed', () => {
    const { target } = makeTarget({ versions: 'none' });
    expect(target.listVersions).toBeUndefined();
    expect(makeTarget({ versions: 'releases' }).target.listVersions).toEqual(
      expect.any(Function),
    );
  });

  it('lists published releases over two pages through the Link header, drafts left out', async () => {
    const queries: Array<Record<string, string>> = [];
    server.use(
      http.get(`${API}/releases`, ({ request }) => {
        const query = Object.fromEntries(new URL(request.url).searchParams);
        queries.push(query);
        if (query.page === '2') {
          return HttpResponse.json(
            [release('v1.2.0', { published_at: '2026-10-01T09:00:00Z' })],
            {
              headers: {
                link: `<https://api.github.com/repositories/1296269/releases?per_page=100&page=1>; rel="prev", <https://api.github.com/repositories/1296269/releases?per_page=100&page=1>; rel="first"`,
              },
            },
          );
        }
        return HttpResponse.json(
          [
            release('v1.5.0-rc.1', {
              draft: true,
              published_at: null,
            }),
            release('v1.4.0', { name: 'Spring cleaning' }),
            release('v1.3.0-beta', { prerelease: true }),
          ],
          {
            headers: {
              link: `<${API}/releases?per_page=100&page=2>; rel="next", <${API}/releases?per_page=100&page=2>; rel="last"`,
            },
          },
        );
      }),
    );
    const { target } = makeTarget({ versions: 'releases' });

    const versions = await target.listVersions!(entity(), 'production', {
      signal,
    });

    expect(versions).toEqual([
      {
        version: 'v1.4.0',
        description: 'Spring cleaning, published 2026-11-20',
      },
      {
        version: 'v1.3.0-beta',
        description: 'pre-release, published 2026-11-20',
      },
      { version: 'v1.2.0', description: 'published 2026-10-01' },
    ]);
    expect(queries).toEqual([
      { per_page: '100' },
      { per_page: '100', page: '2' },
    ]);
  });

  it('stops at 100 versions', async () => {
    let pages = 0;
    server.use(
      http.get(`${API}/releases`, () => {
        pages++;
        return HttpResponse.json(
          Array.from({ length: 60 }, (_, i) => release(`v${pages}.${i}`)),
          {
            headers: {
              link: `<${API}/releases?page=${pages + 1}>; rel="next"`,
            },
          },
        );
      }),
    );
    const { target } = makeTarget({ versions: 'releases' });

    const versions = await target.listVersions!(entity(), 'production', {
      signal,
    });

    expect(pages).toBe(2);
    expect(versions).toHaveLength(100);
    expect(versions[99].version).toBe('v2.39');
  });

  it('does not follow a Link to another host', async () => {
    let pages = 0;
    server.use(
      http.get(`${API}/releases`, () => {
        pages++;
        return HttpResponse.json([release('v1.0.0')], {
          headers: {
            link: '<https://evil.example.com/releases?page=2>; rel="next"',
          },
        });
      }),
    );
    const { target } = makeTarget({ versions: 'releases' });

    const versions = await target.listVersions!(entity(), 'production', {
      signal,
    });

    expect(pages).toBe(1);
    expect(versions.map(v => v.version)).toEqual(['v1.0.0']);
  });

  it('lists tags with their commit', async () => {
    server.use(
      http.get(`${API}/tags`, () =>
        HttpResponse.json([
          {
            name: 'v1.4.0',
            commit: {
              sha: 'c5b97d5ae6c19d5c5df71a34c7fbeeda2479ccbc',
              url: `${API}/commits/c5b97d5ae6c19d5c5df71a34c7fbeeda2479ccbc`,
            },
            zipball_url: `${API}/zipball/v1.4.0`,
            tarball_url: `${API}/tarball/v1.4.0`,
            node_id: 'MDQ6VXNlcjE=',
          },
        ]),
      ),
    );
    const { target } = makeTarget({ versions: 'tags' });

    await expect(
      target.listVersions!(entity(), 'production', { signal }),
    ).resolves.toEqual([{ version: 'v1.4.0', description: 'c5b97d5' }]);
  });

  it('says which permission reading releases needs', async () => {
    server.use(
      http.get(`${API}/releases`, () =>
        githubError(403, 'Resource not accessible by integration'),
      ),
    );
    const { target } = makeTarget({ versions: 'releases' });

    await expect(
      target.listVersions!(entity(), 'production', { signal }),
    ).rejects.toThrow(
      'GitHub refused to list releases in acme/checkout (Resource not accessible by integration); the token (or GitHub App installation) needs contents: read on acme/checkout',
    );
  });

  it('names the annotation when the entity has no repository', async () => {
    const { target } = makeTarget({ versions: 'tags' });
    const bare = entity();
    delete bare.metadata.annotations!['github.com/project-slug'];

    await expect(
      target.listVersions!(bare, 'production', { signal }),
    ).rejects.toThrow('checkout has no github.com/project-slug annotation');
  });
});
