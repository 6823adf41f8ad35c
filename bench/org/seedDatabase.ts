/*
 * Seeds the Ownops plugin database (SQLite or PostgreSQL) with the large
 * organisation of ./entities.ts: finished deployments over two years and
 * daily cost rollups. The same rows on every database: everything is
 * derived from the seed and indexes, nothing from the clock.
 *
 * Rows go in with multi-row inserts in transactions: on SQLite through one
 * prepared statement of the knex connection, on PostgreSQL as column arrays
 * (`INSERT … SELECT * FROM unnest(…)`). The cost table's secondary indexes
 * are dropped while seeding and created again (same names and columns as
 * the migrations) afterwards.
 */
import { resolve } from 'node:path';
import { Knex } from 'knex';
import {
  BENCH_TARGET,
  BUSY_COMPONENT,
  componentName,
  componentOwnership,
  ENVIRONMENTS,
  OrgOptions,
  random,
  resolveOrgOptions,
} from './entities';

const MIGRATIONS = resolve(
  __dirname,
  '../../plugins/ownops-backend/migrations',
);

export const DEFAULT_NOW = new Date('2026-11-26T00:00:00.000Z');
export const COST_SOURCE = 'bench';
export const SERVICE_CATEGORIES = ['Compute', 'Storage', 'Databases'];

export interface SeedOptions extends Partial<OrgOptions> {
  /** Finished deployments (default 1,000,000). */
  deployments?: number;
  /** Days of cost rollups up to the day before `now` (default 365). */
  costDays?: number;
  /** Service categories per component, environment and day: 1–3 (default 3). */
  categories?: number;
  /** Default 2026-11-26T00:00Z. */
  now?: Date;
  /** Share of all deployments that go to BUSY_COMPONENT (default 0.025). */
  busyShare?: number;
  /** Progress lines (default console.log). */
  log?: (line: string) => void;
}

export interface SeedResult {
  deployments: number;
  costRows: number;
  busyDeployments: number;
  seconds: { deployments: number; cost: number; indexes: number };
}

interface Column {
  name: string;
  pgType: string;
}

const DEPLOYMENT_COLUMNS: Column[] = [
  { name: 'id', pgType: 'bigint' },
  { name: 'entity_ref', pgType: 'text' },
  { name: 'environment', pgType: 'text' },
  { name: 'version', pgType: 'text' },
  { name: 'kind', pgType: 'text' },
  { name: 'rollback_of', pgType: 'bigint' },
  { name: 'rollback_to', pgType: 'bigint' },
  { name: 'status', pgType: 'text' },
  { name: 'target_id', pgType: 'text' },
  { name: 'requested_by', pgType: 'text' },
  { name: 'failure_reason', pgType: 'text' },
  { name: 'cancel_requested', pgType: 'boolean' },
  { name: 'created_at', pgType: 'bigint' },
  { name: 'started_at', pgType: 'bigint' },
  { name: 'finished_at', pgType: 'bigint' },
  { name: 'heartbeat_at', pgType: 'bigint' },
];

const COST_COLUMNS: Column[] = [
  { name: 'day', pgType: 'text' },
  { name: 'source', pgType: 'text' },
  { name: 'billing_period', pgType: 'text' },
  { name: 'entity_ref', pgType: 'text' },
  { name: 'owner_ref', pgType: 'text' },
  { name: 'cost_center', pgType: 'text' },
  { name: 'environment', pgType: 'text' },
  { name: 'service_category', pgType: 'text' },
  { name: 'currency', pgType: 'text' },
  { name: 'billed_units', pgType: 'bigint' },
  { name: 'billed_nanos', pgType: 'bigint' },
  { name: 'effective_units', pgType: 'bigint' },
  { name: 'effective_nanos', pgType: 'bigint' },
];

/** The secondary indexes of ownops_cost_daily, as the migrations create them. */
const COST_INDEXES: Array<[string, string[]]> = [
  ['ownops_cost_daily_period_idx', ['source', 'billing_period']],
  ['ownops_cost_daily_day_idx', ['day']],
  ['ownops_cost_daily_entity_idx', ['entity_ref', 'day']],
  ['ownops_cost_daily_owner_idx', ['owner_ref', 'day']],
  ['ownops_cost_daily_cost_center_idx', ['cost_center', 'day']],
];

export function isSqlite(db: Knex): boolean {
  return String(db.client.config.client).includes('sqlite');
}

/** Runs the plugin's migrations, as DatabaseDeploymentStore.create does. */
export async function migrateOwnops(db: Knex): Promise<void> {
  await db.migrate.latest({ directory: MIGRATIONS });
}

