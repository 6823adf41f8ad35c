import { Entity } from '@backstage/catalog-model';
import { identityApiRef } from '@backstage/core-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { mockApis, TestApiProvider } from '@backstage/test-utils';
import {
  BudgetStatus,
  BudgetStatusList,
  CostBreakdown,
  CostBreakdownQuery,
  CostIngestionStatus,
  CostSeriesPoint,
  EntityCost,
  OwnopsApi,
  UnallocatedCost,
} from '@ownops/backstage-plugin-common';
import { ReactNode } from 'react';
import { ownopsApiRef } from '../../../api';
import { eachDay } from '../days';

export const CHECKOUT_REF = 'component:default/checkout-service';
export const TEAM_REF = 'group:default/team-checkout';

export const checkoutService: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout-service',
    namespace: 'default',
    annotations: {
      'ownops.io/environments': 'staging,production',
      'ownops.io/deploy-target': 'local',
    },
  },
  spec: { type: 'service', owner: 'group:default/team-checkout' },
};

export const teamCheckout: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team-checkout', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

/**
 * Daily cost of checkout-service from 2026-11-01 to 2026-11-20: Compute
 * 10.50 USD a day in production and 2.25 in staging, Storage 1.125 in
 * production; totals below are the exact sums of these rows.
 */
export function checkoutSeries(
  from = '2026-11-01',
  to = '2026-11-21',
  environment?: string,
): CostSeriesPoint[] {
  const rows: CostSeriesPoint[] = [];
  for (const day of eachDay(from, to)) {
    rows.push(
      {
        day,
        serviceCategory: 'Compute',
        environment: 'production',
        currency: 'USD',
        billedCost: '11.00',
        effectiveCost: '10.50',
      },
      {
        day,
        serviceCategory: 'Compute',
        environment: 'staging',
        currency: 'USD',
        billedCost: '2.25',
        effectiveCost: '2.25',
      },
      {
        day,
        serviceCategory: 'Storage',
        environment: 'production',
        currency: 'USD',
        billedCost: '1.125',
        effectiveCost: '1.125',
      },
    );
  }
  return rows.filter(r => !environment || r.environment === environment);
}

export function budgetStatus(
  overrides: Partial<BudgetStatus> = {},
): BudgetStatus {
  return {
    budget: {
      entityRef: CHECKOUT_REF,
      amount: '400.00',
      currency: 'USD',
      thresholds: [50, 80, 100],
      updatedBy: 'user:default/alice',
      updatedAt: '2026-11-01T09:00:00.000Z',
    },
    budgetSource: 'set',
    month: '2026-11',
    monthToDate: '277.5',
    forecast: '416.25',
    dataThrough: '2026-11-20',
    percentUsed: 69.4,
    forecastPercent: 104.1,
    thresholdsReached: [50],
    state: 'at-risk',
    otherCurrencies: [],
    ...overrides,
  };
}

/** What the backend answers for checkout-service without from/to. */
export function entityCost(overrides: Partial<EntityCost> = {}): EntityCost {
  return {
    entityRef: CHECKOUT_REF,
    from: '2026-10-22',
    to: '2026-11-21',
    series: checkoutSeries(),
    totals: [
      { currency: 'USD', billedCost: '287.5', effectiveCost: '277.5' },
      { currency: 'EUR', billedCost: '12.00', effectiveCost: '11.5' },
    ],
    environments: ['production', 'staging'],
    dataRange: { first: '2026-09-01', last: '2026-11-20' },
    budgetStatus: budgetStatus(),
    ...overrides,
  };
}

export function breakdown(
  query: CostBreakdownQuery,
  overrides: Partial<CostBreakdown> = {},
): CostBreakdown {
  const rowsByGroup: Record<string, CostBreakdown['rows']> = {
    owner: [
      {
        key: TEAM_REF,
        title: 'Team Checkout',
        currency: 'USD',
        billedCost: '5210.00',
        effectiveCost: '5000.1234',
        previousEffectiveCost: '4000',
        changePercent: 25,
        budgetForRange: '6000.00',
      },
      {
        key: 'group:default/team-payments',
        title: 'Team Payments',
        currency: 'USD',
        billedCost: '800.00',
        effectiveCost: '750.5',
        previousEffectiveCost: '1000',
        changePercent: -24.95,
        budgetForRange: '500.00',
      },
      {
        key: null,
        currency: 'USD',
        billedCost: '99.99',
        effectiveCost: '99.99',
        previousEffectiveCost: '0',
        changePercent: null,
      },
    ],
    costCenter: [
      {
        key: 'cc-1001',
        currency: 'USD',
        billedCost: '5210.00',
        effectiveCost: '5000.1234',
        previousEffectiveCost: '4000',
        changePercent: 25,
      },
      {
        key: 'cc-2002',
        currency: 'USD',
        billedCost: '800.00',
        effectiveCost: '750.5',
        previousEffectiveCost: '1000',
        changePercent: -24.95,
      },
    ],
  };
  const rows = (rowsByGroup[query.groupBy] ?? rowsByGroup.owner).filter(
    row =>
      !query.costCenter ||
      query.groupBy !== 'costCenter' ||
      row.key === query.costCenter,
  );
  const from = query.from ?? '2026-10-22';
  const to = query.to ?? '2026-11-21';
  return {
    groupBy: query.groupBy,
    from,
    to,
    previousFrom: '2026-09-22',
    previousTo: from,
    costCenter: query.costCenter,
    owner: query.owner,
    rows: query.costCenter ? rows.slice(0, 1) : rows,
    series: eachDay('2026-11-18', '2026-11-21').flatMap(day =>
      rows.map(row => ({
        day,
        key: row.key,
        currency: row.currency,
        effectiveCost: row.key === TEAM_REF ? '160.25' : '20.5',
      })),
    ),
    totals: [
      { currency: 'USD', billedCost: '6109.99', effectiveCost: '5850.6134' },
    ],
    unallocated: [
      { currency: 'USD', billedCost: '99.99', effectiveCost: '99.99' },
    ],
    costCenters: ['cc-1001', 'cc-2002'],
    dataRange: { first: '2026-09-01', last: '2026-11-20' },
    ...overrides,
  };
}

