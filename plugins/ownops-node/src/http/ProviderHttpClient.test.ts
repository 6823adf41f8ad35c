import { ProviderHttpClient } from './ProviderHttpClient';
import { ProviderRequestError } from './ProviderRequestError';

type Answer = Response | (() => Response) | Error;

/** A fetch that answers from a script and records what it was asked. */
function scriptedFetch(...answers: Answer[]) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetchImpl = jest.fn(async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const answer = answers.shift();
    if (!answer) {
      throw new Error(`unexpected call ${calls.length} to ${url}`);
    }
    if (answer instanceof Error) {
      throw answer;
    }
    return typeof answer === 'function' ? answer() : answer;
  });
  return { fetch: fetchImpl as unknown as typeof fetch, calls };
}

const json = (status: number, body: unknown, headers = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

function client(fetchImpl: typeof fetch, extra = {}) {
  const logger = { warn: jest.fn() };
  return {
    logger,
    http: new ProviderHttpClient({
      provider: 'Example',
      fetch: fetchImpl,
      retryBaseDelayMs: 1,
      logger: logger as any,
      secrets: ['s3cr3t-token'],
      ...extra,
    }),
  };
}

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error as ProviderRequestError;
  }
  throw new Error('expected the call to fail');
}

describe('ProviderHttpClient', () => {
  it('retries a GET after 5xx answers and network failures, then returns the answer', async () => {
    const connectionReset = Object.assign(new TypeError('fetch failed'), {
      cause: { code: 'ECONNRESET' },
    });
    const { fetch, calls } = scriptedFetch(
      json(503, { message: 'down' }),
      connectionReset,
      json(200, { ok: true }),
    );
    const { http, logger } = client(fetch);
    await expect(
      http.json('https://api.example.com/things?page=2'),
    ).resolves.toEqual({ ok: true });
    expect(calls).toHaveLength(3);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /^Example answered 503 Service Unavailable to GET https:\/\/api\.example\.com\/things: down; retry 1 of 3 in/,
      ),
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'Example could not be reached for GET https://api.example.com/things: ECONNRESET; retry 2 of 3',
      ),
    );
  });

  it('gives up after the bounded number of retries with the last error', async () => {
    const { fetch, calls } = scriptedFetch(
      ...Array.from({ length: 4 }, () => () => json(502, { message: 'bad' })),
    );
    const error = await failure(client(fetch).http.request('https://x.test/a'));
    expect(calls).toHaveLength(4);
    expect(error).toBeInstanceOf(ProviderRequestError);
    expect(error.status).toBe(502);
    expect(error.message).toBe(
      'Example answered 502 Bad Gateway to GET https://x.test/a: bad',
    );
  });

  it('does not retry a POST on 5xx, where repeating could act twice', async () => {
    const { fetch, calls } = scriptedFetch(json(500, { message: 'oops' }));
    const error = await failure(
      client(fetch).http.request('https://x.test/dispatch', {
        method: 'POST',
        body: '{}',
      }),
    );
    expect(calls).toHaveLength(1);
    expect(error.status).toBe(500);
  });

  it('retries a POST that is marked idempotent, and any request on 429', async () => {
    const idempotent = scriptedFetch(json(500, {}), json(200, {}));
    await client(idempotent.fetch).http.request('https://x.test/sync', {
      method: 'POST',
      idempotent: true,
    });
    expect(idempotent.calls).toHaveLength(2);

    const limited = scriptedFetch(
      json(429, { message: 'slow down' }, { 'retry-after': '0' }),
      new Response(null, { status: 202 }),
    );
    const response = await client(limited.fetch).http.request(
      'https://x.test/enqueue',
      { method: 'POST' },
    );
    expect(response.status).toBe(202);
    expect(limited.calls).toHaveLength(2);
  });

  it('retries a GitHub rate-limit 403 but not a permission 403', async () => {
    const limited = scriptedFetch(
      json(
        403,
        { message: 'API rate limit exceeded' },
        {
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(Math.floor(Date.now() / 1000)),
        },
      ),
      json(200, { id: 1 }),
    );
    await expect(
      client(limited.fetch).http.json('https://x.test/runs/1'),
    ).resolves.toEqual({ id: 1 });
    expect(limited.calls).toHaveLength(2);

    const denied = scriptedFetch(
      json(403, { message: 'Resource not accessible by integration' }),
    );
    const error = await failure(
      client(denied.fetch).http.request('https://x.test/runs/1'),
    );
    expect(denied.calls).toHaveLength(1);
    expect(error.rateLimited).toBe(false);
    expect(error.providerMessage).toBe(
      'Resource not accessible by integration',
    );
  });

  it('fails at once when the provider asks to wait longer than allowed, saying until when', async () => {
    const { fetch, calls } = scriptedFetch(
      json(
        429,
        { error: { code: 2020, message: 'Rate Limit Exceeded' } },
        {
          'ratelimit-reset': '120',
        },
      ),
    );
    const error = await failure(
      client(fetch, { maxRetryDelayMs: 10_000 }).http.request(
        'https://x.test/oncalls',
      ),
    );
    expect(calls).toHaveLength(1);
    expect(error.rateLimited).toBe(true);
    expect(error.message).toMatch(
      /^Example answered 429 Too Many Requests to GET https:\/\/x\.test\/oncalls: Rate Limit Exceeded; it asks to wait 120 s \(until \d{4}-\d\d-\d\dT.*Z\), try again then$/,
    );
  });

  it('times out each attempt and says so', async () => {
    const hanging = jest.fn(
      (_url: string, init: RequestInit) =>
        new Promise<Response>((_, reject) =>
          init.signal!.addEventListener('abort', () =>
            reject(init.signal!.reason),
          ),
        ),
    );
    const { http } = client(hanging as unknown as typeof fetch, {
      timeoutMs: 20,
      maxRetries: 1,
    });
    const error = await failure(http.request('https://x.test/slow'));
    expect(hanging).toHaveBeenCalledTimes(2);
    expect(error.message).toBe(
      'Example did not answer GET https://x.test/slow within 20 ms',
    );
  });

  it('stops at once when the caller aborts, without retrying', async () => {
    const controller = new AbortController();
    const { fetch, calls } = scriptedFetch(() => {
      controller.abort(new Error('deployment cancelled'));
      return json(503, {});
    });
    await expect(
      client(fetch).http.request('https://x.test/a', {
        signal: controller.signal,
      }),
    ).rejects.toThrow('deployment cancelled');
    expect(calls).toHaveLength(1);
  });

  it('never puts a secret in an error message', async () => {
    const { fetch } = scriptedFetch(
      json(401, { message: 'Bad credentials: s3cr3t-token' }),
    );
    const error = await failure(
      client(fetch).http.request('https://x.test/a?token=s3cr3t-token'),
    );
    expect(error.message).toBe(
      'Example answered 401 Unauthorized to GET https://x.test/a: Bad credentials: ***',
    );
    expect(JSON.stringify(error.providerMessage)).not.toContain('s3cr3t');
    expect(error.body).toEqual({ message: 'Bad credentials: ***' });
  });

  it('redacts the credential inside an Authorization value as well as the whole value', async () => {
    const basic = Buffer.from('robot:pa55word').toString('base64');
    const { fetch } = scriptedFetch(
      json(401, { message: 'bad proxy-t0ken, robot:pa55word or pa55word' }),
    );
    const error = await failure(
      client(fetch, {
        secrets: ['Bearer proxy-t0ken', `Basic ${basic}`],
      }).http.request('https://x.test/a'),
    );
    expect(error.message).toBe(
      'Example answered 401 Unauthorized to GET https://x.test/a: bad ***, *** or ***',
    );
  });

  it('redacts the secrets of one request too', async () => {
    const { fetch } = scriptedFetch(
      json(401, { message: 'token ghs_rotating123 expired' }),
    );
    const error = await failure(
      client(fetch).http.request('https://x.test/a', {
        secrets: ['ghs_rotating123'],
      }),
    );
    expect(error.message).toBe(
      'Example answered 401 Unauthorized to GET https://x.test/a: token *** expired',
    );
    expect(error.body).toEqual({ message: 'token *** expired' });
  });

  it('keeps secrets out of the excerpt of a body that is not JSON', async () => {
    const { fetch } = scriptedFetch(
      new Response('<html>Authorization: Bearer s3cr3t-token</html>', {
        status: 200,
      }),
    );
    const error = await failure(client(fetch).http.json('https://x.test/app'));
    expect(error.message).toBe(
      'Example answered https://x.test/app with a body that is not JSON: "<html>Authorization: Bearer ***</html>"',
    );
  });

  it('fails naming the field when an answer does not have the shape asked for', async () => {
    const { fetch } = scriptedFetch(
      json(200, { runs: [{ id: 1 }, { id: 's3cr3t-token' }] }),
    );
    const error = await failure(
      client(fetch).http.json('https://x.test/runs?page=1', {
        shape: { runs: [{ id: 'number' }] },
      }),
    );
    expect(error).toBeInstanceOf(ProviderRequestError);
    expect(error.transient).toBe(false);
    expect(error.message).toBe(
      'Example answered GET https://x.test/runs with a body Ownops does not understand: runs[1].id is a string, not a number',
    );
  });

  it('follows a redirect on the same origin, and refuses one to another host without retrying', async () => {
    const redirect = (status: number, location: string) =>
      new Response(null, { status, headers: { location } });
    const same = scriptedFetch(
      redirect(301, '/repositories/42/runs/1'),
      json(200, { id: 1 }),
    );
    await expect(
      client(same.fetch).http.json('https://x.test/repos/a/b/runs/1'),
    ).resolves.toEqual({ id: 1 });
    expect(same.calls.map(c => [c.url, c.init.redirect])).toEqual([
      ['https://x.test/repos/a/b/runs/1', 'manual'],
      ['https://x.test/repositories/42/runs/1', 'manual'],
    ]);

    const away = scriptedFetch(redirect(302, 'https://evil.test/steal'));
    const error = await failure(
      client(away.fetch).http.request('https://x.test/a?token=s3cr3t-token'),
    );
    expect(away.calls).toHaveLength(1);
    expect(error.transient).toBe(false);
    expect(error.message).toBe(
      'Example answered GET https://x.test/a with a redirect to another host (https://evil.test), which Ownops does not follow; configure the URL of the API itself',
    );
  });

  it('continues a POST redirected with 303 as a GET without its body', async () => {
    const { fetch, calls } = scriptedFetch(
      new Response(null, { status: 303, headers: { location: '/status' } }),
      json(200, { done: true }),
    );
    await client(fetch).http.request('https://x.test/enqueue', {
      method: 'POST',
      body: '{"a":1}',
    });
    expect(calls[1].init).toMatchObject({ method: 'GET', body: undefined });
  });

  it('accepts error statuses the caller expects, and names a body that is not JSON', async () => {
    const { fetch } = scriptedFetch(
      json(404, { message: 'Not Found' }),
      new Response('<html>proxy error</html>', { status: 200 }),
    );
    const { http } = client(fetch);
    const absent = await http.request('https://x.test/app', { accept: [404] });
    expect(absent.status).toBe(404);
    const error = await failure(http.json('https://x.test/app?x=1'));
    expect(error.message).toBe(
      'Example answered https://x.test/app with a body that is not JSON: "<html>proxy error</html>"',
    );
  });
});
