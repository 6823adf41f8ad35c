import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  ACTIVE_DEPLOYMENT_STATUSES,
  Deployment,
  DeploymentLogLine,
  DeploymentStatus,
} from '@ownops/backstage-plugin-common';
import { Knex } from 'knex';
import { isUniqueViolation } from './databaseErrors';
import {
  DeploymentStore,
  EnvironmentHeads,
  FinishedCounts,
  InsertOutcome,
  ListQuery,
  NewDeployment,
  NewLogLine,
} from './DeploymentStore';
import { MAX_REFS_PER_QUERY } from './queryLimits';

const DEPLOYMENTS = 'ownops_deployments';
const LOGS = 'ownops_deployment_logs';

/** The statuses `listFinishedSince` and `countFinishedSince` count. */
const FINISHED_STATUSES: readonly DeploymentStatus[] = ['succeeded', 'failed'];

const migrationsDir = resolvePackagePath(
  '@ownops/backstage-plugin-backend',
  'migrations',
);

type DeploymentRow = {
  id: number | string;
  entity_ref: string;
  environment: string;
  version: string;
  kind: Deployment['kind'];
  rollback_of: number | string | null;
  rollback_to: number | string | null;
  status: DeploymentStatus;
  target_id: string;
  external_handle: string | null;
  requested_by: string;
  approved_by: string | null;
  reason: string | null;
  failure_reason: string | null;
  idempotency_key: string | null;
  cancel_requested: boolean | number;
  runner_id: string | null;
  created_at: number | string;
  started_at: number | string | null;
  finished_at: number | string | null;
  heartbeat_at: number | string | null;
};

