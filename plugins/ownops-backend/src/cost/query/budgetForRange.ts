import { IsoDay } from '@ownops/backstage-plugin-common';
import { decimalToNanos, nanosToDecimal } from '../money/nanos';
import { parseIsoDay } from './dayRange';

/**
 * A monthly budget pro-rated to a range of days: for each month the range
 * touches, amount × days of the range in that month ÷ days of that month.
 * Exact to the cent, rounded half up once at the end.
 */
export function budgetForRange(
  monthlyAmount: string,
  range: { from: IsoDay; to: IsoDay },
): string {
  const amount = decimalToNanos(monthlyAmount);
  // Sum of amount × days / monthDays over months, kept as a fraction over
  // the product of the distinct month lengths (28–31) to stay exact.
  let numerator = 0n;
  let denominator = 1n;
  let day = range.from;
  while (day < range.to) {
    const time = parseIsoDay(day, 'from');
    const date = new Date(time);
    const monthDays = new Date(
      Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0),
    ).getUTCDate();
    const nextMonth = new Date(
      Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1),
    )
      .toISOString()
      .slice(0, 10);
    const end = nextMonth < range.to ? nextMonth : range.to;
    const days = BigInt(
      Math.round((parseIsoDay(end, 'to') - time) / 86_400_000),
    );
    const length = BigInt(monthDays);
    numerator = numerator * length + amount * days * denominator;
    denominator *= length;
    day = end;
  }
  const cents =
    (numerator * 100n * 2n + denominator * 1_000_000_000n) /
    (2n * denominator * 1_000_000_000n);
  return nanosToDecimal(cents * 10_000_000n).replace(
    /^(-?\d+)(?:\.(\d+))?$/,
    (_, integer: string, fraction = '') =>
      `${integer}.${fraction.padEnd(2, '0')}`,
  );
}
