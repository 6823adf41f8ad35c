import { ConfigReader } from '@backstage/config';
import { readDurationMs } from './readDurationMs';

const read = (timeout: unknown) =>
  readDurationMs(
    new ConfigReader(timeout === undefined ? {} : { timeout }),
    'timeout',
    { defaultMs: 10_000, fullKey: 'ownops.x.timeout' },
  );

describe('readDurationMs', () => {
  it('gives the default when the key is absent', () => {
    expect(read(undefined)).toBe(10_000);
  });

  it.each([
    [2500, 2500],
    ['45s', 45_000],
    ['2m', 120_000],
    ['PT1M30S', 90_000],
    [{ seconds: 30 }, 30_000],
    [{ minutes: 1, seconds: 5 }, 65_000],
  ])('reads %j as %d ms', (value, ms) => {
    expect(read(value)).toBe(ms);
  });

  it.each(['soon', '10 parsecs', { weeks: 'one' }, true])(
    'refuses %j, naming the key and what to give',
    value => {
      expect(() => read(value)).toThrow(
        /^Invalid ownops\.x\.timeout .*: ownops\.x\.timeout must be a duration such as "30s"/,
      );
    },
  );

  it.each([0, -5, '0s', { seconds: 0 }])(
    'refuses %j as not longer than zero',
    value => {
      expect(() => read(value)).toThrow(
        'ownops.x.timeout must be a positive duration',
      );
    },
  );

  it('reads keys below the config it is given', () => {
    const config = new ConfigReader({ http: { timeout: '3s' } });
    expect(
      readDurationMs(config, 'http.timeout', {
        defaultMs: 1,
        fullKey: 'ownops.y.http.timeout',
      }),
    ).toBe(3000);
  });
});