/** Knex-backed {@link DeploymentStore} for SQLite and PostgreSQL. */
export class DatabaseDeploymentStore implements DeploymentStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseDeploymentStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseDeploymentStore(client);
  }

  /** For tests: a store over an already migrated client. */
  static async createForTest(client: Knex): Promise<DatabaseDeploymentStore> {
    await client.migrate.latest({ directory: migrationsDir });
    return new DatabaseDeploymentStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async insert(input: NewDeployment, now: Date): Promise<InsertOutcome> {
    try {
      const [row] = await this.db<DeploymentRow>(DEPLOYMENTS)
        .insert({
          entity_ref: input.entityRef,
          environment: input.environment,
          version: input.version,
          kind: input.kind,
          rollback_of: input.rollbackOf ?? null,
          rollback_to: input.rollbackTo ?? null,
          status: input.status,
          target_id: input.targetId,
          requested_by: input.requestedBy,
          reason: input.reason ?? null,
          idempotency_key: input.idempotencyKey ?? null,
          cancel_requested: false,
          created_at: now.getTime(),
        })
        .returning('*');
      return { inserted: true, deployment: toDeployment(row) };
    } catch (error) {
      if (!isUniqueViolation(error)) {
        throw error;
      }
      if (input.idempotencyKey) {
        const replay = await this.findByIdempotencyKey(
          input.entityRef,
          input.idempotencyKey,
        );
        if (replay) {
          return { inserted: false, existing: replay, cause: 'idempotency' };
        }
      }
      const active = await this.findActive(input.entityRef, input.environment);
      if (active) {
        return { inserted: false, existing: active, cause: 'active' };
      }
      // The conflicting row finished between the insert and the lookup.
      return this.insert(input, now);
    }
  }

  async get(id: number) {
    const row = await this.db<DeploymentRow>(DEPLOYMENTS).where({ id }).first();
    return row && toDeployment(row);
  }

  async findByIdempotencyKey(entityRef: string, key: string) {
    const row = await this.db<DeploymentRow>(DEPLOYMENTS)
      .where({ entity_ref: entityRef, idempotency_key: key })
      .first();
    return row && toDeployment(row);
  }

  async findActive(entityRef: string, environment: string) {
    const row = await this.db<DeploymentRow>(DEPLOYMENTS)
      .where({ entity_ref: entityRef, environment })
      .whereIn('status', ACTIVE_DEPLOYMENT_STATUSES)
      .first();
    return row && toDeployment(row);
  }

  async findLatest(
    entityRef: string,
    environment: string,
    status?: DeploymentStatus,
  ) {
    const query = this.db<DeploymentRow>(DEPLOYMENTS)
      .where({ entity_ref: entityRef, environment })
      .orderBy('id', 'desc')
      .first();
    if (status) {
      query.andWhere({ status });
    }
    const row = await query;
    return row && toDeployment(row);
  }

  async findEnvironmentHeads(
    entityRef: string,
    environments: readonly string[],
  ) {
    const idOf = (environment: string) =>
      this.db(DEPLOYMENTS)
        .select('id')
        .where({ entity_ref: entityRef, environment })
        .limit(1);
    const ids = environments.flatMap(environment => [
      idOf(environment).orderBy('id', 'desc'),
      idOf(environment).andWhere({ status: 'succeeded' }).orderBy('id', 'desc'),
      // As findActive: no order, so the status index serves it.
      idOf(environment).whereIn('status', ACTIVE_DEPLOYMENT_STATUSES),
    ]);
    const heads = new Map<string, EnvironmentHeads>();
    if (ids.length === 0) return heads;
    const rows = await this.db<DeploymentRow>(DEPLOYMENTS)
      .where(query => {
        for (const id of ids) query.orWhere('id', id);
      })
      .orderBy('id', 'asc');
    // Ascending: the newest row of each kind is the last one assigned.
    for (const row of rows) {
      const deployment = toDeployment(row);
      const head = heads.get(deployment.environment) ?? {};
      head.latest = deployment;
      if (deployment.status === 'succeeded') head.current = deployment;
      if (ACTIVE_DEPLOYMENT_STATUSES.includes(deployment.status)) {
        head.active = deployment;
      }
      heads.set(deployment.environment, head);
    }
    return heads;
  }

  async listRestorable(
    entityRef: string,
    environment: string,
    exceptVersion: string | undefined,
    limit: number,
  ) {
    const newestPerVersion = this.db(DEPLOYMENTS)
      .max('id')
      .where({ entity_ref: entityRef, environment, status: 'succeeded' })
      .groupBy('version');
    const query = this.db<DeploymentRow>(DEPLOYMENTS)
      .whereIn('id', newestPerVersion)
      .orderBy('id', 'desc')
      .limit(limit);
    if (exceptVersion !== undefined) {
      query.whereNot({ version: exceptVersion });
    }
    return (await query).map(toDeployment);
  }

  async list(entityRef: string, query: ListQuery) {
    const builder = this.db<DeploymentRow>(DEPLOYMENTS)
      .where({ entity_ref: entityRef })
      .orderBy('id', 'desc')
      .limit(query.limit);
    if (query.environment) {
      builder.andWhere({ environment: query.environment });
    }
    if (query.status) {
      builder.andWhere({ status: query.status });
    }
    if (query.beforeId !== undefined) {
      builder.andWhere('id', '<', query.beforeId);
    }
    return (await builder).map(toDeployment);
  }

  async listFinishedSince(entityRef: string, since: Date) {
    const rows = await this.db<DeploymentRow>(DEPLOYMENTS)
      .where({ entity_ref: entityRef })
      .whereIn('status', FINISHED_STATUSES)
      .andWhere('finished_at', '>=', since.getTime())
      .orderBy('finished_at', 'asc');
    return rows.map(toDeployment);
  }

  async countFinishedSince(
    entityRefs: readonly string[],
    since: Date,
    until: Date,
  ) {
    const counts = new Map<string, FinishedCounts>();
    const refs = [...new Set(entityRefs)];
    for (let i = 0; i < refs.length; i += MAX_REFS_PER_QUERY) {
      // Grouped by status without a status condition: with `status IN
      // (...)` SQLite reads ownops_deployments_status_heartbeat_idx, i.e.
      // every finished deployment of every entity. Without it both SQLite
      // and PostgreSQL read only the listed entities' rows, through an
      // index led by entity_ref (ownops_deployments_entity_id_idx on
      // SQLite). Cancelled ones (the only other status with finished_at)
      // are dropped below.
      const rows = (await this.db(DEPLOYMENTS)
        .select('entity_ref', 'status')
        .count({ count: '*' })
        .whereIn('entity_ref', refs.slice(i, i + MAX_REFS_PER_QUERY))
        .andWhere('finished_at', '>=', since.getTime())
        .andWhere('finished_at', '<=', until.getTime())
        .groupBy('entity_ref', 'status')) as Array<{
        entity_ref: string;
        status: DeploymentStatus;
        count: number | string;
      }>;
      for (const row of rows) {
        if (!FINISHED_STATUSES.includes(row.status)) continue;
        const count = Number(row.count);
        const entry = counts.get(row.entity_ref) ?? {
          deployments: 0,
          failed: 0,
        };
        entry.deployments += count;
        if (row.status === 'failed') entry.failed += count;
        counts.set(row.entity_ref, entry);
      }
    }
    return counts;
  }

  async approve(id: number, approver: string) {
    const count = await this.db(DEPLOYMENTS)
      .where({ id, status: 'awaiting_approval' })
      .update({ status: 'queued', approved_by: approver });
    return count === 1;
  }

  async claim(id: number, runnerId: string, now: Date) {
    const count = await this.db(DEPLOYMENTS)
      .where({ id, status: 'queued' })
      .update({
        status: 'running',
        runner_id: runnerId,
        started_at: now.getTime(),
        heartbeat_at: now.getTime(),
      });
    return count === 1;
  }

  async heartbeat(id: number, runnerId: string, now: Date) {
    const count = await this.db(DEPLOYMENTS)
      .where({ id, status: 'running', runner_id: runnerId })
      .update({ heartbeat_at: now.getTime() });
    if (count !== 1) {
      return undefined;
    }
    const row = await this.db<DeploymentRow>(DEPLOYMENTS)
      .select('cancel_requested')
      .where({ id })
      .first();
    return { cancelRequested: Boolean(row?.cancel_requested) };
  }

  async setExternalHandle(id: number, runnerId: string, handle: string) {
    await this.db(DEPLOYMENTS)
      .where({ id, runner_id: runnerId })
      .update({ external_handle: handle });
  }

  async finish(
    id: number,
    from: readonly DeploymentStatus[],
    outcome: { status: DeploymentStatus; failureReason?: string },
    now: Date,
  ) {
    const count = await this.db(DEPLOYMENTS)
      .where({ id })
      .whereIn('status', from)
      .update({
        status: outcome.status,
        failure_reason: outcome.failureReason ?? null,
        finished_at: now.getTime(),
      });
    return count === 1;
  }

  async requestCancel(id: number) {
    const count = await this.db(DEPLOYMENTS)
      .where({ id, status: 'running' })
      .update({ cancel_requested: true });
    return count === 1;
  }

  async listStale(before: Date) {
    const rows = await this.db<DeploymentRow>(DEPLOYMENTS)
      .where({ status: 'running' })
      .andWhere('heartbeat_at', '<', before.getTime());
    return rows.map(row => ({
      deployment: toDeployment(row),
      runnerId: row.runner_id ?? undefined,
    }));
  }

  async listUnclaimed(before: Date) {
    const rows = await this.db<DeploymentRow>(DEPLOYMENTS)
      .where({ status: 'queued' })
      .andWhere('created_at', '<', before.getTime());
    return rows.map(toDeployment);
  }

  async adopt(
    id: number,
    staleRunnerId: string | undefined,
    runnerId: string,
    now: Date,
  ) {
    const count = await this.db(DEPLOYMENTS)
      .where({ id, status: 'running', runner_id: staleRunnerId ?? null })
      .update({ runner_id: runnerId, heartbeat_at: now.getTime() });
    return count === 1;
  }

  async appendLogs(
    deploymentId: number,
    firstSeq: number,
    lines: NewLogLine[],
  ) {
    if (lines.length === 0) {
      return;
    }
    await this.db(LOGS).insert(
      lines.map((line, index) => ({
        deployment_id: deploymentId,
        seq: firstSeq + index,
        logged_at: line.timestamp.getTime(),
        stream: line.stream,
        message: line.message,
      })),
    );
  }

  async getLogs(
    deploymentId: number,
    afterSeq: number,
    limit: number,
  ): Promise<DeploymentLogLine[]> {
    const rows = await this.db(LOGS)
      .where({ deployment_id: deploymentId })
      .andWhere('seq', '>', afterSeq)
      .orderBy('seq', 'asc')
      .limit(limit);
    return rows.map(row => ({
      seq: Number(row.seq),
      timestamp: new Date(Number(row.logged_at)).toISOString(),
      stream: row.stream,
      message: row.message,
    }));
  }

  async countLogs(deploymentId: number) {
    const [{ count }] = await this.db(LOGS)
      .where({ deployment_id: deploymentId })
      .count({ count: '*' });
    return Number(count);
  }
}

