import { ConfigReader } from '@backstage/config';
import { readBudgetAlertConfig } from './config';

const read = (budgetAlerts?: object) =>
  readBudgetAlertConfig(
    new ConfigReader(
      budgetAlerts ? { ownops: { cost: { budgetAlerts } } } : {},
    ),
  );

describe('readBudgetAlertConfig', () => {
  it('defaults the finance group', () => {
    expect(read()).toEqual({ financeGroup: 'group:default/finance' });
    expect(read({})).toEqual({ financeGroup: 'group:default/finance' });
  });

  it('completes and lower-cases a configured ref', () => {
    expect(read({ financeGroup: 'FinOps' })).toEqual({
      financeGroup: 'group:default/finops',
    });
    expect(read({ financeGroup: 'group:corp/Finance' })).toEqual({
      financeGroup: 'group:corp/finance',
    });
    expect(read({ financeGroup: 'user:default/cfo' })).toEqual({
      financeGroup: 'user:default/cfo',
    });
  });

  it('refuses a value that is not an entity ref, naming the key', () => {
    expect(() => read({ financeGroup: 'group:' })).toThrow(
      /^ownops\.cost\.budgetAlerts\.financeGroup must be an entity ref/,
    );
  });
});
