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

  it('says the whole key, the value and what to give', () => {
    expect(() => read('soon')).toThrow(
      new Error(
        'Invalid ownops.x.timeout "soon": ownops.x.timeout must be a duration such as "30s" or { seconds: 30 }, or a number of milliseconds',
      ),
    );
    expect(() => read(-5)).toThrow(
      new Error(
        'Invalid ownops.x.timeout -5: ownops.x.timeout must be a positive duration such as "30s" or { seconds: 30 }, or a number of milliseconds above zero',
      ),
    );
  });

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
