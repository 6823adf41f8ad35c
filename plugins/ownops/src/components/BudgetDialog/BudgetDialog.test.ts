import { parseThresholds, readBudgetForm } from './BudgetDialog';

describe('budget form', () => {
  it('reads a valid form into a budget with sorted thresholds', () => {
    expect(
      readBudgetForm({
        amount: ' 1500.00 ',
        currency: 'eur',
        thresholds: '100, 50,80',
      }),
    ).toEqual({
      budget: { amount: '1500.00', currency: 'EUR', thresholds: [50, 80, 100] },
    });
    expect(
      readBudgetForm({ amount: '0', currency: 'USD', thresholds: '' }),
    ).toEqual({ budget: { amount: '0', currency: 'USD', thresholds: [] } });
  });

  it('names every problem with the shared validation messages', () => {
    expect(
      readBudgetForm({
        amount: '-5',
        currency: 'dollars',
        thresholds: '50, x',
      }),
    ).toEqual({
      problems: [
        'amount must be a non-negative number with at most 12 digits before the point and 4 after, e.g. "1500.00"',
        'currency must be a three-letter ISO 4217 code, e.g. "USD"',
        'thresholds must be at most 10 whole percentages between 1 and 1000',
      ],
    });
    expect(parseThresholds('50, 80 ,, 100')).toEqual([50, 80, 100]);
    expect(parseThresholds('50.5')).toEqual(['50.5']);
  });
});
