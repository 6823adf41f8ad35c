import {
  chunksOf,
  dayStart,
  isoSeconds,
  monthStart,
  monthsOverlapping,
} from './calendar';

const at = (iso: string) => new Date(iso);

describe('calendar', () => {
  it('finds the start of a month in UTC, across years', () => {
    expect(monthStart(at('2025-03-31T23:59:59Z')).toISOString()).toBe(
      '2025-03-01T00:00:00.000Z',
    );
    expect(monthStart(at('2025-12-15T00:00:00Z'), 1).toISOString()).toBe(
      '2026-01-01T00:00:00.000Z',
    );
    expect(monthStart(at('2025-01-15T00:00:00Z'), -1).toISOString()).toBe(
      '2024-12-01T00:00:00.000Z',
    );
  });

  it('finds the start of a day in UTC, with an offset in days', () => {
    expect(dayStart(at('2025-02-28T18:30:00Z'), 1).toISOString()).toBe(
      '2025-03-01T00:00:00.000Z',
    );
    expect(dayStart(at('2024-02-28T18:30:00Z'), 1).toISOString()).toBe(
      '2024-02-29T00:00:00.000Z',
    );
    expect(dayStart(at('2025-06-10T00:00:00Z'), -3).toISOString()).toBe(
      '2025-06-07T00:00:00.000Z',
    );
  });

  it('lists the months overlapping a window, end excluded', () => {
    const months = monthsOverlapping({
      start: at('2025-11-20T00:00:00Z'),
      end: at('2026-02-01T00:00:00Z'),
    });
    expect(months.map(isoSeconds)).toEqual([
      '2025-11-01T00:00:00Z',
      '2025-12-01T00:00:00Z',
      '2026-01-01T00:00:00Z',
    ]);
    expect(
      monthsOverlapping({
        start: at('2025-05-01T00:00:00Z'),
        end: at('2025-05-01T00:00:00Z'),
      }),
    ).toEqual([]);
  });

  it('writes ISO 8601 without milliseconds', () => {
    expect(isoSeconds(at('2025-06-01T12:34:56.789Z'))).toBe(
      '2025-06-01T12:34:56Z',
    );
  });

  it('cuts a range into pieces of at most the given days', () => {
    const chunks = chunksOf(
      { start: at('2025-02-01T00:00:00Z'), end: at('2025-02-10T12:00:00Z') },
      4,
    );
    expect(chunks.map(c => [isoSeconds(c.start), isoSeconds(c.end)])).toEqual([
      ['2025-02-01T00:00:00Z', '2025-02-05T00:00:00Z'],
      ['2025-02-05T00:00:00Z', '2025-02-09T00:00:00Z'],
      ['2025-02-09T00:00:00Z', '2025-02-10T12:00:00Z'],
    ]);
    expect(
      chunksOf({ start: at('2025-02-01'), end: at('2025-02-01') }, 4),
    ).toEqual([]);
  });

  it('refuses pieces that are not longer than zero days', () => {
    const range = { start: at('2025-02-01'), end: at('2025-02-02') };
    expect(() => chunksOf(range, 0)).toThrow(RangeError);
    expect(() => chunksOf(range, NaN)).toThrow(RangeError);
  });
});
