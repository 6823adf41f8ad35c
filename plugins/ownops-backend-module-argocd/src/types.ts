import { optional, ResponseShape } from '@ownops/backstage-plugin-node';

/**
 * The parts of an Argo CD Application (`v1alpha1Application` in Argo CD's
 * swagger) that the deploy target reads. Argo CD omits empty fields.
 */
export interface ArgoCdApplication {
  metadata: { name: string; namespace?: string };
  spec?: {
    project?: string;
    source?: { repoURL?: string; targetRevision?: string };
    sources?: Array<{ repoURL?: string; targetRevision?: string }>;
    syncPolicy?: {
      /** Argo CD 3.1+ may keep the block with `enabled: false`. */
      automated?: { enabled?: boolean; prune?: boolean; selfHeal?: boolean };
    };
    revisionHistoryLimit?: number;
  };
  /** A requested operation; Argo CD clears it once the operation finishes. */
  operation?: ArgoCdOperation;
  status?: {
    sync?: { status?: string; revision?: string };
    health?: { status?: string; message?: string };
    resources?: ArgoCdResourceStatus[];
    operationState?: ArgoCdOperationState;
    history?: ArgoCdHistoryEntry[];
  };
}

const OPERATION_SHAPE = optional({
  sync: optional({ revision: 'string?', revisions: optional(['string']) }),
});
const HEALTH_SHAPE = optional({ status: 'string?', message: 'string?' });

/**
 * The fields of an application the target reads, with their types, checked
 * on every answer before use ({@link ArgoCdApplication} without the
 * optional extras).
 */
export const APPLICATION_SHAPE = {
  metadata: { name: 'string', namespace: 'string?' },
  spec: optional({
    project: 'string?',
    source: optional({ targetRevision: 'string?' }),
    sources: optional([{ targetRevision: 'string?' }]),
  }),
  operation: OPERATION_SHAPE,
  status: optional({
    sync: optional({ status: 'string?', revision: 'string?' }),
    health: HEALTH_SHAPE,
    resources: optional([
      {
        kind: 'string?',
        name: 'string?',
        status: 'string?',
        health: HEALTH_SHAPE,
      },
    ]),
    operationState: optional({
      operation: OPERATION_SHAPE,
      phase: 'string?',
      message: 'string?',
      startedAt: 'string?',
      finishedAt: 'string?',
    }),
    history: optional([{ revision: 'string?', deployedAt: 'string?' }]),
  }),
} satisfies ResponseShape;

export interface ArgoCdOperation {
  sync?: { revision?: string; revisions?: string[] };
  initiatedBy?: { username?: string; automated?: boolean };
}

export interface ArgoCdOperationState {
  operation?: ArgoCdOperation;
  /** Running, Terminating, Failed, Error or Succeeded. */
  phase?: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  syncResult?: {
    revision?: string;
    resources?: Array<{ kind?: string; name?: string; status?: string }>;
  };
}

export interface ArgoCdHistoryEntry {
  /** int64: a number, or a string in some serializations. */
  id: number | string;
  revision?: string;
  revisions?: string[];
  deployStartedAt?: string;
  deployedAt?: string;
  source?: { repoURL?: string; targetRevision?: string };
  initiatedBy?: { username?: string; automated?: boolean };
}

export interface ArgoCdResourceStatus {
  kind?: string;
  namespace?: string;
  name?: string;
  status?: string;
  health?: { status?: string; message?: string };
}

/** Whether Argo CD's auto-sync is on (Argo CD 3.1+ can switch it off with `enabled: false`). */
export function isAutoSyncEnabled(app: ArgoCdApplication): boolean {
  const automated = app.spec?.syncPolicy?.automated;
  return !!automated && automated.enabled !== false;
}

/** The revision the application tracks (`spec.source.targetRevision`, else the first source's). */
export function targetRevisionOf(app: ArgoCdApplication): string | undefined {
  return (
    app.spec?.source?.targetRevision ?? app.spec?.sources?.[0]?.targetRevision
  );
}

const FINISHED_PHASES = new Set(['Succeeded', 'Failed', 'Error']);

/** Whether an operation is under way (requested, running or terminating). */
export function isOperationInProgress(app: ArgoCdApplication): boolean {
  const phase = app.status?.operationState?.phase;
  return !!app.operation || (!!phase && !FINISHED_PHASES.has(phase));
}
