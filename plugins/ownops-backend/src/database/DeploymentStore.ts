import {
  Deployment,
  DeploymentKind,
  DeploymentLogLine,
  DeploymentStatus,
} from '@ownops/backstage-plugin-common';

/** A deployment about to be recorded. */
export interface NewDeployment {
  entityRef: string;
  environment: string;
  version: string;
  kind: DeploymentKind;
  rollbackOf?: number;
  rollbackTo?: number;
  status: 'awaiting_approval' | 'queued';
  targetId: string;
  requestedBy: string;
  reason?: string;
  idempotencyKey?: string;
}

/** Returned by `insert` when the database refused the row. */
export type InsertOutcome =
  | { inserted: true; deployment: Deployment }
  | { inserted: false; existing: Deployment; cause: 'idempotency' | 'active' };

export interface ListQuery {
  environment?: string;
  status?: DeploymentStatus;
  limit: number;
  /** Only deployments with a smaller id (older). */
  beforeId?: number;
}

export interface NewLogLine {
  stream: DeploymentLogLine['stream'];
  message: string;
  timestamp: Date;
}

/** An environment's newest deployment, newest successful one and active one. */
export interface EnvironmentHeads {
  latest?: Deployment;
  current?: Deployment;
  active?: Deployment;
}

/** Finished deployments of one entity: all of them, and the failed ones. */
export interface FinishedCounts {
  /** Succeeded plus failed. */
  deployments: number;
  failed: number;
}

/**
 * Persistence of deployments and their logs. Every state change is a
 * conditional update, so concurrent replicas cannot both win.
 */
export interface DeploymentStore {
  insert(deployment: NewDeployment, now: Date): Promise<InsertOutcome>;
  get(id: number): Promise<Deployment | undefined>;
  findByIdempotencyKey(
    entityRef: string,
    key: string,
  ): Promise<Deployment | undefined>;
  findActive(
    entityRef: string,
    environment: string,
  ): Promise<Deployment | undefined>;
  findLatest(
    entityRef: string,
    environment: string,
    status?: DeploymentStatus,
  ): Promise<Deployment | undefined>;
  /**
   * For each environment, what {@link DeploymentStore.findLatest} (with and
   * without status `succeeded`) and {@link DeploymentStore.findActive} return,
   * in one query. Environments without deployments are absent.
   */
  findEnvironmentHeads(
    entityRef: string,
    environments: readonly string[],
  ): Promise<Map<string, EnvironmentHeads>>;
  /** Successful deployments of versions other than `exceptVersion`, newest first, one per version. */
  listRestorable(
    entityRef: string,
    environment: string,
    exceptVersion: string | undefined,
    limit: number,
  ): Promise<Deployment[]>;
  list(entityRef: string, query: ListQuery): Promise<Deployment[]>;
  /** Succeeded and failed deployments finished at or after `since`, oldest first. */
  listFinishedSince(entityRef: string, since: Date): Promise<Deployment[]>;
  /**
   * How many succeeded and failed deployments of each of `entityRefs`
   * finished at or after `since` and at or before `until`, counted in the
   * database (one grouped query per `MAX_REFS_PER_QUERY` refs; none for
   * an empty list). Refs are matched exactly, as by
   * {@link DeploymentStore.listFinishedSince}; a ref without such
   * deployments is absent.
   */
  countFinishedSince(
    entityRefs: readonly string[],
    since: Date,
    until: Date,
  ): Promise<Map<string, FinishedCounts>>;

  /** awaiting_approval → queued; false when it was not awaiting approval. */
  approve(id: number, approver: string): Promise<boolean>;
  /** queued → running for `runnerId`; false when another runner took it. */
  claim(id: number, runnerId: string, now: Date): Promise<boolean>;
  /**
   * Refreshes the heartbeat of a running deployment owned by `runnerId`.
   * Returns whether cancellation was requested, or undefined when the runner
   * no longer owns it.
   */
  heartbeat(
    id: number,
    runnerId: string,
    now: Date,
  ): Promise<{ cancelRequested: boolean } | undefined>;
  setExternalHandle(
    id: number,
    runnerId: string,
    handle: string,
  ): Promise<void>;
  /** Moves a deployment from one of `from` to a finished status. */
  finish(
    id: number,
    from: readonly DeploymentStatus[],
    outcome: { status: DeploymentStatus; failureReason?: string },
    now: Date,
  ): Promise<boolean>;
  requestCancel(id: number): Promise<boolean>;
  /** Running deployments whose heartbeat is older than `before`. */
  listStale(
    before: Date,
  ): Promise<Array<{ deployment: Deployment; runnerId?: string }>>;
  /** Queued deployments created before `before` that no runner claimed. */
  listUnclaimed(before: Date): Promise<Deployment[]>;
  /** Takes over a stale running deployment; false when someone else did. */
  adopt(
    id: number,
    staleRunnerId: string | undefined,
    runnerId: string,
    now: Date,
  ): Promise<boolean>;

  appendLogs(
    deploymentId: number,
    firstSeq: number,
    lines: NewLogLine[],
  ): Promise<void>;
  getLogs(
    deploymentId: number,
    afterSeq: number,
    limit: number,
  ): Promise<DeploymentLogLine[]>;
  countLogs(deploymentId: number): Promise<number>;
}
