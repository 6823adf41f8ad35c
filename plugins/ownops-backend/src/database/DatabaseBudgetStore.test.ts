import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseBudgetStore, formatAmount } from './DatabaseBudgetStore';
import { NewBudget } from './BudgetStore';

jest.setTimeout(60_000);

const base: NewBudget = {
  entityRef: 'component:default/checkout',
  amount: '1500.00',
  currency: 'USD',
  thresholds: [50, 80, 100],
  updatedBy: 'user:default/alice',
};

describe('DatabaseBudgetStore', () => {
  const databases = createTestDatabases();

  async function createStore(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    return { knex, store: await DatabaseBudgetStore.createForTest(knex) };
  }

  it.each(databases.eachSupportedId())(
    'creates, reads, replaces and deletes a budget, %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      expect(await store.get(base.entityRef)).toBeUndefined();

      const created = await store.upsert(
        base,
        new Date('2026-11-01T10:00:00Z'),
      );
      expect(created).toEqual({
        entityRef: 'component:default/checkout',
        amount: '1500.00',
        currency: 'USD',
        thresholds: [50, 80, 100],
        updatedBy: 'user:default/alice',
        updatedAt: '2026-11-01T10:00:00.000Z',
      });
      expect(await store.get(base.entityRef)).toEqual(created);

      const replaced = await store.upsert(
        {
          ...base,
          entityRef: 'Component:default/Checkout',
          amount: '20',
          currency: 'EUR',
          thresholds: [90],
          updatedBy: 'user:default/carol',
        },
        new Date('2026-11-02T10:00:00Z'),
      );
      expect(replaced).toEqual({
        entityRef: 'component:default/checkout',
        amount: '20',
        currency: 'EUR',
        thresholds: [90],
        updatedBy: 'user:default/carol',
        updatedAt: '2026-11-02T10:00:00.000Z',
      });
      expect(await store.get('component:default/CHECKOUT')).toEqual(replaced);
      const [{ n }] = await knex('ownops_budgets').count({ n: '*' });
      expect(Number(n)).toBe(1);

      expect(await store.delete(base.entityRef)).toBe(true);
      expect(await store.delete(base.entityRef)).toBe(false);
      expect(await store.get(base.entityRef)).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'lists every budget ordered by entity ref, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      expect(await store.list()).toEqual([]);
      const now = new Date('2026-11-01T10:00:00Z');
      await store.upsert(
        { ...base, entityRef: 'group:default/team-b', amount: '10' },
        now,
      );
      await store.upsert(base, now);
      await store.upsert(
        { ...base, entityRef: 'Group:default/Team-A', amount: '0.5' },
        now,
      );
      expect(
        (await store.list()).map(b => [b.entityRef, b.amount, b.currency]),
      ).toEqual([
        ['component:default/checkout', '1500.00', 'USD'],
        ['group:default/team-a', '0.5', 'USD'],
        ['group:default/team-b', '10', 'USD'],
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'reads the budgets of many entities at once, keyed by lower-cased ref, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const now = new Date('2026-11-01T10:00:00Z');
      const checkout = await store.upsert(base, now);
      const teamA = await store.upsert(
        { ...base, entityRef: 'Group:default/Team-A', amount: '0.5' },
        now,
      );
      await store.upsert(
        { ...base, entityRef: 'group:default/team-b', amount: '10' },
        now,
      );
      expect(
        await store.getMany([
          'Component:default/CHECKOUT',
          'group:default/team-a',
          'component:default/missing',
          'component:default/checkout',
        ]),
      ).toEqual(
        new Map([
          ['component:default/checkout', checkout],
          ['group:default/team-a', teamA],
        ]),
      );
      expect(await store.getMany(['component:default/missing'])).toEqual(
        new Map(),
      );
      expect(await store.getMany([])).toEqual(new Map());
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps amounts exact, as entered, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      // 989674158026.2967 becomes 989674158026.2968 through a float.
      const amounts = [
        '0',
        '0.5',
        '1500.00',
        '1234.5678',
        '989674158026.2967',
        '999999999999.9999',
        '100.1000',
      ];
      for (const [index, amount] of amounts.entries()) {
        const entityRef = `group:default/team-${index}`;
        await store.upsert({ ...base, entityRef, amount }, new Date());
        expect((await store.get(entityRef))?.amount).toBe(amount);
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses an amount that is not a canonical decimal string, %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      for (const amount of ['-1', '1e3', '1.23456', ' 1']) {
        await expect(
          store.upsert({ ...base, amount }, new Date()),
        ).rejects.toThrow(/not a canonical decimal string/);
      }
      const [{ n }] = await knex('ownops_budgets').count({ n: '*' });
      expect(Number(n)).toBe(0);
    },
  );
});

describe('formatAmount', () => {
  it.each([
    ['1500.0000', 2, '1500.00'],
    ['1500.00', 2, '1500.00'],
    ['1500.0000', 0, '1500'],
    ['1500', 0, '1500'],
    ['0.1000', 1, '0.1'],
    ['1234.5678', 4, '1234.5678'],
  ])('formats %p with %p fraction digits as %p', (stored, scale, expected) => {
    expect(formatAmount(stored, scale)).toBe(expected);
  });

  it('refuses a float or digits beyond the scale', () => {
    expect(() => formatAmount(1500, 2)).toThrow(/not as decimal text/);
    expect(() => formatAmount('1500.0100', 1)).toThrow(
      /more than 1 fraction digits/,
    );
  });
});
