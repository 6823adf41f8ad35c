/**
 * Every deployment status, in lifecycle order.
 *
 * @public
 */
export const DEPLOYMENT_STATUSES = [
  'awaiting_approval',
  'queued',
  'running',
  'succeeded',
  'failed',
  'cancelled',
] as const;

/** @public */
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

/**
 * Statuses that hold an environment: at most one deployment per entity and
 * environment may be in one of them.
 *
 * @public
 */
export const ACTIVE_DEPLOYMENT_STATUSES: readonly DeploymentStatus[] = [
  'awaiting_approval',
  'queued',
  'running',
];

/** @public */
export const FINISHED_DEPLOYMENT_STATUSES: readonly DeploymentStatus[] = [
  'succeeded',
  'failed',
  'cancelled',
];

/** @public */
export type DeploymentKind = 'deploy' | 'rollback';

/** @public */
export interface Deployment {
  id: number;
  entityRef: string;
  environment: string;
  version: string;
  kind: DeploymentKind;
  /** For rollbacks: the deployment that was current and is being undone. */
  rollbackOf?: number;
  /** For rollbacks: the earlier deployment whose version is restored. */
  rollbackTo?: number;
  status: DeploymentStatus;
  targetId: string;
  externalHandle?: string;
  requestedBy: string;
  approvedBy?: string;
  reason?: string;
  failureReason?: string;
  cancelRequested: boolean;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** Milliseconds from start to finish, when finished. */
  durationMs?: number;
}

/** @public */
export interface DeploymentLogLine {
  seq: number;
  timestamp: string;
  stream: 'stdout' | 'stderr' | 'system';
  message: string;
}

/** @public */
export interface DeploymentLogs {
  lines: DeploymentLogLine[];
  /** True once the deployment has finished and no more lines will come. */
  finished: boolean;
}

/** @public */
export interface EnvironmentState {
  name: string;
  targetId: string;
  /** The target's type (`command`, `github`, …); absent when the target is unknown. */
  targetType?: string;
  /** Why this environment cannot be deployed to, when it cannot. */
  problem?: string;
  protected: boolean;
  healthCheckUrl?: string;
  /** The last successful deployment: what runs now. */
  current?: Deployment;
  /** The newest deployment of any status. */
  latest?: Deployment;
  /** The deployment holding the environment (awaiting approval, queued or running). */
  active?: Deployment;
  /** Earlier successful deployments with a version other than the current one, newest first. */
  rollbackCandidates: Deployment[];
}

/** @public */
export interface EntityEnvironments {
  entityRef: string;
  environments: EnvironmentState[];
}

/** @public */
export interface AvailableVersion {
  version: string;
  description?: string;
}

/** @public */
export interface VersionList {
  /** Whether the target lists versions; when false, the version is typed in. */
  listed: boolean;
  versions: AvailableVersion[];
}

/**
 * A deployment as the deploy target's own system records it (GitHub
 * deployments, Argo CD history, Kubernetes ReplicaSet revisions), including
 * those made outside Ownops.
 *
 * @public
 */
export interface ExternalDeployment {
  /** The provider's own id: a GitHub deployment id, an Argo CD history id, a revision. */
  id: string;
  version: string;
  status: 'succeeded' | 'failed' | 'running' | 'inactive' | 'unknown';
  startedAt?: string;
  finishedAt?: string;
  /** Who or what started it, as the provider reports it. */
  initiatedBy?: string;
  /** A link to it in the provider's own UI. */
  url?: string;
  description?: string;
}

/** @public */
export interface ExternalDeploymentList {
  /** Whether the target keeps a history of its own; when false, `deployments` is empty. */
  available: boolean;
  targetId: string;
  targetType?: string;
  deployments: ExternalDeployment[];
}

/** @public */
export interface CreateDeploymentRequest {
  environment: string;
  version: string;
  reason?: string;
}

/** @public */
export interface RollbackRequest {
  reason?: string;
}

/** @public */
export interface DeploymentPage {
  items: Deployment[];
  /** Pass as `cursor` to read the next (older) page. */
  nextCursor?: string;
}

/** @public */
export interface ListDeploymentsQuery {
  environment?: string;
  status?: DeploymentStatus;
  limit?: number;
  cursor?: string;
}

/**
 * DORA figures of one environment over a window of days.
 *
 * @public
 */
export interface EnvironmentDeploymentStats {
  environment: string;
  windowDays: number;
  /** Finished deployments (succeeded or failed) in the window. */
  deployments: number;
  succeeded: number;
  failed: number;
  /** Successful deployments per day. */
  deploymentFrequencyPerDay: number;
  /** Failed ÷ finished, or null without finished deployments. */
  changeFailureRate: number | null;
  /** Mean time from a failed deployment to the next successful one, or null. */
  meanTimeToRestoreMs: number | null;
}

/** @public */
export interface DeploymentStats {
  entityRef: string;
  windowDays: number;
  environments: EnvironmentDeploymentStats[];
}
