import {
  DecimalString,
  FORECAST_TRAILING_DAYS,
  IsoDay,
} from '@ownops/backstage-plugin-common';
import { decimalToNanos, nanosToDecimal } from '../money/nanos';
import { daysInMonth, IsoMonth, monthRange } from './month';

/** Fraction digits the projected part of a forecast is rounded to. */
export const FORECAST_FRACTION_DIGITS = 4;
/** Nanos in one unit of the last kept forecast digit (10^(9 - 4)). */
const NANOS_PER_FORECAST_UNIT = 100_000n;

/** The cost of one day, in one currency. */
export interface DailyAmount {
  day: IsoDay;
  /** Exact decimal string; negative for credits. */
  amount: DecimalString;
}

export interface MonthForecast {
  /** Sum of the month's days, exact. */
  monthToDate: DecimalString;
  /** Month-to-date plus the projection of the days left, see {@link forecastMonth}. */
  forecast: DecimalString;
  /** Last day of the month with any cost row, null when the month has none. */
  dataThrough: IsoDay | null;
}

/**
 * Forecasts a month's cost in one currency from its daily cost.
 *
 * - `monthToDate` is the exact sum of the month's days; days outside the
 *   month are ignored and repeated days are added up.
 * - `dataThrough` is the last day of the month with data. Billing data lags
 *   (often one to three days), so it may be well before `today`.
 * - The daily run rate is the average over the {@link FORECAST_TRAILING_DAYS}
 *   calendar days ending at `dataThrough`, a day without data counting as
 *   zero. The window never reaches into the previous month: on the 3rd the
 *   average is over the 1st to the 3rd (three days).
 * - `forecast` = month-to-date + run rate × the days of the month after
 *   `dataThrough` (the days not billed yet, elapsed or not). A negative run
 *   rate (a window dominated by credits) projects zero: credits are one-off
 *   corrections, so the forecast never falls below month-to-date.
 * - For a month that has ended (`today` is on or after the next month's
 *   first day) or has not started, nothing is projected:
 *   forecast = month-to-date. A month without data has month-to-date and
 *   forecast `0` and `dataThrough` null.
 *
 * Arithmetic is exact (BigInt nanos). Only the projection is rounded, half
 * to even to {@link FORECAST_FRACTION_DIGITS} decimals, so the forecast of a
 * month that needs no projection is exactly its month-to-date.
 */
export function forecastMonth(
  month: IsoMonth,
  daily: DailyAmount[],
  today: Date,
): MonthForecast {
  const length = daysInMonth(month);
  const byDay = new Map<number, bigint>();
  const prefix = `${month}-`;
  for (const { day, amount } of daily) {
    if (!day.startsWith(prefix)) continue;
    const dayOfMonth = Number(day.slice(prefix.length));
    if (!Number.isInteger(dayOfMonth) || dayOfMonth < 1 || dayOfMonth > length)
      continue;
    byDay.set(
      dayOfMonth,
      (byDay.get(dayOfMonth) ?? 0n) + decimalToNanos(amount),
    );
  }
  if (byDay.size === 0) {
    return { monthToDate: '0', forecast: '0', dataThrough: null };
  }

  let monthToDate = 0n;
  for (const nanos of byDay.values()) monthToDate += nanos;
  const lastDay = Math.max(...byDay.keys());
  const dataThrough = `${prefix}${String(lastDay).padStart(2, '0')}`;

  const { from, to } = monthRange(month);
  const todayDay = today.toISOString().slice(0, 10);
  const inProgress = todayDay >= from && todayDay < to;
  const daysLeft = BigInt(length - lastDay);
  let projection = 0n;
  if (inProgress && daysLeft > 0n) {
    const windowStart = Math.max(1, lastDay - FORECAST_TRAILING_DAYS + 1);
    let windowSum = 0n;
    for (let d = windowStart; d <= lastDay; d++) {
      windowSum += byDay.get(d) ?? 0n;
    }
    if (windowSum > 0n) {
      const windowDays = BigInt(lastDay - windowStart + 1);
      projection =
        divideHalfEven(
          windowSum * daysLeft,
          windowDays * NANOS_PER_FORECAST_UNIT,
        ) * NANOS_PER_FORECAST_UNIT;
    }
  }
  return {
    monthToDate: nanosToDecimal(monthToDate),
    forecast: nanosToDecimal(monthToDate + projection),
    dataThrough,
  };
}

/** `numerator / denominator` rounded half to even; both non-negative, denominator > 0. */
export function divideHalfEven(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  const twiceRemainder = (numerator % denominator) * 2n;
  if (
    twiceRemainder > denominator ||
    (twiceRemainder === denominator && quotient % 2n === 1n)
  ) {
    return quotient + 1n;
  }
  return quotient;
}
