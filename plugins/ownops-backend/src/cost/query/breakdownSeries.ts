import {
  CostBreakdown,
  CostBreakdownRow,
} from '@ownops/backstage-plugin-common';
import { CostDimension, CostSum } from '../../database/CostStore';
import { decimalToNanos, nanosToDecimal } from '../money/nanos';

/**
 * The breakdown's daily series is drawn for this many of the costliest keys
 * per currency; the rest of each day is one "other" point. A year of 200
 * owners would otherwise be 73,000 points that no chart can show.
 */
export const SERIES_TOP_KEYS = 10;

type SeriesPoint = CostBreakdown['series'][number];

/** The costliest keys of each currency (rows are sorted by cost within a currency). */
export function topSeriesKeys(
  rows: CostBreakdownRow[],
  limit = SERIES_TOP_KEYS,
): { keys: Array<string | null>; complete: boolean } {
  const perCurrency = new Map<string, number>();
  const keys = new Set<string | null>();
  let complete = true;
  for (const row of rows) {
    const taken = perCurrency.get(row.currency) ?? 0;
    if (taken < limit) {
      keys.add(row.key);
      perCurrency.set(row.currency, taken + 1);
    } else {
      complete = false;
    }
  }
  return { keys: [...keys], complete };
}

/**
 * Daily points of the top keys, plus, per day and currency, one point with
 * `other: true` holding the rest of that day's cost: the day's total less the
 * top keys, exact to the nano.
 */
export function seriesWithOther(
  keyed: CostSum[],
  dayTotals: CostSum[],
  dimension: CostDimension,
): SeriesPoint[] {
  const points: SeriesPoint[] = keyed.map(sum => ({
    day: sum.day!,
    key: sum[dimension] ?? null,
    currency: sum.currency,
    effectiveCost: sum.effectiveCost,
  }));
  const keyedPerDay = new Map<string, bigint>();
  for (const sum of keyed) {
    const dayKey = `${sum.day} ${sum.currency}`;
    keyedPerDay.set(
      dayKey,
      (keyedPerDay.get(dayKey) ?? 0n) + decimalToNanos(sum.effectiveCost),
    );
  }
  for (const total of dayTotals) {
    const rest =
      decimalToNanos(total.effectiveCost) -
      (keyedPerDay.get(`${total.day} ${total.currency}`) ?? 0n);
    if (rest !== 0n) {
      points.push({
        day: total.day!,
        key: null,
        other: true,
        currency: total.currency,
        effectiveCost: nanosToDecimal(rest),
      });
    }
  }
  return points.sort((a, b) => (a.day < b.day ? -1 : Number(a.day > b.day)));
}
