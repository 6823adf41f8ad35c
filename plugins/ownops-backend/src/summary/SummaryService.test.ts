import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  ANNOTATION_BUDGET,
  ANNOTATION_DEPLOY_TARGET,
  ANNOTATION_ENVIRONMENTS,
  BudgetStatus,
  Deployment,
  EntityEnvironments,
  SummaryOnCall,
} from '@ownops/backstage-plugin-common';
import { EntityCostTotals } from '../cost/query/CostService';
import { FinishedCounts } from '../database/DeploymentStore';
import { SummaryService, SummaryServiceOptions } from './SummaryService';

const NOW = new Date('2026-11-20T12:00:00Z');
const credentials = mockCredentials.user('user:default/alice');

const group: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'payments', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

const component = (name: string, owner = 'group:default/payments'): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    title: `${name} title`,
    annotations: {
      [ANNOTATION_ENVIRONMENTS]: 'staging,production',
      [ANNOTATION_DEPLOY_TARGET]: 'command',
    },
  },
  spec: { type: 'service', owner, lifecycle: 'production' },
  relations: [{ type: 'ownedBy', targetRef: owner }],
});

const entities = [
  group,
  component('checkout'),
  component('ledger'),
  component('search', 'group:default/discovery'),
];

function deployment(
  id: number,
  entityRef: string,
  status: Deployment['status'],
  finishedAt: string,
): Deployment {
  return {
    id,
    entityRef,
    environment: 'production',
    version: `1.0.${id}`,
    kind: 'deploy',
    status,
    targetId: 'command',
    requestedBy: 'user:default/alice',
    cancelRequested: false,
    createdAt: finishedAt,
    finishedAt,
  };
}

function budgetStatus(
  entityRef: string,
  amount: string,
  currency: string,
  monthToDate: string,
): BudgetStatus {
  return {
    budget: {
      entityRef,
      amount,
      currency,
      thresholds: [80, 100],
      updatedBy: 'user:default/alice',
      updatedAt: '2026-11-01T00:00:00Z',
    },
    budgetSource: 'set',
    month: '2026-11',
    monthToDate,
    forecast: monthToDate,
    dataThrough: '2026-11-19',
    percentUsed: 10,
    forecastPercent: 20,
    thresholdsReached: [],
    state: 'ok',
    otherCurrencies: [],
  };
}

const onCallNow: SummaryOnCall = {
  provider: 'rotation',
  now: [
    {
      person: { userEntityRef: 'user:default/bob', name: 'Bob' },
      start: '2026-11-20T09:00:00Z',
      end: '2026-11-21T09:00:00Z',
      escalationLevel: 1,
    },
  ],
};

const environments: EntityEnvironments = {
  entityRef: 'component:default/checkout',
  environments: [
    {
      name: 'production',
      targetId: 'command',
      targetType: 'command',
      protected: true,
      current: deployment(
        3,
        'component:default/checkout',
        'succeeded',
        '2026-11-19T10:00:00Z',
      ),
      latest: deployment(
        4,
        'component:default/checkout',
        'failed',
        '2026-11-20T10:00:00Z',
      ),
      rollbackCandidates: [],
    },
    {
      name: 'staging',
      targetId: 'command',
      targetType: 'command',
      protected: false,
      rollbackCandidates: [],
    },
  ],
};

function costTotals(
  totals: EntityCostTotals['totals'],
  status: BudgetStatus | null = null,
): EntityCostTotals {
  return {
    from: '2026-11-01',
    to: '2026-11-21',
    totals,
    budgetStatus: status,
  };
}

function service(overrides: Partial<SummaryServiceOptions> = {}) {
  const deps: SummaryServiceOptions = {
    catalog: catalogServiceMock({ entities }),
    deployments: { getEnvironments: jest.fn(async () => environments) },
    deploymentStore: { countFinishedSince: jest.fn(async () => new Map()) },
    costs: {
      getEntityTotals: jest.fn(async () =>
        costTotals([
          { currency: 'USD', billedCost: '10.5', effectiveCost: '9.25' },
        ]),
      ),
    },
    budgets: {
      getBudgetStatuses: jest.fn(async () => ({
        statuses: new Map(),
        unreadable: [],
      })),
    },
    onCall: jest.fn(async () => onCallNow),
    timeoutMs: 100,
    now: () => NOW,
    ...overrides,
  };
  return { summaries: new SummaryService(deps), deps };
}

