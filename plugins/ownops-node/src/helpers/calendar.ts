const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * 00:00 UTC of the first day of the month `date` falls in, `offset` months later.
 *
 * @public
 */
export function monthStart(date: Date, offset = 0): Date {
  return new Date(
    Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + offset, 1),
  );
}

/**
 * 00:00 UTC of the day `date` falls in, `offset` days later.
 *
 * @public
 */
export function dayStart(date: Date, offset = 0): Date {
  return new Date(
    Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()) +
      offset * DAY_MS,
  );
}

/**
 * The calendar months (their first days, UTC) that overlap `[start, end)`.
 *
 * @public
 */
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

/**
 * `[start, end)` cut into consecutive pieces of at most `days` days.
 *
 * @public
 */
export function chunksOf(
  range: { start: Date; end: Date },
  days: number,
): Array<{ start: Date; end: Date }> {
  if (!(days > 0)) {
    throw new RangeError(
      `chunksOf needs a positive number of days, got ${days}`,
    );
  }
  const chunks: Array<{ start: Date; end: Date }> = [];
  for (let start = range.start; start < range.end; ) {
    const next = new Date(
      Math.min(start.getTime() + days * DAY_MS, range.end.getTime()),
    );
    chunks.push({ start, end: next });
    start = next;
  }
  return chunks;
}

/**
 * `2025-06-01T00:00:00Z`: ISO 8601 without milliseconds.
 *
 * @public
 */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
