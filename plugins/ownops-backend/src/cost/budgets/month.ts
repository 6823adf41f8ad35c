import { InputError } from '@backstage/errors';
import { IsoDay } from '@ownops/backstage-plugin-common';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** A calendar month, UTC: `YYYY-MM`. */
export type IsoMonth = string;

/** The UTC month of a moment, `YYYY-MM`. */
export function monthOf(date: Date): IsoMonth {
  return date.toISOString().slice(0, 7);
}

/** The UTC day of a moment, `YYYY-MM-DD`. */
export function dayOf(date: Date): IsoDay {
  return date.toISOString().slice(0, 10);
}

/**
 * Checks a `YYYY-MM` month from a request; throws an `InputError` naming
 * the field otherwise.
 */
export function parseMonth(value: string, field = 'month'): IsoMonth {
  if (!MONTH.test(value) || value < '1970-01') {
    throw new InputError(
      `${field} must be a month as YYYY-MM, e.g. "2026-11", got "${value}"`,
    );
  }
  return value;
}

function yearAndMonth(month: IsoMonth): [number, number] {
  const match = MONTH.exec(month);
  if (!match) {
    throw new TypeError(`Not a month as YYYY-MM: "${month}"`);
  }
  return [Number(match[1]), Number(match[2])];
}

/** How many days the month has: 28 to 31. */
export function daysInMonth(month: IsoMonth): number {
  const [year, monthNumber] = yearAndMonth(month);
  // Day 0 of the next month is the last day of this one.
  return new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
}

/** The month as a range of days: its first day and the next month's first (exclusive). */
export function monthRange(month: IsoMonth): { from: IsoDay; to: IsoDay } {
  const [year, monthNumber] = yearAndMonth(month);
  return {
    from: `${month}-01`,
    to: new Date(Date.UTC(year, monthNumber, 1)).toISOString().slice(0, 10),
  };
}

/** The month before, e.g. `2026-01` → `2025-12`. */
export function previousMonth(month: IsoMonth): IsoMonth {
  const [year, monthNumber] = yearAndMonth(month);
  return new Date(Date.UTC(year, monthNumber - 2, 1)).toISOString().slice(0, 7);
}

/** "November 2026", for people. */
export function monthLabel(month: IsoMonth): string {
  const [year, monthNumber] = yearAndMonth(month);
  return new Date(Date.UTC(year, monthNumber - 1, 1)).toLocaleDateString(
    'en-US',
    { month: 'long', year: 'numeric', timeZone: 'UTC' },
  );
}
