import { ConfigReader } from '@backstage/config';
import { readCostAsOf, readCostClock } from './costClock';

const config = (asOf?: unknown) =>
  new ConfigReader(asOf === undefined ? {} : { ownops: { cost: { asOf } } });

describe('readCostClock', () => {
  it('answers noon UTC of ownops.cost.asOf, every time', () => {
    const now = readCostClock(config('2028-02-29'));
    expect(now().toISOString()).toBe('2028-02-29T12:00:00.000Z');
    expect(now().toISOString()).toBe('2028-02-29T12:00:00.000Z');
  });

  it('answers the real time without ownops.cost.asOf', () => {
    const now = readCostClock(config());
    const before = Date.now();
    const read = now().getTime();
    expect(read).toBeGreaterThanOrEqual(before);
    expect(read).toBeLessThanOrEqual(Date.now());
    expect(readCostAsOf(config())).toBeUndefined();
  });

  it.each(['2027-02-29', '2026-13-01', '2026-1-05', '20261105', 'today'])(
    'refuses %p, naming the key',
    value => {
      expect(() => readCostClock(config(value))).toThrow(
        `ownops.cost.asOf must be a day as YYYY-MM-DD, e.g. "2026-11-20", got "${value}"`,
      );
    },
  );
});