function toIso(value: number | string | null): string | undefined {
  return value === null ? undefined : new Date(Number(value)).toISOString();
}

function toDeployment(row: DeploymentRow): Deployment {
  const startedAt =
    row.started_at === null ? undefined : Number(row.started_at);
  const finishedAt =
    row.finished_at === null ? undefined : Number(row.finished_at);
  return {
    id: Number(row.id),
    entityRef: row.entity_ref,
    environment: row.environment,
    version: row.version,
    kind: row.kind,
    ...(row.rollback_of !== null && { rollbackOf: Number(row.rollback_of) }),
    ...(row.rollback_to !== null && { rollbackTo: Number(row.rollback_to) }),
    status: row.status,
    targetId: row.target_id,
    ...(row.external_handle && { externalHandle: row.external_handle }),
    requestedBy: row.requested_by,
    ...(row.approved_by && { approvedBy: row.approved_by }),
    ...(row.reason && { reason: row.reason }),
    ...(row.failure_reason && { failureReason: row.failure_reason }),
    cancelRequested: Boolean(row.cancel_requested),
    createdAt: toIso(row.created_at)!,
    ...(startedAt !== undefined && { startedAt: toIso(startedAt) }),
    ...(finishedAt !== undefined && { finishedAt: toIso(finishedAt) }),
    ...(startedAt !== undefined &&
      finishedAt !== undefined && { durationMs: finishedAt - startedAt }),
  };
}