describe('SummaryService.getEntitySummary', () => {
  it('returns the three sections', async () => {
    const { summaries, deps } = service();
    const summary = await summaries.getEntitySummary(
      'component:default/checkout',
      credentials,
    );
    expect(summary).toEqual({
      entityRef: 'component:default/checkout',
      generatedAt: NOW.toISOString(),
      deployments: {
        status: 'ok',
        data: [
          {
            environment: 'production',
            currentVersion: '1.0.3',
            lastDeployment: {
              id: 4,
              version: '1.0.4',
              status: 'failed',
              kind: 'deploy',
              finishedAt: '2026-11-20T10:00:00Z',
              requestedBy: 'user:default/alice',
            },
          },
          { environment: 'staging', currentVersion: null },
        ],
      },
      cost: {
        status: 'ok',
        data: {
          month: '2026-11',
          monthToDate: [
            { currency: 'USD', billedCost: '10.5', effectiveCost: '9.25' },
          ],
          budgetStatus: null,
        },
      },
      oncall: { status: 'ok', data: onCallNow },
    });
    // The entity just read is passed on, not read from the catalog again.
    expect(deps.costs.getEntityTotals).toHaveBeenCalledWith(
      expect.objectContaining({ kind: 'Component' }),
      { from: '2026-11-01', to: '2026-11-21' },
      credentials,
    );
    expect(deps.onCall).toHaveBeenCalledWith(
      expect.objectContaining({ kind: 'Component' }),
      NOW,
      expect.any(AbortSignal),
    );
    // The entity just read is passed on, not read from the catalog again.
    expect(deps.deployments.getEnvironments).toHaveBeenCalledWith(
      'component:default/checkout',
      credentials,
      expect.objectContaining({ kind: 'Component' }),
      { rollbackCandidates: false },
    );
  });

  it('shows no environments, not an error, for an entity Ownops does not deploy', async () => {
    const getEnvironments = jest.fn();
    const { summaries } = service({
      catalog: catalogServiceMock({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name: 'docs', namespace: 'default' },
            spec: { owner: 'group:default/payments' },
          },
        ],
      }),
      deployments: { getEnvironments },
    });
    const summary = await summaries.getEntitySummary(
      'component:default/docs',
      credentials,
    );
    expect(summary.deployments).toEqual({ status: 'ok', data: [] });
    expect(getEnvironments).not.toHaveBeenCalled();
  });

  it('is a 404 when the caller cannot see the entity', async () => {
    const { summaries } = service();
    await expect(
      summaries.getEntitySummary('component:default/secret', credentials),
    ).rejects.toThrow(NotFoundError);
  });

  it('names a throwing, a hanging and a malformed section beside the others', async () => {
    let onCallSignal: AbortSignal | undefined;
    const { summaries } = service({
      deployments: {
        getEnvironments: async () => {
          throw new Error('database is down');
        },
      },
      costs: {
        getEntityTotals: async () =>
          costTotals([{ currency: 'USD', effectiveCost: 3 } as any]),
      },
      onCall: (_entity, _at, signal) => {
        onCallSignal = signal;
        return new Promise(() => {});
      },
    });
    const summary = await summaries.getEntitySummary(
      'component:default/checkout',
      credentials,
    );
    expect(summary.deployments).toEqual({
      status: 'error',
      error: 'deployments failed: database is down',
    });
    expect(summary.cost).toEqual({
      status: 'error',
      error:
        'cost returned malformed data: amount #1 lacks a currency or decimal strings',
    });
    expect(summary.oncall).toEqual({
      status: 'timeout',
      error: 'oncall did not answer within 100 ms',
    });
    expect(onCallSignal?.aborted).toBe(true);
  });

  it('rejects a malformed on-call answer', async () => {
    const { summaries } = service({
      onCall: async () =>
        ({ provider: 'pagerduty', now: [{ person: {}, start: 'x' }] } as any),
    });
    const summary = await summaries.getEntitySummary(
      'component:default/checkout',
      credentials,
    );
    expect(summary.oncall).toEqual({
      status: 'error',
      error: 'oncall returned malformed data: now[0].person.name is missing',
    });
    expect(summary.deployments.status).toBe('ok');
  });

  it('turns a cost permission denial into the cost section error only', async () => {
    const { summaries } = service({
      costs: {
        getEntityTotals: async () => {
          throw new NotAllowedError(
            'You may not read the cost of component:default/checkout',
          );
        },
      },
    });
    const summary = await summaries.getEntitySummary(
      'component:default/checkout',
      credentials,
    );
    expect(summary.cost).toEqual({
      status: 'error',
      error:
        'cost failed: You may not read the cost of component:default/checkout',
    });
    expect(summary.deployments.status).toBe('ok');
    expect(summary.oncall.status).toBe('ok');
  });
});

