import { Budget } from '@ownops/backstage-plugin-common';
import {
  computeBudgetStatus,
  DailyCost,
  PERCENT_CAP,
  percentOf,
} from './budgetStatus';

const budget: Budget = {
  entityRef: 'component:default/checkout-service',
  amount: '1500.00',
  currency: 'USD',
  thresholds: [50, 80, 100],
  updatedBy: 'user:default/alice',
  updatedAt: '2026-11-01T09:00:00.000Z',
};

const TODAY = new Date('2026-11-15T08:00:00Z');

function status(daily: DailyCost[], overrides: Partial<Budget> = {}) {
  return computeBudgetStatus({
    budget: { ...budget, ...overrides },
    source: 'set',
    month: '2026-11',
    daily,
    today: TODAY,
  });
}

const usd = (day: string, effectiveCost: string): DailyCost => ({
  day,
  currency: 'USD',
  effectiveCost,
});

describe('computeBudgetStatus', () => {
  it('reports month-to-date, forecast, percentages, thresholds and state', () => {
    const daily: DailyCost[] = [];
    for (let d = 1; d <= 14; d++) {
      daily.push(usd(`2026-11-${String(d).padStart(2, '0')}`, '50'));
    }
    expect(status(daily)).toEqual({
      budget,
      budgetSource: 'set',
      month: '2026-11',
      monthToDate: '700',
      forecast: '1500',
      dataThrough: '2026-11-14',
      percentUsed: 46.6,
      forecastPercent: 100,
      thresholdsReached: [],
      state: 'at-risk',
      otherCurrencies: [],
    });
  });

  it('rounds percentages down, so a threshold is reached only when the money is', () => {
    const almost = status([usd('2026-11-10', '1199.99')]);
    expect(almost.percentUsed).toBe(79.9);
    expect(almost.thresholdsReached).toEqual([50]);

    const exactly = status([usd('2026-11-10', '1200')]);
    expect(exactly.percentUsed).toBe(80);
    expect(exactly.thresholdsReached).toEqual([50, 80]);

    expect(status([usd('2026-11-10', '1234.56')]).percentUsed).toBe(82.3);
  });

  it('is over at 100 % of month-to-date, at risk on the forecast alone, else ok', () => {
    const over = status([usd('2026-11-14', '1500')]);
    expect(over.state).toBe('over');
    expect(over.percentUsed).toBe(100);
    expect(over.thresholdsReached).toEqual([50, 80, 100]);

    // 1400 on the 14th: 200/day over the window, 16 days left.
    const atRisk = status([usd('2026-11-14', '1400')]);
    expect(atRisk.state).toBe('at-risk');
    expect(atRisk.forecast).toBe('4600');
    expect(atRisk.forecastPercent).toBe(306.6);

    const ok = status([usd('2026-11-14', '70')]);
    expect(ok.state).toBe('ok');
    expect(ok.forecast).toBe('230');
  });

  it('counts only the budget currency and names the others', () => {
    const result = status([
      usd('2026-11-03', '700'),
      { day: '2026-11-03', currency: 'EUR', effectiveCost: '9000' },
      { day: '2026-11-04', currency: 'GBP', effectiveCost: '1' },
      { day: '2026-11-05', currency: 'EUR', effectiveCost: '1' },
      // Another month's currency is not "seen in the month".
      { day: '2026-10-31', currency: 'JPY', effectiveCost: '1' },
    ]);
    expect(result.monthToDate).toBe('700');
    expect(result.dataThrough).toBe('2026-11-03');
    expect(result.otherCurrencies).toEqual(['EUR', 'GBP']);
  });

  it('has no data, no forecast and 0 % for a month without cost', () => {
    expect(status([])).toMatchObject({
      monthToDate: '0',
      forecast: '0',
      dataThrough: null,
      percentUsed: 0,
      forecastPercent: 0,
      thresholdsReached: [],
      state: 'ok',
    });
  });

  it('keeps thresholds ascending and the source as given', () => {
    const result = computeBudgetStatus({
      budget: { ...budget, amount: '100', thresholds: [120, 25, 90] },
      source: 'annotation',
      month: '2026-11',
      daily: [usd('2026-11-02', '95')],
      today: TODAY,
    });
    expect(result.thresholdsReached).toEqual([25, 90]);
    expect(result.budgetSource).toBe('annotation');
  });

  it('treats a zero budget as over for any positive cost', () => {
    expect(status([], { amount: '0' })).toMatchObject({
      percentUsed: 0,
      thresholdsReached: [],
      state: 'ok',
    });
    expect(status([usd('2026-11-02', '0.01')], { amount: '0' })).toMatchObject({
      percentUsed: PERCENT_CAP,
      thresholdsReached: [50, 80, 100],
      state: 'over',
    });
  });

  it('handles credits that make month-to-date negative', () => {
    const result = status([usd('2026-11-01', '-0.75')], { amount: '1500' });
    expect(result.monthToDate).toBe('-0.75');
    // -0.05 % rounded down.
    expect(result.percentUsed).toBe(-0.1);
    expect(result.state).toBe('ok');
  });
});

describe('percentOf', () => {
  it.each([
    [1n, 3n, 33.3],
    [2n, 3n, 66.6],
    [3n, 3n, 100],
    [-1n, 3n, -33.4],
    [0n, 5n, 0],
    [10n ** 20n, 1n, PERCENT_CAP],
    [-(10n ** 20n), 1n, -PERCENT_CAP],
  ])('%p of %p is %p %', (value, amount, expected) => {
    expect(percentOf(value, amount)).toBe(expected);
  });
});
