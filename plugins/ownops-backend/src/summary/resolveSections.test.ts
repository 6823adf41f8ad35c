import { resolveSections } from './resolveSections';

describe('resolveSections', () => {
  it('returns every section beside the errors of the others', async () => {
    let hangingSignal: AbortSignal | undefined;
    const result = await resolveSections(
      {
        deployments: { load: async () => ({ production: '1.2.0' }) },
        cost: {
          load: async () => {
            throw new Error('the database is down');
          },
        },
        oncall: {
          load: (signal: AbortSignal) => {
            hangingSignal = signal;
            return new Promise<string>(() => {});
          },
        },
        budget: {
          load: async () => ({ amount: 12 }),
          validate: (data: { amount: unknown }) =>
            typeof data.amount === 'string'
              ? undefined
              : 'amount must be a decimal string',
        },
      },
      { timeoutMs: 50 },
    );
    expect(result).toEqual({
      deployments: { status: 'ok', data: { production: '1.2.0' } },
      cost: { status: 'error', error: 'cost failed: the database is down' },
      oncall: {
        status: 'timeout',
        error: 'oncall did not answer within 50 ms',
      },
      budget: {
        status: 'error',
        error:
          'budget returned malformed data: amount must be a decimal string',
      },
    });
    expect(hangingSignal?.aborted).toBe(true);
  });

  it('loads sections concurrently, not one after another', async () => {
    const started: string[] = [];
    const slow = (name: string) => ({
      load: async () => {
        started.push(name);
        await new Promise(r => setTimeout(r, 30));
        return name;
      },
    });
    const result = await resolveSections(
      { a: slow('a'), b: slow('b'), c: slow('c') },
      { timeoutMs: 1_000 },
    );
    expect(started).toEqual(['a', 'b', 'c']);
    expect(result.c).toEqual({ status: 'ok', data: 'c' });
  });

  it('names a thrown non-error value', async () => {
    const result = await resolveSections(
      {
        odd: {
          load: async () => {
            throw 'plain string'; // eslint-disable-line no-throw-literal
          },
        },
      },
      { timeoutMs: 100 },
    );
    expect(result.odd).toEqual({
      status: 'error',
      error: 'odd failed: plain string',
    });
  });
});
