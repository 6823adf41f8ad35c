import { IsoDay } from '@ownops/backstage-plugin-common';
import { dateFormat } from '../intlFormats';

const DAY_MS = 86_400_000;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDay(value: string | null | undefined): value is IsoDay {
  if (!value || !ISO_DAY.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return (
    !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value
  );
}

function dayTime(day: IsoDay): number {
  return Date.parse(`${day}T00:00:00Z`);
}

function formatDay(time: number): IsoDay {
  return new Date(time).toISOString().slice(0, 10);
}

export function addDays(day: IsoDay, days: number): IsoDay {
  return formatDay(dayTime(day) + days * DAY_MS);
}

export function daysBetween(from: IsoDay, to: IsoDay): number {
  return Math.round((dayTime(to) - dayTime(from)) / DAY_MS);
}

/** Every day from `from` up to, not including, `to`. */
export function eachDay(from: IsoDay, to: IsoDay): IsoDay[] {
  const days: IsoDay[] = [];
  const end = dayTime(to);
  // Bounded: the backend never answers more than 800 days.
  for (let t = dayTime(from); t < end && days.length < 1000; t += DAY_MS) {
    days.push(formatDay(t));
  }
  return days;
}

/** Today in UTC as `YYYY-MM-DD`. */
export function todayUtc(now: Date = new Date()): IsoDay {
  return now.toISOString().slice(0, 10);
}

/** `YYYY-MM` → its first day. */
export function monthStart(month: string): IsoDay {
  return `${month}-01`;
}

/** `YYYY-MM` → the first day of the month after it. */
export function nextMonthStart(month: string): IsoDay {
  const [year, m] = month.split('-').map(Number);
  return formatDay(Date.UTC(year, m, 1));
}

export function daysInMonth(month: string): number {
  return daysBetween(monthStart(month), nextMonthStart(month));
}

/** `2026-11-01`, `2026-11-30` (exclusive end) → `1 Nov 2026 – 29 Nov 2026`. */
export function describeRange(from: IsoDay, to: IsoDay): string {
  const format = (day: IsoDay) =>
    dateFormat('en-GB', {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(dayTime(day));
  const days = daysBetween(from, to);
  return `${format(from)} – ${format(addDays(to, -1))} (${days} ${
    days === 1 ? 'day' : 'days'
  })`;
}

/** `2026-11-03` → `Nov 3`, for chart axes. */
export function shortDay(day: IsoDay): string {
  return dateFormat('en-US', {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(dayTime(day));
}

/** `2026-11` → `November 2026`. */
export function describeMonth(month: string): string {
  return dateFormat('en-GB', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(dayTime(monthStart(month)));
}

export type RangePreset =
  | 'default'
  | 'last30'
  | 'last90'
  | 'thisMonth'
  | 'previousMonth';

export const RANGE_PRESETS: ReadonlyArray<{
  value: RangePreset;
  label: string;
}> = [
  { value: 'default', label: '30 days up to the latest data' },
  { value: 'last30', label: 'Last 30 days' },
  { value: 'last90', label: 'Last 90 days' },
  { value: 'thisMonth', label: 'This month' },
  { value: 'previousMonth', label: 'Previous month' },
];

/**
 * The range of a preset as the API takes it (`to` exclusive), or undefined
 * for `default`, which leaves the range to the backend: the 30 days up to
 * its last day with data. "This month" runs to today (month to date).
 */
export function presetRange(
  preset: RangePreset,
  now: Date = new Date(),
): { from: IsoDay; to: IsoDay } | undefined {
  const today = todayUtc(now);
  const tomorrow = addDays(today, 1);
  const month = today.slice(0, 7);
  switch (preset) {
    case 'last30':
      return { from: addDays(tomorrow, -30), to: tomorrow };
    case 'last90':
      return { from: addDays(tomorrow, -90), to: tomorrow };
    case 'thisMonth':
      return { from: monthStart(month), to: tomorrow };
    case 'previousMonth': {
      const to = monthStart(month);
      return { from: monthStart(addDays(to, -1).slice(0, 7)), to };
    }
    default:
      return undefined;
  }
}

/** The preset a range matches, if any. */
export function matchPreset(
  range: { from?: IsoDay; to?: IsoDay },
  now: Date = new Date(),
): RangePreset | undefined {
  if (!range.from && !range.to) return 'default';
  return RANGE_PRESETS.map(p => p.value).find(preset => {
    const r = presetRange(preset, now);
    return r && r.from === range.from && r.to === range.to;
  });
}