/** Inserts rows (arrays in column order) in batches inside one transaction. */
async function bulkInsert(
  db: Knex,
  table: string,
  columns: Column[],
  rows: Iterable<unknown[]>,
  onProgress: (count: number) => void,
): Promise<number> {
  let count = 0;
  if (isSqlite(db)) {
    const perStatement = Math.floor(32766 / columns.length / 2);
    const rowsPerInsert = Math.min(200, perStatement);
    const placeholders = `(${columns.map(() => '?').join(',')})`;
    const sql = (n: number) =>
      `INSERT INTO ${table} (${columns
        .map(c => c.name)
        .join(',')}) VALUES ${Array(n).fill(placeholders).join(',')}`;
    const conn: any = await (db.client as any).acquireConnection();
    try {
      const many = conn.prepare(sql(rowsPerInsert));
      const one = conn.prepare(sql(1));
      let values: unknown[] = [];
      let pending = 0;
      conn.exec('BEGIN');
      for (const row of rows) {
        for (const value of row) {
          values.push(typeof value === 'boolean' ? Number(value) : value);
        }
        pending += 1;
        if (pending === rowsPerInsert) {
          many.run(values);
          values = [];
          pending = 0;
          count += rowsPerInsert;
          if (count % 500_000 < rowsPerInsert) {
            conn.exec('COMMIT');
            onProgress(count);
            conn.exec('BEGIN');
          }
        }
      }
      for (let i = 0; i < pending; i++) {
        one.run(values.slice(i * columns.length, (i + 1) * columns.length));
      }
      count += pending;
      conn.exec('COMMIT');
    } finally {
      await (db.client as any).releaseConnection(conn);
    }
  } else {
    const batch = 20_000;
    const sql = `INSERT INTO ${table} (${columns
      .map(c => c.name)
      .join(',')}) SELECT * FROM unnest(${columns
      .map(c => `?::${c.pgType}[]`)
      .join(',')})`;
    let arrays: unknown[][] = columns.map(() => []);
    const flush = async () => {
      if (arrays[0].length === 0) return;
      await db.raw(sql, arrays as any);
      count += arrays[0].length;
      arrays = columns.map(() => []);
      if (count % 500_000 < batch) onProgress(count);
    };
    for (const row of rows) {
      for (let c = 0; c < columns.length; c++) arrays[c].push(row[c]);
      if (arrays[0].length === batch) await flush();
    }
    await flush();
  }
  onProgress(count);
  return count;
}

/** Integer hash of a few integers, in [0, 2^32). */
function hash(a: number, b: number, c: number, d = 0): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (b + 0x632be5ab), 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 13) ^ (c * 0x27d4eb2f), 0x165667b1);
  h = Math.imul(h ^ (h >>> 16) ^ (d * 0x9e3779b1), 0x85ebca6b);
  return (h ^ (h >>> 15)) >>> 0;
}

const DAY_MS = 86_400_000;

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Finished deployments in id (= request time) order over the two years up
 * to `now`: BUSY_COMPONENT gets `busyShare` of them, the rest follow a
 * Zipf-like weight 1/i^0.7 over the other components.
 */
