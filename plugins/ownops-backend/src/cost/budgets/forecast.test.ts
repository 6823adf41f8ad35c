import { DailyAmount, divideHalfEven, forecastMonth } from './forecast';
import {
  daysInMonth,
  monthLabel,
  monthRange,
  parseMonth,
  previousMonth,
} from './month';

/** `amount` on each of the days `from`..`to` of `month`. */
function days(
  month: string,
  from: number,
  to: number,
  amount: string,
): DailyAmount[] {
  const result: DailyAmount[] = [];
  for (let d = from; d <= to; d++) {
    result.push({ day: `${month}-${String(d).padStart(2, '0')}`, amount });
  }
  return result;
}

const at = (day: string) => new Date(`${day}T12:00:00Z`);

describe('month helpers', () => {
  it.each([
    ['2026-01', 31],
    ['2026-02', 28],
    ['2028-02', 29],
    ['2000-02', 29],
    ['2100-02', 28],
    ['2026-04', 30],
    ['2026-11', 30],
    ['2026-12', 31],
  ])('%s has %p days', (month, expected) => {
    expect(daysInMonth(month)).toBe(expected);
  });

  it('gives ranges, previous months and labels across year ends', () => {
    expect(monthRange('2026-12')).toEqual({
      from: '2026-12-01',
      to: '2027-01-01',
    });
    expect(monthRange('2028-02')).toEqual({
      from: '2028-02-01',
      to: '2028-03-01',
    });
    expect(previousMonth('2027-01')).toBe('2026-12');
    expect(previousMonth('2026-03')).toBe('2026-02');
    expect(monthLabel('2026-11')).toBe('November 2026');
  });

  it('refuses malformed months with the field named', () => {
    expect(parseMonth('2026-11')).toBe('2026-11');
    for (const bad of ['2026-13', '2026-00', '2026-1', '26-11', 'x', '']) {
      expect(() => parseMonth(bad)).toThrow(
        /^month must be a month as YYYY-MM/,
      );
    }
  });
});

describe('divideHalfEven', () => {
  it.each([
    [5n, 2n, 2n],
    [7n, 2n, 4n],
    [1n, 3n, 0n],
    [2n, 3n, 1n],
    [10n, 5n, 2n],
    [0n, 7n, 0n],
  ])('%p / %p → %p', (n, d, expected) => {
    expect(divideHalfEven(n, d)).toBe(expected);
  });
});

