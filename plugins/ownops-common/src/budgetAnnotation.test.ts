import { parseBudgetAnnotation } from './budgetAnnotation';

describe('parseBudgetAnnotation', () => {
  it('reads amount and currency with the default thresholds', () => {
    expect(parseBudgetAnnotation('1500.00 USD')).toEqual({
      budget: { amount: '1500.00', currency: 'USD', thresholds: [50, 80, 100] },
    });
  });

  it('reads thresholds after a bar and sorts them', () => {
    expect(parseBudgetAnnotation(' 200 EUR | 100, 50 ')).toEqual({
      budget: { amount: '200', currency: 'EUR', thresholds: [50, 100] },
    });
  });

  it.each([
    ['1500', 'must be'],
    ['USD 1500', 'amount must be'],
    ['-5 USD', 'amount must be'],
    ['5 usd', 'currency must be'],
    ['5 USD | 50,x', 'thresholds must be'],
    ['5 USD | 50,50', 'thresholds must not repeat'],
    ['5 USD | 50 | 80', 'must be'],
  ])('refuses %j naming the annotation', (value, problem) => {
    const result = parseBudgetAnnotation(value);
    expect(result).toEqual({
      problems: expect.arrayContaining([
        expect.stringMatching(new RegExp(`^ownops\\.io/budget.*${problem}`)),
      ]),
    });
  });
});
