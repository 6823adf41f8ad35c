import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  CostIngestionRun,
  CostIngestionTrigger,
  UnallocatedResourceCost,
} from '@ownops/backstage-plugin-common';
import { Knex } from 'knex';
import {
  decimalToNanos,
  joinNanos,
  nanosToDecimal,
  splitNanos,
} from '../cost/money/nanos';
import {
  BillingPeriodReplacement,
  CostDimension,
  CostFilter,
  CostStore,
  CostSum,
  RunCounters,
  StoredDelivery,
} from './CostStore';
import { isUniqueViolation } from './databaseErrors';

const DAILY = 'ownops_cost_daily';
/** DAILY summed per day, owner, cost center and currency (a migration). */
const OWNER_DAILY = 'ownops_cost_daily_owner';
const UNALLOCATED = 'ownops_cost_unallocated';
const RUNS = 'ownops_cost_ingestion_runs';
const DELIVERIES = 'ownops_cost_deliveries';

/** Rows per INSERT: 14 columns each stays far below SQLite's 32766 variables. */
const INSERT_CHUNK = 500;
/** Billing periods per DELETE … IN (…). */
const DELETE_CHUNK = 200;

const migrationsDir = resolvePackagePath(
  '@ownops/backstage-plugin-backend',
  'migrations',
);

const COLUMN: Record<CostDimension, string> = {
  day: 'day',
  entityRef: 'entity_ref',
  ownerRef: 'owner_ref',
  costCenter: 'cost_center',
  environment: 'environment',
  serviceCategory: 'service_category',
};

/** Dimensions OWNER_DAILY keeps; sums over only these read it. */
const OWNER_DAILY_DIMENSIONS: ReadonlySet<CostDimension> = new Set([
  'day',
  'ownerRef',
  'costCenter',
]);

/** Refills OWNER_DAILY from DAILY for a source and some billing periods. */
const SUMMARIZE = (periods: number) => `INSERT INTO ${OWNER_DAILY}
  (day, source, billing_period, owner_ref, cost_center, unallocated, currency,
   billed_units, billed_nanos, effective_units, effective_nanos)
  SELECT day, source, billing_period, owner_ref, cost_center,
    CASE WHEN entity_ref IS NULL AND owner_ref IS NULL THEN 1 ELSE 0 END,
    currency, SUM(billed_units), SUM(billed_nanos), SUM(effective_units),
    SUM(effective_nanos)
  FROM ${DAILY}
  WHERE source = ? AND billing_period IN (${Array(periods)
    .fill('?')
    .join(', ')})
  GROUP BY day, source, billing_period, owner_ref, cost_center,
    CASE WHEN entity_ref IS NULL AND owner_ref IS NULL THEN 1 ELSE 0 END,
    currency`;

type RunRow = {
  id: number | string;
  source: string;
  trigger: string;
  requested_by: string | null;
  status: string;
  started_at: number | string;
  heartbeat_at: number | string;
  finished_at: number | string | null;
  rows_read: number | string;
  rows_rejected: number | string;
  billing_periods: string;
  unallocated_share: string;
  error: string | null;
  unchanged_deliveries: number | string;
};

type DeliveryRow = {
  source: string;
  delivery_key: string;
  fingerprint: string;
  rows_read: number | string;
  changed_at: number | string;
};

type SumRow = Record<string, string | null> & {
  currency: string;
  billed_units: string | null;
  billed_nanos: string | null;
  effective_units: string | null;
  effective_nanos: string | null;
};

/**
 * Knex-backed {@link CostStore} for SQLite and PostgreSQL.
 *
 * Amounts are stored as integer units and nanos and summed by the database
 * as integers, cast to text so no sum passes through a JavaScript number.
 */
