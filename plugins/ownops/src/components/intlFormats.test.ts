import { dateFormat, numberFormat } from './intlFormats';

describe('intlFormats', () => {
  it('builds each set of options once', () => {
    const usd = { style: 'currency', currency: 'USD' } as const;
    expect(numberFormat(usd)).toBe(numberFormat({ ...usd }));
    expect(numberFormat(usd)).not.toBe(
      numberFormat({ ...usd, currency: 'EUR' }),
    );
    expect(numberFormat(usd).format(1234.5)).toBe('$1,234.50');

    const day = { day: 'numeric', month: 'short', timeZone: 'UTC' } as const;
    expect(dateFormat('en-US', day)).toBe(dateFormat('en-US', { ...day }));
    expect(dateFormat('en-GB', day)).not.toBe(dateFormat('en-US', day));
    expect(dateFormat('en-GB', day).format(Date.UTC(2026, 10, 3))).toBe(
      '3 Nov',
    );
  });

  it('throws for an unknown currency every time, caching nothing', () => {
    const bad = { style: 'currency', currency: 'NOT-A-CODE' } as const;
    expect(() => numberFormat(bad)).toThrow(RangeError);
    expect(() => numberFormat(bad)).toThrow(RangeError);
  });
});
