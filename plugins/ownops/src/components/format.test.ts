import { formatMoney, formatThresholds } from './format';

describe('formatMoney', () => {
  it('formats decimal strings exactly, with the currency code', () => {
    expect(formatMoney('1500.00', 'USD')).toBe('USD 1,500.00');
    expect(formatMoney('1500', 'USD')).toBe('USD 1,500.00');
    expect(formatMoney('0.1', 'EUR')).toBe('EUR 0.10');
    // As a float this prints …474.0992.
    expect(formatMoney('900719925474.0993', 'USD')).toBe(
      'USD 900,719,925,474.0993',
    );
    expect(formatMoney('1500', 'JPY')).toBe('JPY 1,500');
  });

  it('shows anything else as given', () => {
    expect(formatMoney('1e3', 'USD')).toBe('1e3 USD');
    expect(formatMoney('1500', 'not a code')).toBe('1500 not a code');
  });
});

describe('formatThresholds', () => {
  it('lists percentages', () => {
    expect(formatThresholds([50, 80, 100])).toBe('50%, 80%, 100%');
  });
});