export class DatabaseCostStore implements CostStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseCostStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseCostStore(client);
  }

  /** For tests: migrates the client and returns a store over it. */
  static async createForTest(client: Knex): Promise<DatabaseCostStore> {
    await client.migrate.latest({ directory: migrationsDir });
    return new DatabaseCostStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async replaceBillingPeriods(
    replacement: BillingPeriodReplacement,
  ): Promise<void> {
    const { source, billingPeriods } = replacement;
    const periods = new Set(billingPeriods);
    for (const item of [...replacement.rollups, ...replacement.unallocated]) {
      if (!periods.has(item.billingPeriod)) {
        throw new TypeError(
          `Rollup of billing period ${item.billingPeriod} is not among the periods replaced`,
        );
      }
    }
    const dailyRows = replacement.rollups.map(rollup => {
      const billed = splitNanos(decimalToNanos(rollup.billedCost));
      const effective = splitNanos(decimalToNanos(rollup.effectiveCost));
      return {
        day: rollup.day,
        source,
        billing_period: rollup.billingPeriod,
        entity_ref: rollup.entityRef,
        owner_ref: rollup.ownerRef,
        cost_center: rollup.costCenter,
        environment: rollup.environment,
        service_category: rollup.serviceCategory,
        currency: rollup.currency,
        billed_units: billed.units,
        billed_nanos: billed.nanos,
        effective_units: effective.units,
        effective_nanos: effective.nanos,
      };
    });
    const unallocatedRows = replacement.unallocated.map(resource => {
      const effective = splitNanos(decimalToNanos(resource.effectiveCost));
      return {
        source,
        billing_period: resource.billingPeriod,
        resource: resource.resource,
        currency: resource.currency,
        effective_units: effective.units,
        effective_nanos: effective.nanos,
        records: resource.records,
        reasons: resource.reasons.join(','),
      };
    });

    await this.db.transaction(async tx => {
      const periodList = [...periods];
      for (let i = 0; i < periodList.length; i += DELETE_CHUNK) {
        const chunk = periodList.slice(i, i + DELETE_CHUNK);
        await tx(DAILY)
          .where({ source })
          .whereIn('billing_period', chunk)
          .delete();
        await tx(UNALLOCATED)
          .where({ source })
          .whereIn('billing_period', chunk)
          .delete();
        await tx(OWNER_DAILY)
          .where({ source })
          .whereIn('billing_period', chunk)
          .delete();
      }
      for (let i = 0; i < dailyRows.length; i += INSERT_CHUNK) {
        await tx(DAILY).insert(dailyRows.slice(i, i + INSERT_CHUNK));
      }
      for (let i = 0; i < unallocatedRows.length; i += INSERT_CHUNK) {
        await tx(UNALLOCATED).insert(
          unallocatedRows.slice(i, i + INSERT_CHUNK),
        );
      }
      for (let i = 0; i < periodList.length; i += DELETE_CHUNK) {
        const chunk = periodList.slice(i, i + DELETE_CHUNK);
        await tx.raw(SUMMARIZE(chunk.length), [source, ...chunk]);
      }
      const { delivery } = replacement;
      if (delivery) {
        await tx<DeliveryRow>(DELIVERIES)
          .insert({
            source,
            delivery_key: delivery.key,
            fingerprint: delivery.fingerprint,
            rows_read: delivery.rowsRead,
            changed_at: delivery.now.getTime(),
          })
          .onConflict(['source', 'delivery_key'])
          .merge(['fingerprint', 'rows_read', 'changed_at']);
      }
    });
  }

  async deliveries(source: string): Promise<Map<string, StoredDelivery>> {
    const rows = await this.db<DeliveryRow>(DELIVERIES).where({ source });
    return new Map(
      rows.map(row => [
        row.delivery_key,
        {
          fingerprint: row.fingerprint,
          rowsRead: Number(row.rows_read),
          changedAt: new Date(Number(row.changed_at)),
        },
      ]),
    );
  }

  async sum(filter: CostFilter, groupBy: CostDimension[]): Promise<CostSum[]> {
    const dimensions = [...new Set(groupBy)];
    const columns = [...dimensions.map(d => COLUMN[d]), 'currency'];
    const table = this.tableFor(filter, dimensions);
    const query = this.applyFilter(this.db(table), filter, table)
      .select(
        ...columns,
        this.sumAsText('billed_units'),
        this.sumAsText('billed_nanos'),
        this.sumAsText('effective_units'),
        this.sumAsText('effective_nanos'),
      )
      .groupBy(columns)
      .orderBy(columns.map(column => ({ column, order: 'asc' })));
    const rows = (await query) as SumRow[];
    return rows.map(row => {
      const sum: CostSum = {
        currency: row.currency.trim(),
        billedCost: nanosToDecimal(
          joinNanos(row.billed_units, row.billed_nanos),
        ),
        effectiveCost: nanosToDecimal(
          joinNanos(row.effective_units, row.effective_nanos),
        ),
      };
      for (const dimension of dimensions) {
        sum[dimension] = row[COLUMN[dimension]] ?? null;
      }
      return sum;
    });
  }

  async dataRange(filter: Omit<CostFilter, 'from' | 'to'>) {
    const table = this.tableFor(filter, []);
    const row = (await this.applyFilter(this.db(table), filter, table)
      .min({ first: 'day' })
      .max({ last: 'day' })
      .first()) as { first: string | null; last: string | null } | undefined;
    return row?.first && row.last ? { first: row.first, last: row.last } : null;
  }

  async distinctValues(
    dimension: 'environment' | 'costCenter' | 'ownerRef' | 'entityRef',
    filter: Omit<CostFilter, 'from' | 'to'> = {},
  ): Promise<string[]> {
    const column = COLUMN[dimension];
    const table = this.tableFor(filter, [dimension]);
    const rows = (await this.applyFilter(this.db(table), filter, table)
      .distinct(column)
      .whereNotNull(column)
      .orderBy(column)) as Array<Record<string, string>>;
    return rows.map(row => row[column]);
  }

  async topUnallocated(
    fromPeriod: string,
    toPeriod: string,
    limit: number,
  ): Promise<UnallocatedResourceCost[]> {
    const rows = (await this.db(UNALLOCATED)
      .where('billing_period', '>=', fromPeriod)
      .andWhere('billing_period', '<=', toPeriod)
      .select(
        'resource',
        'currency',
        this.sumAsText('effective_units'),
        this.sumAsText('effective_nanos'),
        this.db.raw('CAST(SUM(records) AS TEXT) AS records'),
      )
      .groupBy('resource', 'currency')) as Array<{
      resource: string;
      currency: string;
      effective_units: string;
      effective_nanos: string;
      records: string;
    }>;
    const reasons = (await this.db(UNALLOCATED)
      .where('billing_period', '>=', fromPeriod)
      .andWhere('billing_period', '<=', toPeriod)
      .distinct('resource', 'currency', 'reasons')) as Array<{
      resource: string;
      currency: string;
      reasons: string;
    }>;
    const reasonsOf = new Map<string, Set<string>>();
    for (const row of reasons) {
      const key = JSON.stringify([row.resource, row.currency.trim()]);
      const set = reasonsOf.get(key) ?? new Set<string>();
      row.reasons.split(',').forEach(reason => reason && set.add(reason));
      reasonsOf.set(key, set);
    }
    const resources = rows.map(row => ({
      resource: row.resource,
      currency: row.currency.trim(),
      nanos: joinNanos(row.effective_units, row.effective_nanos),
      records: Number(row.records),
    }));
    resources.sort(
      (a, b) =>
        (a.currency < b.currency ? -1 : Number(a.currency > b.currency)) ||
        (a.nanos > b.nanos ? -1 : Number(a.nanos < b.nanos)) ||
        (a.resource < b.resource ? -1 : Number(a.resource > b.resource)),
    );
    const perCurrency = new Map<string, number>();
    return resources
      .filter(resource => {
        const count = (perCurrency.get(resource.currency) ?? 0) + 1;
        perCurrency.set(resource.currency, count);
        return count <= limit;
      })
      .map(resource => ({
        resource: resource.resource,
        currency: resource.currency,
        effectiveCost: nanosToDecimal(resource.nanos),
        records: resource.records,
        reasons: [
          ...(reasonsOf.get(
            JSON.stringify([resource.resource, resource.currency]),
          ) ?? []),
        ].sort(),
      }));
  }

  async startRun(options: {
    source: string;
    trigger: CostIngestionTrigger;
    requestedBy?: string;
    now: Date;
    staleAfterMs: number;
  }): Promise<CostIngestionRun | undefined> {
    const now = options.now.getTime();
    await this.db<RunRow>(RUNS)
      .where({ source: options.source, status: 'running' })
      .andWhere('heartbeat_at', '<', now - options.staleAfterMs)
      .update({
        status: 'failed',
        finished_at: now,
        error:
          'The ingestion stopped reporting progress (its backend stopped or lost the database); nothing it read was stored',
      });
    try {
      const [row] = await this.db<RunRow>(RUNS)
        .insert({
          source: options.source,
          trigger: options.trigger,
          requested_by: options.requestedBy ?? null,
          status: 'running',
          started_at: now,
          heartbeat_at: now,
        })
        .returning('*');
      return toRun(row);
    } catch (error) {
      if (isUniqueViolation(error)) {
        return undefined;
      }
      throw error;
    }
  }

  async heartbeatRun(id: number, now: Date): Promise<void> {
    await this.db<RunRow>(RUNS)
      .where({ id, status: 'running' })
      .update({ heartbeat_at: now.getTime() });
  }

  async finishRun(
    id: number,
    outcome: RunCounters &
      ({ status: 'succeeded' } | { status: 'failed'; error: string }),
    now: Date,
  ): Promise<CostIngestionRun> {
    await this.db<RunRow>(RUNS)
      .where({ id, status: 'running' })
      .update({
        status: outcome.status,
        finished_at: now.getTime(),
        rows_read: outcome.rowsRead,
        rows_rejected: outcome.rowsRejected,
        unchanged_deliveries: outcome.unchangedDeliveries ?? 0,
        billing_periods: JSON.stringify(outcome.billingPeriods),
        unallocated_share: JSON.stringify(outcome.unallocatedShare),
        error: outcome.status === 'failed' ? outcome.error : null,
      });
    const row = await this.db<RunRow>(RUNS).where({ id }).first();
    if (!row) {
      throw new Error(`Cost ingestion run ${id} vanished`);
    }
    return toRun(row);
  }

  async lastRuns(
    sources: string[],
  ): Promise<Map<string, CostIngestionRun | null>> {
    const result = new Map<string, CostIngestionRun | null>(
      sources.map(source => [source, null]),
    );
    if (sources.length === 0) {
      return result;
    }
    const latestIds = this.db(RUNS)
      .whereIn('source', sources)
      .groupBy('source')
      .max('id');
    const rows = (await this.db<RunRow>(RUNS).whereIn(
      'id',
      latestIds,
    )) as RunRow[];
    for (const row of rows) {
      result.set(row.source, toRun(row));
    }
    return result;
  }

  private sumAsText(column: string) {
    return this.db.raw('CAST(SUM(??) AS TEXT) AS ??', [column, column]);
  }

  /**
   * OWNER_DAILY when it holds every dimension grouped by and filtered on
   * (many times fewer rows than DAILY), DAILY otherwise.
   */
  private tableFor(
    filter: Partial<CostFilter>,
    dimensions: CostDimension[],
  ): string {
    return filter.entityRef === undefined &&
      filter.environment === undefined &&
      (filter.keys === undefined ||
        OWNER_DAILY_DIMENSIONS.has(filter.keys.dimension)) &&
      dimensions.every(d => OWNER_DAILY_DIMENSIONS.has(d))
      ? OWNER_DAILY
      : DAILY;
  }

  private applyFilter<T extends Knex.QueryBuilder>(
    query: T,
    filter: Partial<CostFilter>,
    table: string,
  ): T {
    if (filter.from !== undefined) query.where('day', '>=', filter.from);
    if (filter.to !== undefined) query.where('day', '<', filter.to);
    if (filter.entityRef !== undefined) {
      query.where('entity_ref', filter.entityRef.toLocaleLowerCase('en-US'));
    }
    if (filter.ownerRef !== undefined) {
      query.where('owner_ref', filter.ownerRef.toLocaleLowerCase('en-US'));
    }
    if (filter.costCenter !== undefined) {
      query.where('cost_center', filter.costCenter);
    }
    if (filter.environment === null) {
      query.whereNull('environment');
    } else if (filter.environment !== undefined) {
      query.where('environment', filter.environment);
    }
    if (filter.currency !== undefined) {
      query.where('currency', filter.currency);
    }
    if (filter.keys !== undefined) {
      const column = COLUMN[filter.keys.dimension];
      const values = filter.keys.values.filter(
        (value): value is string => value !== null,
      );
      const orNull = filter.keys.values.includes(null);
      query.where(inner => {
        inner.whereIn(column, values);
        if (orNull) inner.orWhereNull(column);
      });
    }
    if (filter.unallocatedOnly && table === OWNER_DAILY) {
      query.where('unallocated', 1);
    } else if (filter.unallocatedOnly) {
      query.whereNull('entity_ref').whereNull('owner_ref');
    }
    return query;
  }
}

function toRun(row: RunRow): CostIngestionRun {
  return {
    id: Number(row.id),
    source: row.source,
    trigger: row.trigger as CostIngestionTrigger,
    ...(row.requested_by && { requestedBy: row.requested_by }),
    status: row.status as CostIngestionRun['status'],
    startedAt: new Date(Number(row.started_at)).toISOString(),
    ...(row.finished_at !== null && {
      finishedAt: new Date(Number(row.finished_at)).toISOString(),
    }),
    rowsRead: Number(row.rows_read),
    rowsRejected: Number(row.rows_rejected),
    ...(Number(row.unchanged_deliveries) > 0 && {
      unchangedDeliveries: Number(row.unchanged_deliveries),
    }),
    billingPeriods: JSON.parse(row.billing_periods),
    unallocatedShare: JSON.parse(row.unallocated_share),
    ...(row.error && { error: row.error }),
  };
}
