import { InputError } from '@backstage/errors';
import { IsoDay } from '@ownops/backstage-plugin-common';

const DAY_MS = 86_400_000;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The longest range a cost query may cover. */
export const MAX_RANGE_DAYS = 800;
/** The range when a query gives no `from`. */
export const DEFAULT_RANGE_DAYS = 30;

export function parseIsoDay(value: string, field: string): number {
  const time = Date.parse(`${value}T00:00:00Z`);
  if (
    !ISO_DAY.test(value) ||
    Number.isNaN(time) ||
    new Date(time).toISOString().slice(0, 10) !== value
  ) {
    throw new InputError(
      `${field} must be a day as YYYY-MM-DD, got "${value}"`,
    );
  }
  return time;
}

export function formatDay(time: number): IsoDay {
  return new Date(time).toISOString().slice(0, 10);
}

export function addDays(day: IsoDay, days: number): IsoDay {
  return formatDay(parseIsoDay(day, 'day') + days * DAY_MS);
}

export function daysBetween(from: IsoDay, to: IsoDay): number {
  return Math.round(
    (parseIsoDay(to, 'to') - parseIsoDay(from, 'from')) / DAY_MS,
  );
}

/**
 * Resolves a query's range: `to` (exclusive) defaults to the day after the
 * last day with data (today's next day without data), `from` to
 * {@link DEFAULT_RANGE_DAYS} before `to`. Throws an `InputError` naming the
 * field for malformed, reversed or overlong ranges.
 */
export function resolveRange(
  query: { from?: string; to?: string },
  lastDayWithData: IsoDay | undefined,
  today: Date,
): { from: IsoDay; to: IsoDay } {
  const to =
    query.to ??
    (lastDayWithData
      ? addDays(lastDayWithData, 1)
      : formatDay(
          Date.UTC(
            today.getUTCFullYear(),
            today.getUTCMonth(),
            today.getUTCDate() + 1,
          ),
        ));
  const toTime = parseIsoDay(to, 'to');
  const from = query.from ?? formatDay(toTime - DEFAULT_RANGE_DAYS * DAY_MS);
  const fromTime = parseIsoDay(from, 'from');
  if (fromTime >= toTime) {
    throw new InputError(
      `from must be before to (to is exclusive), got from=${from} to=${to}`,
    );
  }
  if (toTime - fromTime > MAX_RANGE_DAYS * DAY_MS) {
    throw new InputError(
      `from and to may be at most ${MAX_RANGE_DAYS} days apart, got from=${from} to=${to}`,
    );
  }
  return { from, to };
}
