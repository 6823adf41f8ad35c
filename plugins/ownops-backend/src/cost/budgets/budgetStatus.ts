import {
  Budget,
  BudgetStatus,
  DecimalString,
  IsoDay,
} from '@ownops/backstage-plugin-common';
import { decimalToNanos } from '../money/nanos';
import { forecastMonth } from './forecast';
import { IsoMonth } from './month';

/**
 * Percentages are capped at this value (10,000 times the budget), so a tiny
 * or zero budget never produces an unreadable or infinite number.
 */
export const PERCENT_CAP = 1_000_000;

/** One day of cost in one currency, as `CostStore.sum(…, ['day'])` returns it. */
export interface DailyCost {
  day?: IsoDay | null;
  currency: string;
  effectiveCost: DecimalString;
}

/**
 * The status of a budget in a month, from the daily cost of the budget's
 * entity (a component's own rows, a group's owned rows).
 *
 * - Only cost in the budget's currency counts; the other currencies seen in
 *   the month are listed in `otherCurrencies`, never converted.
 * - `monthToDate`, `forecast` and `dataThrough` come from
 *   {@link forecastMonth}.
 * - `percentUsed` and `forecastPercent` are rounded down to one decimal
 *   (exact BigInt arithmetic, a number only at the end), so "80.0" always
 *   means 80 % was really reached, and `thresholdsReached` (the thresholds
 *   ≤ `percentUsed`) never runs ahead of the money.
 * - `state` is `over` when month-to-date ≥ the amount, `at-risk` when the
 *   forecast is, else `ok`.
 * - A budget of zero: any positive cost is over it (every threshold
 *   reached, percentages at {@link PERCENT_CAP}); zero or negative cost is
 *   `ok` at 0 %.
 */
export function computeBudgetStatus(options: {
  budget: Budget;
  source: BudgetStatus['budgetSource'];
  month: IsoMonth;
  daily: DailyCost[];
  today: Date;
}): BudgetStatus {
  const { budget, source, month, daily, today } = options;
  const currency = budget.currency.trim().toUpperCase();
  const prefix = `${month}-`;
  const inMonth = daily.filter(
    (row): row is DailyCost & { day: IsoDay } =>
      typeof row.day === 'string' && row.day.startsWith(prefix),
  );
  const otherCurrencies = [
    ...new Set(
      inMonth
        .map(row => row.currency.trim().toUpperCase())
        .filter(c => c !== currency),
    ),
  ].sort();
  const { monthToDate, forecast, dataThrough } = forecastMonth(
    month,
    inMonth
      .filter(row => row.currency.trim().toUpperCase() === currency)
      .map(row => ({ day: row.day, amount: row.effectiveCost })),
    today,
  );

  const amount = decimalToNanos(budget.amount);
  const spent = decimalToNanos(monthToDate);
  const projected = decimalToNanos(forecast);
  return {
    budget,
    budgetSource: source,
    month,
    monthToDate,
    forecast,
    dataThrough,
    percentUsed: percentOf(spent, amount),
    forecastPercent: percentOf(projected, amount),
    thresholdsReached: budget.thresholds
      .filter(threshold => reached(spent, amount, threshold))
      .sort((a, b) => a - b),
    state: (() => {
      if (reached(spent, amount, 100)) return 'over';
      if (reached(projected, amount, 100)) return 'at-risk';
      return 'ok';
    })(),
    otherCurrencies,
  };
}

/** Whether `value` is at least `percent` % of `amount` (all exact). */
function reached(value: bigint, amount: bigint, percent: number): boolean {
  if (amount === 0n) return value > 0n;
  return value * 100n >= BigInt(percent) * amount;
}

/**
 * `value` as a percentage of `amount`, rounded down (towards negative
 * infinity) to one decimal, within ±{@link PERCENT_CAP}.
 */
export function percentOf(value: bigint, amount: bigint): number {
  const cap = BigInt(PERCENT_CAP) * 10n;
  let tenths: bigint;
  if (amount === 0n) {
    tenths = value > 0n ? cap : 0n;
  } else {
    const numerator = value * 1000n;
    tenths = numerator / amount;
    // BigInt division truncates towards zero; floor negative results.
    if (numerator % amount !== 0n && numerator < 0n !== amount < 0n) {
      tenths -= 1n;
    }
  }
  if (tenths > cap) tenths = cap;
  if (tenths < -cap) tenths = -cap;
  return Number(tenths) / 10;
}
