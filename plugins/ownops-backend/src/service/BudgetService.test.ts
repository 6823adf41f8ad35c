import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { MAX_KEYED_BUDGET_REFS } from '../cost/budgets/budgetStatuses';
import {
  fakeCosts,
  FakeCostRow,
  InMemoryBudgetStore,
} from '../cost/budgets/__testUtils__/fakes';
import { NewBudget } from '../database/BudgetStore';
import { ANNOTATED_BUDGETS_REUSE_MS, BudgetService } from './BudgetService';

const OWNER = 'user:default/alice';
const FINANCE = 'user:default/frank';
const OUTSIDER = 'user:default/bob';
/** May read the cost of component:default/checkout only. */
const READER = 'user:default/rita';
const NOW = new Date('2026-11-20T06:00:00Z');

function entity(
  kind: string,
  name: string,
  annotations?: Record<string, string>,
  title?: string,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: {
      name,
      namespace: 'default',
      ...(title && { title }),
      ...(annotations && { annotations }),
    },
    spec: { owner: 'team-checkout' },
  };
}

const entities = [
  entity('Component', 'checkout', undefined, 'Checkout'),
  entity('Component', 'payments', {
    'ownops.io/budget': '1000.00 EUR | 90,50',
  }),
  entity('Component', 'broken', { 'ownops.io/budget': '12 dollars' }),
  entity('Group', 'team-data'),
  entity('User', 'alice'),
];

/**
 * The owner may do everything, finance reads all cost, the reader the cost
 * of checkout, the outsider nothing.
 */
function decide(
  user: string | undefined,
  permission: string,
  resourceRef?: string,
) {
  if (user === OWNER) return AuthorizeResult.ALLOW;
  if (user === FINANCE && permission === 'ownops.cost.readAll') {
    return AuthorizeResult.ALLOW;
  }
  if (
    user === READER &&
    permission === 'ownops.cost.read' &&
    resourceRef === 'component:default/checkout'
  ) {
    return AuthorizeResult.ALLOW;
  }
  return AuthorizeResult.DENY;
}

const stored = (entityRef: string, amount: string): NewBudget => ({
  entityRef,
  amount,
  currency: 'USD',
  thresholds: [50, 80, 100],
  updatedBy: OWNER,
});

function setup(rows: FakeCostRow[] = []) {
  const store = new InMemoryBudgetStore([
    stored('component:default/checkout', '1500'),
    stored('component:default/payments', '5'),
    stored('component:default/broken', '10'),
  ]);
  const authorized: Array<{ user?: string; permission: string }> = [];
  /** The requests of each authorize call. */
  const authorizeCalls: Array<Array<{ permission: string; ref?: string }>> = [];
  const permissions = mockServices.permissions.mock({
    authorize: async (requests, options) => {
      const user = (
        options?.credentials.principal as { userEntityRef?: string }
      ).userEntityRef;
      authorizeCalls.push(
        requests.map(r => ({
          permission: r.permission.name,
          ...('resourceRef' in r && { ref: r.resourceRef }),
        })),
      );
      return requests.map(r => {
        authorized.push({ user, permission: r.permission.name });
        const ref = 'resourceRef' in r ? r.resourceRef : undefined;
        return { result: decide(user, r.permission.name, ref) };
      });
    },
  });
  const { costs, calls } = fakeCosts(rows);
  const logger = mockServices.logger.mock();
  const service = new BudgetService({
    store,
    catalog: catalogServiceMock({ entities }),
    permissions,
    costs,
    auth: mockServices.auth(),
    logger,
    now: () => NOW,
  });
  return { service, store, authorized, authorizeCalls, calls, logger };
}

const as = (user: string) => mockCredentials.user(user);

