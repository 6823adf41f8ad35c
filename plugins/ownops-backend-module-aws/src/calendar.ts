const DAY_MS = 24 * 60 * 60 * 1000;

/** 00:00 UTC of the first day of the month `date` falls in, `offset` months later. */
export function monthStart(date: Date, offset = 0): Date {
  return new Date(
    Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + offset, 1),
  );
}

/** 00:00 UTC of the day `date` falls in, `offset` days later. */
export function dayStart(date: Date, offset = 0): Date {
  return new Date(
    Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()) +
      offset * DAY_MS,
  );
}

/** The calendar months (their first days) that overlap `[start, end)`. */
export function monthsOverlapping(window: { start: Date; end: Date }): Date[] {
  const months: Date[] = [];
  for (
    let month = monthStart(window.start);
    month < window.end;
    month = monthStart(month, 1)
  ) {
    months.push(month);
  }
  return months;
}

/** `2025-06-01T00:00:00Z`: ISO 8601 without milliseconds. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