describe('SummaryService.getGroupSummary', () => {
  /** The summary of group:default/payments with these dependencies. */
  const paymentsSummary = (overrides: Partial<SummaryServiceOptions>) =>
    service(overrides).summaries.getGroupSummary(
      'group:default/payments',
      credentials,
    );

  it('rolls up the week of deployments and the cost per currency', async () => {
    const countFinishedSince = jest.fn(
      async (): Promise<Map<string, FinishedCounts>> =>
        new Map([
          ['component:default/checkout', { deployments: 3, failed: 1 }],
          ['component:default/ledger', { deployments: 1, failed: 1 }],
        ]),
    );
    const getBudgetStatuses = jest.fn(async () => ({
      statuses: new Map([
        [
          'component:default/checkout',
          budgetStatus(
            'component:default/checkout',
            '1000.10',
            'USD',
            '100.05',
          ),
        ],
        [
          'component:default/ledger',
          budgetStatus('component:default/ledger', '0.2', 'EUR', '0.1'),
        ],
      ]),
      unreadable: [],
    }));
    const checkout = component('checkout');
    checkout.metadata.annotations![ANNOTATION_BUDGET] = '1000.10 USD';
    const { summaries, deps } = service({
      catalog: catalogServiceMock({
        entities: [group, checkout, component('ledger')],
      }),
      deploymentStore: { countFinishedSince },
      costs: {
        getEntityTotals: async entity =>
          costTotals(
            [
              { currency: 'EUR', billedCost: '0.1', effectiveCost: '0.1' },
              { currency: 'USD', billedCost: '0.2', effectiveCost: '0.2' },
            ],
            budgetStatus(stringifyEntityRef(entity), '500.5', 'USD', '0.2'),
          ),
      },
      budgets: { getBudgetStatuses },
    });
    const summary = await summaries.getGroupSummary(
      'group:default/payments',
      credentials,
    );
    expect(summary.groupRef).toBe('group:default/payments');
    expect(summary.entities).toBe(2);
    expect(summary.services).toEqual([
      { entityRef: 'component:default/checkout', title: 'checkout title' },
      { entityRef: 'component:default/ledger', title: 'ledger title' },
    ]);
    // One count for every component, up to now.
    expect(countFinishedSince).toHaveBeenCalledTimes(1);
    expect(countFinishedSince).toHaveBeenCalledWith(
      ['component:default/checkout', 'component:default/ledger'],
      new Date('2026-11-13T12:00:00Z'),
      NOW,
    );
    expect(summary.deployments).toEqual({
      status: 'ok',
      data: {
        since: '2026-11-13T12:00:00.000Z',
        deploymentsThisWeek: 4,
        failedDeploymentsThisWeek: 2,
        perService: [
          {
            entityRef: 'component:default/checkout',
            deployments: 3,
            failed: 1,
          },
          { entityRef: 'component:default/ledger', deployments: 1, failed: 1 },
        ],
      },
    });
    expect(summary.cost.status).toBe('ok');
    const cost = summary.cost.status === 'ok' ? summary.cost.data : undefined;
    expect(cost?.currencies).toEqual([
      {
        currency: 'EUR',
        monthToDate: '0.1',
        componentBudgets: '0.2',
        componentsMonthToDate: '0.1',
        componentsWithBudget: 1,
      },
      {
        currency: 'USD',
        monthToDate: '0.2',
        groupBudget: '500.5',
        componentBudgets: '1000.1',
        componentsMonthToDate: '100.05',
        componentsWithBudget: 1,
      },
    ]);
    expect(cost?.componentsUnreadable).toEqual([]);
    // One batched budget read, of the components as listed with the
    // caller's credentials and their budget fields: no read per component.
    expect(getBudgetStatuses).toHaveBeenCalledTimes(1);
    expect(getBudgetStatuses).toHaveBeenCalledWith(
      [
        expect.objectContaining({
          metadata: expect.objectContaining({
            name: 'checkout',
            annotations: { [ANNOTATION_BUDGET]: '1000.10 USD' },
          }),
          spec: { owner: 'group:default/payments' },
        }),
        expect.objectContaining({
          metadata: expect.objectContaining({ name: 'ledger' }),
        }),
      ],
      credentials,
    );
    expect(summary.oncall).toEqual({ status: 'ok', data: onCallNow });
    expect(deps.onCall).toHaveBeenCalledWith(
      expect.objectContaining({ kind: 'Group' }),
      NOW,
      expect.any(AbortSignal),
    );
  });

  it('sums exactly and names components whose budget it may not read', async () => {
    const summary = await paymentsSummary({
      catalog: catalogServiceMock({
        entities: [
          group,
          component('a'),
          component('b'),
          component('c'),
          component('d'),
        ],
      }),
      costs: { getEntityTotals: async () => costTotals([]) },
      budgets: {
        getBudgetStatuses: async components => ({
          statuses: new Map(
            ['a', 'b', 'c'].map(name => [
              `component:default/${name}`,
              budgetStatus(`component:default/${name}`, '0.1', 'USD', '0.1'),
            ]),
          ),
          unreadable: components
            .map(c => stringifyEntityRef(c))
            .filter(ref => ref === 'component:default/d'),
        }),
      },
    });
    expect(summary.cost).toEqual({
      status: 'ok',
      data: {
        month: '2026-11',
        currencies: [
          {
            currency: 'USD',
            monthToDate: '0',
            componentBudgets: '0.3',
            componentsMonthToDate: '0.3',
            componentsWithBudget: 3,
          },
        ],
        groupBudgetStatus: null,
        componentsUnreadable: ['component:default/d'],
      },
    });
  });

  it('names every component unreadable when the batched budget read fails', async () => {
    const summary = await paymentsSummary({
      budgets: {
        getBudgetStatuses: async () => {
          throw new Error('permission backend down');
        },
      },
    });
    expect(summary.cost).toEqual({
      status: 'ok',
      data: {
        month: '2026-11',
        currencies: [
          { currency: 'USD', monthToDate: '9.25', componentsWithBudget: 0 },
        ],
        groupBudgetStatus: null,
        componentsUnreadable: [
          'component:default/checkout',
          'component:default/ledger',
        ],
      },
    });
  });

  it('keeps the other sections when the group cost is denied', async () => {
    const summary = await paymentsSummary({
      costs: {
        getEntityTotals: async () => {
          throw new NotAllowedError('You may not read the cost of the group');
        },
      },
    });
    expect(summary.cost).toEqual({
      status: 'error',
      error: 'cost failed: You may not read the cost of the group',
    });
    expect(summary.deployments.status).toBe('ok');
  });

  it('is a 404 for an unknown group and refuses other kinds', async () => {
    const { summaries } = service();
    await expect(
      summaries.getGroupSummary('group:default/nobody', credentials),
    ).rejects.toThrow(NotFoundError);
    await expect(
      summaries.getGroupSummary('component:default/checkout', credentials),
    ).rejects.toThrow('is not a group');
  });
});
