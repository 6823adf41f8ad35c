import {
  compareDecimal,
  formatChange,
  formatCost,
  formatPercent,
  percentOfBudget,
} from './money';

describe('cost money helpers', () => {
  it('formats decimal strings exactly, rounded to the minor unit', () => {
    expect(formatCost('1234.5678', 'USD')).toBe('USD 1,234.57');
    expect(formatCost('0.125', 'USD')).toBe('USD 0.13');
    expect(formatCost('-1234.5', 'EUR')).toBe('-EUR 1,234.50');
    // Beyond a double's precision: still exact.
    expect(formatCost('12345678901234567.125', 'USD')).toBe(
      'USD 12,345,678,901,234,567.13',
    );
    expect(formatCost('1234.5', 'JPY')).toBe('JPY 1,235');
    expect(formatCost('12', 'XYZ1')).toBe('12 XYZ1');
    expect(formatCost('n/a', 'USD')).toBe('n/a USD');
    expect(formatCost(undefined, 'USD')).toBe('—');
  });

  it('compares decimal strings exactly', () => {
    expect(compareDecimal('750.5', '5000.1234')).toBeLessThan(0);
    expect(compareDecimal('5000.1234', '750.5')).toBeGreaterThan(0);
    expect(compareDecimal('1.10', '1.1')).toBe(0);
    expect(compareDecimal('-0', '0')).toBe(0);
    expect(compareDecimal('-2', '-10')).toBeGreaterThan(0);
    expect(compareDecimal('-0.5', '0.25')).toBeLessThan(0);
    expect(
      compareDecimal('9007199254740993.0001', '9007199254740993'),
    ).toBeGreaterThan(0);
    expect(compareDecimal(undefined, '0')).toBeLessThan(0);
    expect(compareDecimal(undefined, null)).toBe(0);
  });

  it('formats percentages and changes', () => {
    expect(formatPercent(69.375)).toBe('69.4%');
    expect(formatPercent(null)).toBe('—');
    expect(formatChange(25)).toBe('+25.0%');
    expect(formatChange(-3)).toBe('-3.0%');
    expect(formatChange(null)).toBe('new');
    expect(percentOfBudget('750.5', '500.00')).toBe(150.1);
    expect(percentOfBudget('1', '0')).toBeUndefined();
    expect(percentOfBudget('1', undefined)).toBeUndefined();
  });
});