describe('forecastMonth', () => {
  it('has nothing to say about a month without data', () => {
    expect(forecastMonth('2026-11', [], at('2026-11-15'))).toEqual({
      monthToDate: '0',
      forecast: '0',
      dataThrough: null,
    });
    // Data of other months does not count.
    expect(
      forecastMonth(
        '2026-11',
        [...days('2026-10', 1, 31, '5'), ...days('2026-12', 1, 2, '5')],
        at('2026-11-15'),
      ),
    ).toEqual({ monthToDate: '0', forecast: '0', dataThrough: null });
  });

  it('projects the 7-day average over the rest of a 30-day month', () => {
    // 14 days of 10; average of the 8th–14th is 10; 16 days left.
    expect(
      forecastMonth('2026-11', days('2026-11', 1, 14, '10'), at('2026-11-15')),
    ).toEqual({
      monthToDate: '140',
      forecast: '300',
      dataThrough: '2026-11-14',
    });
  });

  it('uses only the trailing 7 days for the rate', () => {
    const daily = [
      ...days('2026-12', 1, 3, '1000'),
      ...days('2026-12', 4, 10, '10'),
    ];
    // 31-day month; 21 days left at 10 a day.
    expect(forecastMonth('2026-12', daily, at('2026-12-11'))).toEqual({
      monthToDate: '3070',
      forecast: '3280',
      dataThrough: '2026-12-10',
    });
  });

  it.each([
    ['2026-02', '28'],
    ['2028-02', '29'],
    ['2100-02', '28'],
  ])('knows how long February %s is', (month, total) => {
    expect(
      forecastMonth(month, days(month, 1, 20, '1'), at(`${month}-21`)),
    ).toEqual({
      monthToDate: '20',
      forecast: total,
      dataThrough: `${month}-20`,
    });
  });

  it('projects nothing once the last day of the month has data', () => {
    expect(
      forecastMonth('2028-02', days('2028-02', 1, 29, '2.5'), at('2028-02-29')),
    ).toEqual({
      monthToDate: '72.5',
      forecast: '72.5',
      dataThrough: '2028-02-29',
    });
    expect(
      forecastMonth('2026-11', days('2026-11', 1, 30, '1'), at('2026-11-30')),
    ).toEqual({ monthToDate: '30', forecast: '30', dataThrough: '2026-11-30' });
  });

  it('averages over the days available on the first days of a month', () => {
    // The 1st: one day in the window, 29 days left.
    expect(
      forecastMonth(
        '2026-11',
        [{ day: '2026-11-01', amount: '12' }],
        at('2026-11-01'),
      ),
    ).toEqual({
      monthToDate: '12',
      forecast: '360',
      dataThrough: '2026-11-01',
    });
    // The 1st to the 3rd: average 20 over 3 days, never October's days.
    expect(
      forecastMonth(
        '2026-11',
        [
          ...days('2026-10', 25, 31, '1000'),
          { day: '2026-11-01', amount: '10' },
          { day: '2026-11-02', amount: '20' },
          { day: '2026-11-03', amount: '30' },
        ],
        at('2026-11-04'),
      ),
    ).toEqual({
      monthToDate: '60',
      forecast: '600',
      dataThrough: '2026-11-03',
    });
  });

  it('counts days without data inside the window as zero', () => {
    const daily = [
      { day: '2026-11-01', amount: '1000' },
      { day: '2026-11-10', amount: '70' },
    ];
    // Window 4th–10th: 70 over 7 days = 10 a day, 20 days left.
    expect(forecastMonth('2026-11', daily, at('2026-11-11'))).toEqual({
      monthToDate: '1070',
      forecast: '1270',
      dataThrough: '2026-11-10',
    });
  });

  it('projects from the last day with data when billing lags behind today', () => {
    // Data through the 15th, today the 20th: the 16th–30th are projected.
    expect(
      forecastMonth('2026-11', days('2026-11', 1, 15, '4'), at('2026-11-20')),
    ).toEqual({
      monthToDate: '60',
      forecast: '120',
      dataThrough: '2026-11-15',
    });
  });

  it('does not project a month that has ended, even if its data stops early', () => {
    expect(
      forecastMonth('2026-11', days('2026-11', 1, 28, '10'), at('2026-12-05')),
    ).toEqual({
      monthToDate: '280',
      forecast: '280',
      dataThrough: '2026-11-28',
    });
    // Midnight UTC of the 1st is already the next month.
    expect(
      forecastMonth(
        '2026-11',
        days('2026-11', 1, 28, '10'),
        new Date('2026-12-01T00:00:00Z'),
      ).forecast,
    ).toBe('280');
    expect(
      forecastMonth(
        '2026-11',
        days('2026-11', 1, 28, '10'),
        new Date('2026-11-30T23:59:59Z'),
      ).forecast,
    ).toBe('300');
  });

  it('does not project a month that has not started', () => {
    expect(
      forecastMonth(
        '2026-12',
        [{ day: '2026-12-01', amount: '99' }],
        at('2026-11-20'),
      ),
    ).toEqual({ monthToDate: '99', forecast: '99', dataThrough: '2026-12-01' });
  });

  it('counts credits exactly and lets them lower the rate', () => {
    const daily = [
      ...days('2026-11', 1, 13, '10'),
      { day: '2026-11-14', amount: '-50' },
    ];
    // Window 8th–14th sums to 10: 10/7 a day × 16 days = 22.857142…
    expect(forecastMonth('2026-11', daily, at('2026-11-15'))).toEqual({
      monthToDate: '80',
      forecast: '102.8571',
      dataThrough: '2026-11-14',
    });
  });

  it('never projects a negative rate: the forecast stays at month-to-date', () => {
    const daily = [
      { day: '2026-11-01', amount: '500' },
      ...days('2026-11', 9, 10, '-20'),
    ];
    expect(forecastMonth('2026-11', daily, at('2026-11-11'))).toEqual({
      monthToDate: '460',
      forecast: '460',
      dataThrough: '2026-11-10',
    });
    // A month of credits only.
    expect(
      forecastMonth(
        '2026-11',
        [{ day: '2026-11-02', amount: '-3.25' }],
        at('2026-11-03'),
      ),
    ).toEqual({
      monthToDate: '-3.25',
      forecast: '-3.25',
      dataThrough: '2026-11-02',
    });
  });

  it('rounds the projection half to even at 4 decimals', () => {
    // Window 1st–4th, 26 days left: rate × 26 = sum × 6.5.
    const one = (amount: string) =>
      forecastMonth(
        '2026-11',
        [{ day: '2026-11-04', amount }],
        at('2026-11-05'),
      ).forecast;
    // 0.0001 × 6.5 = 0.00065 → 0.0006 (to even)
    expect(one('0.0001')).toBe('0.0007');
    // 0.0003 × 6.5 = 0.00195 → 0.0020 (to even)
    expect(one('0.0003')).toBe('0.0023');
    // 0.0005 × 6.5 = 0.00325 → 0.0032 (to even)
    expect(one('0.0005')).toBe('0.0037');
  });

  it('keeps money exact where floating point would not', () => {
    // 0.1 seven times is 0.7000000000000001 in floating point.
    expect(
      forecastMonth('2026-11', days('2026-11', 1, 7, '0.1'), at('2026-11-08')),
    ).toEqual({ monthToDate: '0.7', forecast: '3', dataThrough: '2026-11-07' });
    expect(
      forecastMonth(
        '2026-11',
        [
          { day: '2026-11-29', amount: '989674158026.2967' },
          { day: '2026-11-29', amount: '0.000000001' },
        ],
        at('2026-11-30'),
      ),
    ).toEqual({
      monthToDate: '989674158026.296700001',
      // Window 23rd–29th: ÷ 7 × 1 day left = 141382022575.1852428… → .1852
      forecast: '1131056180601.481900001',
      dataThrough: '2026-11-29',
    });
  });
});