/** Daily cost of components and a group, around November 2026. */
const MONTH_ROWS: FakeCostRow[] = [
  {
    day: '2026-11-10',
    entityRef: 'component:default/checkout',
    effectiveCost: '1200',
  },
  {
    day: '2026-11-10',
    entityRef: 'component:default/checkout',
    currency: 'EUR',
    effectiveCost: '3',
  },
  {
    day: '2026-10-31',
    entityRef: 'component:default/checkout',
    effectiveCost: '99999',
  },
  {
    day: '2026-11-05',
    entityRef: 'component:default/payments',
    currency: 'EUR',
    effectiveCost: '950',
  },
  {
    day: '2026-11-02',
    entityRef: 'component:default/etl',
    ownerRef: 'group:default/team-data',
    effectiveCost: '40',
  },
];

describe('BudgetService', () => {
  describe('effective budget', () => {
    it('returns the stored budget with its source', async () => {
      const { service } = setup();
      const { budget, source } = await service.getBudget(
        'component:default/checkout',
        as(OWNER),
      );
      expect(source).toBe('set');
      expect(budget).toMatchObject({ amount: '1500', currency: 'USD' });
    });

    it('prefers a valid ownops.io/budget annotation over the stored budget', async () => {
      const { service } = setup();
      expect(
        await service.getBudget('component:default/payments', as(FINANCE)),
      ).toEqual({
        source: 'annotation',
        budget: {
          entityRef: 'component:default/payments',
          amount: '1000.00',
          currency: 'EUR',
          thresholds: [50, 90],
          updatedBy: 'component:default/payments',
          updatedAt: NOW.toISOString(),
        },
      });
    });

    it('ignores an invalid annotation for reads, with a warning naming the problem', async () => {
      const { service, logger } = setup();
      const { budget, source } = await service.getBudget(
        'component:default/broken',
        as(OWNER),
      );
      expect(source).toBe('set');
      expect(budget).toMatchObject({ amount: '10', currency: 'USD' });
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringMatching(
          /^Ignoring the ownops.io\/budget annotation of component:default\/broken: ownops.io\/budget: currency must be/,
        ),
      );
    });

    it('has no budget for an entity with neither', async () => {
      const { service } = setup();
      expect(
        await service.getBudget('group:default/team-data', as(OWNER)),
      ).toEqual({ budget: null });
    });
  });

  describe('setBudget', () => {
    it('refuses with 409 when the budget comes from the annotation, changing nothing', async () => {
      const { service, store } = setup();
      const before = await store.get('component:default/payments');
      await expect(
        service.setBudget(
          'component:default/payments',
          { amount: '2000', currency: 'EUR' },
          as(OWNER),
        ),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message:
          'The budget of component:default/payments comes from the ownops.io/budget annotation in its catalog-info.yaml ("1000.00 EUR | 90,50"); change it there',
      });
      expect(await store.get('component:default/payments')).toEqual(before);
    });

    it('refuses with 400 while the annotation is invalid', async () => {
      const { service, store } = setup();
      await expect(
        service.setBudget(
          'component:default/broken',
          { amount: '20', currency: 'USD' },
          as(OWNER),
        ),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(
          /^component:default\/broken has an invalid ownops.io\/budget annotation in its catalog-info.yaml \(ownops.io\/budget: currency must be .*\); fix the annotation there, or remove it to set the budget here$/,
        ),
      });
      expect((await store.get('component:default/broken'))?.amount).toBe('10');
    });

    it('checks the permission before telling about the annotation', async () => {
      const { service } = setup();
      await expect(
        service.setBudget(
          'component:default/payments',
          { amount: '2000', currency: 'EUR' },
          as(OUTSIDER),
        ),
      ).rejects.toMatchObject({ name: 'NotAllowedError' });
    });

    it('stores a budget for an entity without annotation', async () => {
      const { service } = setup();
      const result = await service.setBudget(
        'group:default/team-data',
        { amount: '300.50', currency: 'GBP', thresholds: [100, 75] },
        as(OWNER),
      );
      expect(result).toEqual({
        source: 'set',
        budget: {
          entityRef: 'group:default/team-data',
          amount: '300.50',
          currency: 'GBP',
          thresholds: [75, 100],
          updatedBy: OWNER,
          updatedAt: NOW.toISOString(),
        },
      });
    });
  });

  describe('getBudgetStatus', () => {
    const rows = MONTH_ROWS;

    it('computes this month for a component from its own rows', async () => {
      const { service, calls } = setup(rows);
      const status = await service.getBudgetStatus(
        'component:default/checkout',
        as(OWNER),
      );
      expect(status).toMatchObject({
        budgetSource: 'set',
        month: '2026-11',
        monthToDate: '1200',
        dataThrough: '2026-11-10',
        percentUsed: 80,
        thresholdsReached: [50, 80],
        otherCurrencies: ['EUR'],
      });
      expect(calls).toEqual([
        {
          filter: {
            from: '2026-11-01',
            to: '2026-12-01',
            entityRef: 'component:default/checkout',
          },
          groupBy: ['day'],
        },
      ]);
    });

    it('reads the status of an entity already read and allowed without asking again', async () => {
      const { service, calls, authorized } = setup(rows);
      const status = await service.getReadableBudgetStatus(entities[0]);
      expect(status).toMatchObject({
        budgetSource: 'set',
        month: '2026-11',
        monthToDate: '1200',
      });
      expect(authorized).toEqual([]);
      expect(calls).toHaveLength(1);
      await expect(
        service.getReadableBudgetStatus(entity('User', 'alice')),
      ).rejects.toMatchObject({ name: 'InputError' });
    });

    it('uses the annotation budget and reads any month asked for', async () => {
      const { service } = setup(rows);
      const status = await service.getBudgetStatus(
        'component:default/payments',
        as(FINANCE),
        '2026-11',
      );
      expect(status).toMatchObject({
        budgetSource: 'annotation',
        budget: { amount: '1000.00', currency: 'EUR' },
        monthToDate: '950',
        thresholdsReached: [50, 90],
        state: 'at-risk',
      });
      expect(
        await service.getBudgetStatus(
          'component:default/checkout',
          as(OWNER),
          '2026-10',
        ),
      ).toMatchObject({
        month: '2026-10',
        monthToDate: '99999',
        state: 'over',
      });
    });

    it("counts a group's owned rows; null without a budget", async () => {
      const { service, store } = setup(rows);
      expect(
        await service.getBudgetStatus('group:default/team-data', as(OWNER)),
      ).toBeNull();
      await store.upsert(stored('group:default/team-data', '100'), NOW);
      expect(
        await service.getBudgetStatus('group:default/team-data', as(OWNER)),
      ).toMatchObject({ monthToDate: '40', thresholdsReached: [] });
    });

    it('refuses a reader without ownops.cost.read or readAll, before reading cost', async () => {
      const { service, calls } = setup(rows);
      await expect(
        service.getBudgetStatus('component:default/checkout', as(OUTSIDER)),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message:
          'You may not read the cost of component:default/checkout (permission ownops.cost.read or ownops.cost.readAll)',
      });
      expect(calls).toEqual([]);
    });

    it('refuses a malformed month, other kinds and unknown entities', async () => {
      const { service } = setup(rows);
      await expect(
        service.getBudgetStatus(
          'component:default/checkout',
          as(OWNER),
          '2026-13',
        ),
      ).rejects.toMatchObject({
        name: 'InputError',
        message:
          'month must be a month as YYYY-MM, e.g. "2026-11", got "2026-13"',
      });
      await expect(
        service.getBudgetStatus('user:default/alice', as(OWNER)),
      ).rejects.toMatchObject({ name: 'InputError' });
      await expect(
        service.getBudgetStatus('component:default/nope', as(OWNER)),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
    });
  });

  describe('getBudgetStatuses', () => {
    const rows: FakeCostRow[] = [
      ...MONTH_ROWS,
      {
        day: '2026-11-03',
        entityRef: 'component:default/elsewhere',
        ownerRef: 'group:default/team-other',
        effectiveCost: '7',
      },
    ];
    const [checkout, payments, broken, teamData, alice] = entities;

    it('reads the budgets of the entities given with one permission call, one store read and one sum per scope', async () => {
      const { service, store, authorizeCalls, calls } = setup(rows);
      await store.upsert(stored('group:default/team-data', '100'), NOW);
      const get = jest.spyOn(store, 'get');
      const getMany = jest.spyOn(store, 'getMany');
      const shouted = {
        ...checkout,
        metadata: { ...checkout.metadata, name: 'CHECKOUT' },
      };
      const result = await service.getBudgetStatuses(
        [shouted, payments, broken, teamData],
        as(OWNER),
      );

      expect(result.unreadable).toEqual([]);
      expect([...result.statuses.keys()]).toEqual([
        'component:default/checkout',
        'component:default/payments',
        'component:default/broken',
        'group:default/team-data',
      ]);
      // Stored, as no annotation.
      expect(result.statuses.get('component:default/checkout')).toMatchObject({
        budgetSource: 'set',
        budget: { amount: '1500', currency: 'USD' },
        monthToDate: '1200',
        thresholdsReached: [50, 80],
      });
      // The annotation wins over the stored budget (5 USD).
      expect(result.statuses.get('component:default/payments')).toMatchObject({
        budgetSource: 'annotation',
        budget: { amount: '1000.00', currency: 'EUR' },
        monthToDate: '950',
      });
      // An invalid annotation leaves the stored budget.
      expect(result.statuses.get('component:default/broken')).toMatchObject({
        budgetSource: 'set',
        budget: { amount: '10' },
        monthToDate: '0',
      });
      expect(result.statuses.get('group:default/team-data')).toMatchObject({
        budget: { amount: '100' },
        monthToDate: '40',
      });

      expect(authorizeCalls).toEqual([
        [
          { permission: 'ownops.cost.readAll' },
          { permission: 'ownops.cost.read', ref: 'component:default/checkout' },
          { permission: 'ownops.cost.read', ref: 'component:default/payments' },
          { permission: 'ownops.cost.read', ref: 'component:default/broken' },
          { permission: 'ownops.cost.read', ref: 'group:default/team-data' },
        ],
      ]);
      expect(get).not.toHaveBeenCalled();
      expect(getMany).toHaveBeenCalledTimes(1);
      expect(getMany).toHaveBeenCalledWith([
        'component:default/checkout',
        'component:default/broken',
        'group:default/team-data',
      ]);
      const month = { from: '2026-11-01', to: '2026-12-01' };
      expect(calls).toEqual([
        {
          filter: {
            ...month,
            keys: {
              dimension: 'entityRef',
              values: [
                'component:default/checkout',
                'component:default/payments',
                'component:default/broken',
              ],
            },
          },
          groupBy: ['entityRef', 'day'],
        },
        {
          filter: {
            ...month,
            keys: {
              dimension: 'ownerRef',
              values: ['group:default/team-data'],
            },
          },
          groupBy: ['ownerRef', 'day'],
        },
      ]);
    });

    it('names the entities the caller may not read and reads nothing for them', async () => {
      const { service, store, calls } = setup(rows);
      const getMany = jest.spyOn(store, 'getMany');
      const result = await service.getBudgetStatuses(
        [checkout, payments, teamData],
        as(READER),
      );
      expect(result.unreadable).toEqual([
        'component:default/payments',
        'group:default/team-data',
      ]);
      expect([...result.statuses.keys()]).toEqual([
        'component:default/checkout',
      ]);
      expect(getMany).toHaveBeenCalledWith(['component:default/checkout']);
      expect(calls.map(c => c.filter.keys)).toEqual([
        { dimension: 'entityRef', values: ['component:default/checkout'] },
      ]);

      // ownops.cost.readAll reads every one.
      expect(
        (await service.getBudgetStatuses([checkout, payments], as(FINANCE)))
          .unreadable,
      ).toEqual([]);

      const none = setup(rows);
      expect(
        await none.service.getBudgetStatuses(
          [checkout, payments],
          as(OUTSIDER),
        ),
      ).toEqual({
        statuses: new Map(),
        unreadable: [
          'component:default/checkout',
          'component:default/payments',
        ],
      });
      expect(none.calls).toEqual([]);
    });

    it('asks nothing for no entities and refuses other kinds', async () => {
      const { service, authorizeCalls, calls } = setup(rows);
      expect(await service.getBudgetStatuses([], as(OWNER))).toEqual({
        statuses: new Map(),
        unreadable: [],
      });
      await expect(
        service.getBudgetStatuses([checkout, alice], as(OWNER)),
      ).rejects.toMatchObject({ name: 'InputError' });
      expect(authorizeCalls).toEqual([]);
      expect(calls).toEqual([]);
    });
  });

  describe('listBudgetStatuses', () => {
    it('lists stored and annotation budgets with titles, for finance', async () => {
      const { service, calls } = setup([
        {
          day: '2026-11-10',
          entityRef: 'component:default/checkout',
          effectiveCost: '750',
        },
      ]);
      const list = await service.listBudgetStatuses(as(FINANCE));
      expect(list.month).toBe('2026-11');
      expect(
        list.items.map(item => [
          item.budget.entityRef,
          item.budgetSource,
          item.title,
          item.monthToDate,
          item.thresholdsReached,
        ]),
      ).toEqual([
        ['component:default/broken', 'set', 'broken', '0', []],
        ['component:default/checkout', 'set', 'Checkout', '750', [50]],
        ['component:default/payments', 'annotation', 'payments', '0', []],
      ]);
      // One sum for all component budgets, of their rows only; no group
      // budget, no owner sum.
      expect(calls).toEqual([
        {
          filter: {
            from: '2026-11-01',
            to: '2026-12-01',
            keys: {
              dimension: 'entityRef',
              values: [
                'component:default/broken',
                'component:default/checkout',
                'component:default/payments',
              ],
            },
          },
          groupBy: ['entityRef', 'day'],
        },
      ]);
    });

    it('sums every entity when there are more budgets than a filter lists', async () => {
      const { service, store, calls } = setup([
        {
          day: '2026-11-10',
          entityRef: 'component:default/svc-7',
          effectiveCost: '3',
        },
      ]);
      for (let i = 0; i < MAX_KEYED_BUDGET_REFS; i++) {
        await store.upsert(stored(`component:default/svc-${i}`, '10'), NOW);
      }
      const list = await service.listBudgetStatuses(as(FINANCE));
      expect(list.items).toHaveLength(MAX_KEYED_BUDGET_REFS + 3);
      expect(
        list.items.find(
          item => item.budget.entityRef === 'component:default/svc-7',
        )?.monthToDate,
      ).toBe('3');
      expect(calls).toEqual([
        {
          filter: { from: '2026-11-01', to: '2026-12-01' },
          groupBy: ['entityRef', 'day'],
        },
      ]);
    });

    it('reuses the catalog read of budget annotations for 30 s, not stored budgets', async () => {
      const catalog = catalogServiceMock({ entities });
      const stream = jest.spyOn(catalog, 'streamEntities');
      const store = new InMemoryBudgetStore([]);
      let now = NOW.getTime();
      const service = new BudgetService({
        store,
        catalog,
        permissions: mockServices.permissions(),
        costs: fakeCosts([]).costs,
        auth: mockServices.auth(),
        now: () => new Date(now),
      });
      const refs = async () =>
        (await service.listBudgets(as(FINANCE))).map(b => b.entityRef);

      const [first, concurrent] = await Promise.all([refs(), refs()]);
      expect(first).toEqual(['component:default/payments']);
      expect(concurrent).toEqual(first);
      expect(stream).toHaveBeenCalledTimes(1);

      await store.upsert(stored('component:default/checkout', '20'), NOW);
      now += ANNOTATED_BUDGETS_REUSE_MS - 1;
      expect(await refs()).toEqual([
        'component:default/checkout',
        'component:default/payments',
      ]);
      expect(stream).toHaveBeenCalledTimes(1);

      now += 1;
      await refs();
      expect(stream).toHaveBeenCalledTimes(2);
    });

    it('needs ownops.cost.readAll', async () => {
      const { service, calls, authorized } = setup();
      await expect(
        service.listBudgetStatuses(as(OUTSIDER)),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message:
          'You may not read every budget (permission ownops.cost.readAll)',
      });
      expect(authorized).toEqual([
        { user: OUTSIDER, permission: 'ownops.cost.readAll' },
      ]);
      expect(calls).toEqual([]);
    });
  });
});
