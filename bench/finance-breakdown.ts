/*
 * Finance breakdown benchmark: CostService.getBreakdown over the seeded
 * large organisation (bench/org/seed.ts), by cost center over 90 days and
 * by owner over a year, on SQLite and/or PostgreSQL. The catalog is an
 * in-memory stub answering from orgEntities(); its calls are counted.
 * Goal: < 200 ms. Not a test: nothing is asserted.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/finance-breakdown.ts \
 *     [--sqlite /tmp/ownops-bench/org] [--postgres postgresql://postgres@127.0.0.1:5432 \
 *     --database ownops_bench_org] [--runs 30] [--warmup 3]
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { PermissionsService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { CostBreakdownQuery } from '@ownops/backstage-plugin-common';
import { Knex } from 'knex';
import { CostService } from '../plugins/ownops-backend/src/cost/query/CostService';
import { DatabaseBudgetStore } from '../plugins/ownops-backend/src/database/DatabaseBudgetStore';
import { DatabaseCostStore } from '../plugins/ownops-backend/src/database/DatabaseCostStore';
import { BudgetService } from '../plugins/ownops-backend/src/service/BudgetService';
import { orgEntities } from './org/entities';
import { eachDatabase, option } from './org/seed';
import { DEFAULT_NOW } from './org/seedDatabase';
import { summarize, timeMs } from './org/stats';

/** Catalog calls the service made, by method. */
export const catalogCalls: Record<string, number> = {};

/** An in-memory catalog over the given entities (only what the services use). */
export function catalogStub(entities: Entity[]): CatalogService {
  const byRef = new Map(
    entities.map(e => [stringifyEntityRef(e).toLocaleLowerCase('en-US'), e]),
  );
  const count = (method: string) => {
    catalogCalls[method] = (catalogCalls[method] ?? 0) + 1;
  };
  const stub = {
    async getEntityByRef(ref: string | { kind: string; name: string }) {
      count('getEntityByRef');
      const key = (
        typeof ref === 'string' ? ref : stringifyEntityRef(ref)
      ).toLocaleLowerCase('en-US');
      return byRef.get(key);
    },
    async getEntitiesByRefs(request: { entityRefs: string[] }) {
      count('getEntitiesByRefs');
      return {
        items: request.entityRefs.map(ref =>
          byRef.get(ref.toLocaleLowerCase('en-US')),
        ),
      };
    },
    async *streamEntities(request: { query?: Record<string, unknown> }) {
      count('streamEntities');
      const query = request.query ?? {};
      const kinds = (query.kind as { $in?: string[] } | undefined)?.$in?.map(
        k => k.toLocaleLowerCase('en-US'),
      );
      const annotations = Object.keys(query)
        .filter(key => key.startsWith('metadata.annotations.'))
        .map(key => key.slice('metadata.annotations.'.length));
      const matching = entities.filter(
        e =>
          (!kinds || kinds.includes(e.kind.toLocaleLowerCase('en-US'))) &&
          annotations.every(a => e.metadata.annotations?.[a] !== undefined),
      );
      for (let i = 0; i < matching.length; i += 500) {
        yield matching.slice(i, i + 500);
      }
    },
  };
  return stub as unknown as CatalogService;
}

export const allowAll: PermissionsService = {
  async authorize(requests: unknown[]) {
    return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
  },
  async authorizeConditional(requests: unknown[]) {
    return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
  },
} as unknown as PermissionsService;

function day(offsetDays: number): string {
  return new Date(DEFAULT_NOW.getTime() + offsetDays * 86_400_000)
    .toISOString()
    .slice(0, 10);
}

export const BREAKDOWNS: Array<{ name: string; query: CostBreakdownQuery }> = [
  {
    name: 'costCenter, 90 days',
    query: { groupBy: 'costCenter', from: day(-90), to: day(0) },
  },
  {
    name: 'owner, 365 days',
    query: { groupBy: 'owner', from: day(-365), to: day(0) },
  },
];

async function benchDatabase(
  name: string,
  db: Knex,
  runs: number,
  warmup: number,
) {
  const catalog = catalogStub(orgEntities());
  const costStore = await DatabaseCostStore.createForTest(db);
  const budgets = new BudgetService({
    store: await DatabaseBudgetStore.createForTest(db),
    costs: costStore,
    catalog,
    permissions: allowAll,
    now: () => DEFAULT_NOW,
  });
  const costs = new CostService({
    store: costStore,
    catalog,
    permissions: allowAll,
    budgetStatusOf: entity => budgets.getReadableBudgetStatus(entity),
    budgets: credentials => budgets.listBudgets(credentials),
    now: () => DEFAULT_NOW,
  });
  const credentials = mockCredentials.user();
  for (const { name: breakdown, query } of BREAKDOWNS) {
    let rows = 0;
    for (let i = 0; i < warmup; i++) {
      rows = (await costs.getBreakdown(query, credentials)).rows.length;
    }
    for (const key of Object.keys(catalogCalls)) delete catalogCalls[key];
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      samples.push(await timeMs(() => costs.getBreakdown(query, credentials)));
    }
    const perRun = Object.fromEntries(
      Object.entries(catalogCalls).map(([k, v]) => [k, v / runs]),
    );
    console.log(
      JSON.stringify({
        database: name,
        breakdown,
        rows,
        ms: summarize(samples),
        catalogCallsPerRun: perRun,
      }),
    );
  }
}

async function main() {
  const runs = Number(option('runs') ?? 30);
  const warmup = Number(option('warmup') ?? 3);
  await eachDatabase((database, db) =>
    benchDatabase(database, db, runs, warmup),
  );
}

if (require.main === module) {
  main().catch(error => {
    console.error(error);
    process.exit(1);
  });
}
