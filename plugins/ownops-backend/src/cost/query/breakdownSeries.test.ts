import { CostBreakdownRow } from '@ownops/backstage-plugin-common';
import { CostSum } from '../../database/CostStore';
import { seriesWithOther, topSeriesKeys } from './breakdownSeries';

const row = (key: string | null, currency = 'USD'): CostBreakdownRow => ({
  key,
  currency,
  billedCost: '1',
  effectiveCost: '1',
  previousEffectiveCost: '0',
  changePercent: null,
});

const sum = (
  day: string,
  ownerRef: string | undefined,
  effectiveCost: string,
  currency = 'USD',
): CostSum => ({
  day,
  ...(ownerRef !== undefined && { ownerRef }),
  currency,
  billedCost: effectiveCost,
  effectiveCost,
});

describe('topSeriesKeys', () => {
  it('takes the first keys of each currency and says whether any was left out', () => {
    const rows = [
      row('a'),
      row('b'),
      row('c'),
      row('x', 'EUR'),
      row(null, 'EUR'),
    ];
    expect(topSeriesKeys(rows, 2)).toEqual({
      keys: ['a', 'b', 'x', null],
      complete: false,
    });
    expect(topSeriesKeys(rows, 3)).toEqual({
      keys: ['a', 'b', 'c', 'x', null],
      complete: true,
    });
  });
});

describe('seriesWithOther', () => {
  it('adds the rest of each day as one exact "other" point per currency', () => {
    const series = seriesWithOther(
      [
        sum('2026-11-02', 'group:default/a', '10.000000001'),
        sum('2026-11-01', 'group:default/a', '5'),
        sum('2026-11-01', 'group:default/b', '2.5'),
      ],
      [
        sum('2026-11-01', undefined, '7.5'),
        sum('2026-11-02', undefined, '12.100000002'),
        sum('2026-11-02', undefined, '3', 'EUR'),
      ],
      'ownerRef',
    );
    expect(series).toEqual([
      {
        day: '2026-11-01',
        key: 'group:default/a',
        currency: 'USD',
        effectiveCost: '5',
      },
      {
        day: '2026-11-01',
        key: 'group:default/b',
        currency: 'USD',
        effectiveCost: '2.5',
      },
      {
        day: '2026-11-02',
        key: 'group:default/a',
        currency: 'USD',
        effectiveCost: '10.000000001',
      },
      {
        day: '2026-11-02',
        key: null,
        other: true,
        currency: 'USD',
        effectiveCost: '2.100000001',
      },
      {
        day: '2026-11-02',
        key: null,
        other: true,
        currency: 'EUR',
        effectiveCost: '3',
      },
    ]);
  });
});
