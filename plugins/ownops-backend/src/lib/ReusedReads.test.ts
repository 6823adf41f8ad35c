import { ReusedReads } from './ReusedReads';

describe('ReusedReads', () => {
  let now = 0;
  const reads = () =>
    new ReusedReads<string, number>({
      ttlMs: 1_000,
      maxEntries: 2,
      now: () => now,
    });

  beforeEach(() => {
    now = 0;
  });

  it('shares one read per key, in flight and until it expires', async () => {
    const cache = reads();
    const read = jest.fn(async () => 7);
    expect(cache.get('a', read)).toBe(cache.get('a', read));
    expect(await cache.get('a', read)).toBe(7);
    expect(read).toHaveBeenCalledTimes(1);

    await cache.get('b', read);
    expect(read).toHaveBeenCalledTimes(2);

    now = 999;
    await cache.get('a', read);
    expect(read).toHaveBeenCalledTimes(2);
    now = 1_000;
    await cache.get('a', read);
    expect(read).toHaveBeenCalledTimes(3);
  });

  it('drops a failed read at once', async () => {
    const cache = reads();
    await expect(
      cache.get('a', async () => {
        throw new Error('catalog down');
      }),
    ).rejects.toThrow('catalog down');
    expect(await cache.get('a', async () => 1)).toBe(1);
  });

  it('forgets the oldest key beyond maxEntries', async () => {
    const cache = reads();
    const read = jest.fn(async () => 1);
    await cache.get('a', read);
    await cache.get('b', read);
    await cache.get('c', read);
    expect(read).toHaveBeenCalledTimes(3);
    await cache.get('b', read);
    await cache.get('c', read);
    expect(read).toHaveBeenCalledTimes(3);
    await cache.get('a', read);
    expect(read).toHaveBeenCalledTimes(4);
  });
});