function* deploymentRows(
  o: Required<OrgOptions>,
  total: number,
  now: Date,
  busyShare: number,
  counts: Int32Array,
): Generator<unknown[]> {
  const rand = random(o.seed * 31 + 1);
  const cumulative = new Float64Array(o.components);
  let sum = 0;
  for (let i = 2; i <= o.components; i++) {
    sum += 1 / Math.pow(i, 0.7);
    cumulative[i - 1] = sum;
  }
  const pick = (): number => {
    if (rand() < busyShare || o.components === 1) return 1;
    const target = rand() * sum;
    let lo = 1;
    let hi = o.components - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
  const end = now.getTime() - 3_600_000;
  const start = end - 2 * 365 * DAY_MS;
  const step = (end - start) / total;
  // Per component and environment: deploys so far, last id, last succeeded id.
  const versions = new Map<number, number>();
  const lastId = new Map<number, number>();
  const lastSucceeded = new Map<number, number>();
  for (let id = 1; id <= total; id++) {
    const i = pick();
    counts[i - 1] += 1;
    const envIndex = rand() < 0.55 ? 0 : 1;
    const key = i * 2 + envIndex;
    const created = Math.floor(start + (id - 1) * step + rand() * step);
    const started = created + 1_000 + Math.floor(rand() * 29_000);
    const finished = started + 30_000 + Math.floor(rand() * 570_000);
    const roll = rand();
    const previous = lastId.get(key);
    const restorable = lastSucceeded.get(key);
    const rollback =
      roll < 0.02 && previous !== undefined && restorable !== undefined;
    const status =
      roll < 0.92 ? 'succeeded' : roll < 0.98 ? 'failed' : 'cancelled';
    let version: string;
    if (rollback) {
      version = `1.${versions.get(key) ?? 0}.0-restore`;
    } else {
      const n = (versions.get(key) ?? 0) + 1;
      versions.set(key, n);
      version = `1.${n}.0`;
    }
    lastId.set(key, id);
    if (status === 'succeeded') lastSucceeded.set(key, id);
    yield [
      id,
      `component:default/${componentName(i)}`,
      ENVIRONMENTS[envIndex],
      version,
      rollback ? 'rollback' : 'deploy',
      rollback ? previous : null,
      rollback ? restorable : null,
      status,
      BENCH_TARGET,
      `user:default/dev-${String(hash(i, 7, 0) % 500).padStart(3, '0')}`,
      status === 'failed' ? 'Health check failed after rollout' : null,
      status === 'cancelled',
      created,
      started,
      finished,
      finished,
    ];
  }
}

/**
 * Daily rollups, day by day: each component × environment × category, plus
 * one unallocated row per environment and category.
 */
function* costRows(
  o: Required<OrgOptions>,
  days: number,
  categories: string[],
  now: Date,
): Generator<unknown[]> {
  const lastDay = Date.UTC(
    now.getUTCFullYear(),
    now.getUTCMonth(),
    now.getUTCDate() - 1,
  );
  const owners = Array.from({ length: o.components }, (_, k) => {
    const { ownerRef, costCenter } = componentOwnership(k + 1, o);
    return {
      ref: `component:default/${componentName(k + 1)}`,
      ownerRef,
      costCenter,
      // Daily base in cents: 2 to 400 USD.
      base: 200 + (hash(k + 1, o.seed, 1) % 39_800),
    };
  });
  const envFactor = [0.3, 1];
  const categoryFactor = [0.6, 0.25, 0.4];
  for (let d = days - 1; d >= 0; d--) {
    const ms = lastDay - d * DAY_MS;
    const day = isoDay(ms);
    const period = day.slice(0, 7);
    const wave = 1 + 0.15 * Math.sin((ms / DAY_MS) * ((2 * Math.PI) / 7));
    for (let e = 0; e < ENVIRONMENTS.length; e++) {
      for (let c = 0; c < categories.length; c++) {
        const cents = 5_000 + (hash(d, e, c, 3) % 100_000);
        yield money(
          [day, COST_SOURCE, period, null, null, null],
          [ENVIRONMENTS[e], categories[c]],
          cents,
        );
      }
    }
    for (let k = 0; k < owners.length; k++) {
      const owner = owners[k];
      for (let e = 0; e < ENVIRONMENTS.length; e++) {
        for (let c = 0; c < categories.length; c++) {
          const noise = 0.9 + (hash(k, d, e, c) % 2000) / 10_000;
          const cents = Math.round(
            owner.base * envFactor[e] * categoryFactor[c] * wave * noise,
          );
          yield money(
            [
              day,
              COST_SOURCE,
              period,
              owner.ref,
              owner.ownerRef,
              owner.costCenter,
            ],
            [ENVIRONMENTS[e], categories[c]],
            cents,
          );
        }
      }
    }
  }
}

function money(head: unknown[], tail: unknown[], cents: number): unknown[] {
  const effective = Math.round(cents * 0.85);
  return [
    ...head,
    ...tail,
    'USD',
    Math.floor(cents / 100),
    (cents % 100) * 10_000_000,
    Math.floor(effective / 100),
    (effective % 100) * 10_000_000,
  ];
}

function rate(rows: number, since: bigint): string {
  const seconds = Number(process.hrtime.bigint() - since) / 1e9;
  return `${rows.toLocaleString('en-US')} rows in ${seconds.toFixed(
    1,
  )} s (${Math.round(rows / seconds).toLocaleString('en-US')} rows/s)`;
}

function secondsSince(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

/**
 * Migrates `db` and fills it. Expects an empty database (or at least no
 * deployments and no `bench` cost rows).
 */
export async function seedOwnopsDatabase(
  db: Knex,
  options: SeedOptions = {},
): Promise<SeedResult> {
  const o = resolveOrgOptions(options);
  const total = options.deployments ?? 1_000_000;
  const days = options.costDays ?? 365;
  const categories = SERVICE_CATEGORIES.slice(0, options.categories ?? 3);
  const now = options.now ?? DEFAULT_NOW;
  const log = options.log ?? ((line: string) => console.log(line));
  const sqlite = isSqlite(db);
  const name = sqlite ? 'sqlite' : 'postgres';

  await migrateOwnops(db);
  if (sqlite) {
    await db.raw('PRAGMA journal_mode = WAL');
    await db.raw('PRAGMA synchronous = OFF');
    await db.raw('PRAGMA cache_size = -262144');
  }

  const counts = new Int32Array(o.components);
  let since = process.hrtime.bigint();
  const deployments = await bulkInsert(
    db,
    'ownops_deployments',
    DEPLOYMENT_COLUMNS,
    deploymentRows(o, total, now, options.busyShare ?? 0.025, counts),
    n => log(`[${name}] deployments: ${rate(n, since)}`),
  );
  const deploymentSeconds = secondsSince(since);
  if (!sqlite && deployments > 0) {
    await db.raw(
      `SELECT setval(pg_get_serial_sequence('ownops_deployments', 'id'), ?)`,
      [deployments],
    );
  }

  since = process.hrtime.bigint();
  for (const [index] of COST_INDEXES) {
    await db.schema.alterTable('ownops_cost_daily', table =>
      table.dropIndex([], index),
    );
  }
  const costRowCount = await bulkInsert(
    db,
    'ownops_cost_daily',
    COST_COLUMNS,
    costRows(o, days, categories, now),
    n => log(`[${name}] cost rollups: ${rate(n, since)}`),
  );
  const costSeconds = secondsSince(since);

  since = process.hrtime.bigint();
  if (!sqlite) await db.raw(`SET maintenance_work_mem = '512MB'`);
  for (const [index, columns] of COST_INDEXES) {
    await db.schema.alterTable('ownops_cost_daily', table =>
      table.index(columns, index),
    );
  }
  const indexSeconds = secondsSince(since);
  log(`[${name}] cost indexes created in ${indexSeconds.toFixed(1)} s`);

  // The per-owner daily sums the store keeps next to the rollups (a later
  // migration), as DatabaseCostStore.replaceBillingPeriods refills them.
  if (await db.schema.hasTable('ownops_cost_daily_owner')) {
    since = process.hrtime.bigint();
    await db('ownops_cost_daily_owner').where({ source: COST_SOURCE }).delete();
    await db.raw(
      `INSERT INTO ownops_cost_daily_owner
        (day, source, billing_period, owner_ref, cost_center, unallocated,
         currency, billed_units, billed_nanos, effective_units, effective_nanos)
      SELECT day, source, billing_period, owner_ref, cost_center,
        CASE WHEN entity_ref IS NULL AND owner_ref IS NULL THEN 1 ELSE 0 END,
        currency, SUM(billed_units), SUM(billed_nanos), SUM(effective_units),
        SUM(effective_nanos)
      FROM ownops_cost_daily WHERE source = ?
      GROUP BY day, source, billing_period, owner_ref, cost_center,
        CASE WHEN entity_ref IS NULL AND owner_ref IS NULL THEN 1 ELSE 0 END,
        currency`,
      [COST_SOURCE],
    );
    log(
      `[${name}] per-owner daily sums in ${secondsSince(since).toFixed(1)} s`,
    );
  }

  const lastDay = isoDay(now.getTime() - DAY_MS);
  const firstDay = isoDay(now.getTime() - days * DAY_MS);
  const periods: string[] = [];
  for (
    let m = new Date(`${firstDay.slice(0, 7)}-01T00:00:00Z`);
    m.toISOString().slice(0, 7) <= lastDay.slice(0, 7);
    m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1))
  ) {
    periods.push(m.toISOString().slice(0, 7));
  }
  await db('ownops_cost_ingestion_runs').insert({
    source: COST_SOURCE,
    trigger: 'schedule',
    status: 'succeeded',
    started_at: now.getTime() - 600_000,
    heartbeat_at: now.getTime() - 300_000,
    finished_at: now.getTime() - 300_000,
    rows_read: costRowCount,
    rows_rejected: 0,
    billing_periods: JSON.stringify(periods),
    unallocated_share: JSON.stringify([{ currency: 'USD', percent: 0.1 }]),
  });

  if (sqlite) {
    await db.raw('PRAGMA wal_checkpoint(TRUNCATE)');
    await db.raw('PRAGMA journal_mode = DELETE');
    await db.raw('PRAGMA synchronous = FULL');
  } else {
    // What autovacuum would do soon after such a load.
    await db.raw('ANALYZE ownops_deployments');
    await db.raw('ANALYZE ownops_cost_daily');
  }
  const busyDeployments = counts[0];
  log(
    `[${name}] done: ${deployments} deployments (${BUSY_COMPONENT}: ${busyDeployments}), ${costRowCount} cost rows`,
  );
  return {
    deployments,
    costRows: costRowCount,
    busyDeployments,
    seconds: {
      deployments: deploymentSeconds,
      cost: costSeconds,
      indexes: indexSeconds,
    },
  };
}