export function budgetStatusList(): BudgetStatusList {
  return {
    month: '2026-11',
    items: [
      { ...budgetStatus(), title: 'Checkout Service' },
      {
        ...budgetStatus({
          budget: {
            ...budgetStatus().budget,
            entityRef: 'group:default/team-payments',
            amount: '500.00',
          },
          budgetSource: 'annotation',
          monthToDate: '612.40',
          forecast: '900.00',
          percentUsed: 122.5,
          forecastPercent: 180,
          thresholdsReached: [50, 80, 100],
          state: 'over',
        }),
        title: 'Team Payments',
      },
    ],
  };
}

export function unallocatedCost(): UnallocatedCost {
  return {
    from: '2026-10-22',
    to: '2026-11-21',
    totals: [{ currency: 'USD', billedCost: '99.99', effectiveCost: '99.99' }],
    share: [{ currency: 'USD', percent: 1.7 }],
    topResources: [
      {
        resource: 'arn:aws:s3:::orphan-logs',
        currency: 'USD',
        effectiveCost: '80.00',
        records: 30,
        reasons: ['untagged'],
      },
      {
        resource: 'i-0abc1234',
        currency: 'USD',
        effectiveCost: '19.99',
        records: 12,
        reasons: ['unknown-entity-tag'],
      },
    ],
  };
}

export function ingestionStatus(): CostIngestionStatus {
  return {
    sources: [
      {
        id: 'focus-files',
        lastRun: {
          id: 7,
          source: 'focus-files',
          trigger: 'schedule',
          status: 'failed',
          startedAt: '2026-11-21T02:00:00.000Z',
          finishedAt: '2026-11-21T02:00:04.000Z',
          rowsRead: 1200,
          rowsRejected: 1,
          billingPeriods: ['2026-11'],
          unallocatedShare: [{ currency: 'USD', percent: 1.7 }],
          error: 'november.csv line 17 column 4: BilledCost is not a number',
        },
      },
    ],
    schedule: 'ownops-cost-ingestion',
  };
}

export type MockOwnopsApi = jest.Mocked<
  Pick<
    OwnopsApi,
    | 'getEntityCost'
    | 'listDeployments'
    | 'setBudget'
    | 'getCostBreakdown'
    | 'getCostBreakdownCsv'
    | 'getUnallocatedCost'
    | 'listBudgetStatuses'
    | 'getCostIngestionStatus'
    | 'startCostIngestion'
  >
>;

export function mockOwnopsApi(): MockOwnopsApi {
  return {
    getEntityCost: jest.fn(),
    listDeployments: jest.fn().mockResolvedValue({ items: [] }),
    setBudget: jest.fn(),
    getCostBreakdown: jest.fn(async query => breakdown(query)),
    getCostBreakdownCsv: jest.fn(),
    getUnallocatedCost: jest.fn(async () => unallocatedCost()),
    listBudgetStatuses: jest.fn(async () => budgetStatusList()),
    getCostIngestionStatus: jest.fn(async () => ingestionStatus()),
    startCostIngestion: jest.fn(),
  };
}

export function CostProviders(props: {
  api: MockOwnopsApi;
  entity?: Entity;
  /** Permission names to deny; everything else is allowed. */
  deny?: string[];
  children: ReactNode;
}) {
  const deny = new Set(props.deny ?? []);
  const content = props.entity ? (
    <EntityProvider entity={props.entity}>{props.children}</EntityProvider>
  ) : (
    props.children
  );
  return (
    <TestApiProvider
      apis={[
        [ownopsApiRef, props.api as unknown as OwnopsApi],
        [
          permissionApiRef,
          mockApis.permission({
            authorize: request =>
              deny.has(request.permission.name)
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          }),
        ],
        [identityApiRef, mockApis.identity()],
      ]}
    >
      {content}
    </TestApiProvider>
  );
}
