import { createTestDatabases } from '../__testUtils__/testDatabases';
import { BudgetAlertClaim } from './BudgetAlertStore';
import { DatabaseBudgetAlertStore } from './DatabaseBudgetAlertStore';

jest.setTimeout(60_000);

const alert: BudgetAlertClaim = {
  entityRef: 'component:default/checkout-service',
  month: '2026-11',
  threshold: 80,
  currency: 'USD',
  budgetAmount: '1500.00',
  monthToDate: '1234.567891234',
};

describe('DatabaseBudgetAlertStore', () => {
  const databases = createTestDatabases();

  async function createStore(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    return { knex, store: await DatabaseBudgetAlertStore.createForTest(knex) };
  }

  it.each(databases.eachSupportedId())(
    'claims a threshold once per entity and month, %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const now = new Date('2026-11-20T06:00:00Z');
      expect(await store.claim(alert, now)).toBe(true);
      // Same entity (any case), month and threshold: already claimed, the
      // first row is kept as it was.
      expect(
        await store.claim(
          {
            ...alert,
            entityRef: 'Component:default/Checkout-Service',
            monthToDate: '9999',
          },
          new Date('2026-11-21T06:00:00Z'),
        ),
      ).toBe(false);
      // Another threshold, month or entity is another alert.
      expect(await store.claim({ ...alert, threshold: 100 }, now)).toBe(true);
      expect(await store.claim({ ...alert, month: '2026-12' }, now)).toBe(true);
      expect(
        await store.claim({ ...alert, entityRef: 'group:default/team-a' }, now),
      ).toBe(true);

      expect(
        await store.list({ entityRef: alert.entityRef, month: '2026-11' }),
      ).toEqual([
        {
          ...alert,
          createdAt: '2026-11-20T06:00:00.000Z',
        },
        {
          ...alert,
          threshold: 100,
          createdAt: '2026-11-20T06:00:00.000Z',
        },
      ]);
      const [{ n }] = await knex('ownops_budget_alerts').count({ n: '*' });
      expect(Number(n)).toBe(4);

      const alerted = await store.alertedThresholds('2026-11');
      expect(alerted).toEqual(
        new Map([
          ['component:default/checkout-service', new Set([80, 100])],
          ['group:default/team-a', new Set([80])],
        ]),
      );
      expect(await store.alertedThresholds('2027-01')).toEqual(new Map());
    },
  );

  it.each(databases.eachSupportedId())(
    'lets exactly one of concurrent claims win, %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      // A second store over the same database stands for another replica.
      const other = await DatabaseBudgetAlertStore.createForTest(knex);
      const now = new Date('2026-11-20T06:00:00Z');
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          (i % 2 ? other : store).claim(alert, now),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.list()).toHaveLength(1);
    },
  );
});
