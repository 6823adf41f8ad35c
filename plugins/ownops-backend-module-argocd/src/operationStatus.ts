import { DeployStatus } from '@ownops/backstage-plugin-node';
import { ArgoCdHandle, isHandleRevision, startedAfter } from './handle';
import { ArgoCdApplication, ArgoCdOperationState } from './types';

/** How long an operation may stay requested before Argo CD is said to have dropped it. */
export const START_GRACE_MS = 120_000;

/**
 * Where the operation of a handle stands in the application Argo CD
 * reports: still to start, running, failed, or synced and then (when asked)
 * waiting for the application to be Healthy.
 */
export function operationStatus(
  app: ArgoCdApplication,
  handle: ArgoCdHandle,
  options: { waitForHealthy: boolean; now?: number },
): DeployStatus {
  const name = app.metadata?.name ?? handle.app.name;
  const state = app.status?.operationState;
  const ours = state && isOurOperation(state, handle) ? state : undefined;
  if (!ours) {
    if (hasOurHistoryEntry(app, handle)) {
      // Finished, and a later operation already replaced its state.
      return healthStatus(app, name, options.waitForHealthy);
    }
    return notStarted(app, handle, state, name, options.now ?? Date.now());
  }
  const phase = ours.phase ?? 'Running';
  if (phase === 'Failed' || phase === 'Error') {
    return {
      state: 'failed',
      reason: `Argo CD sync of ${name} to ${handle.revision} ${
        phase === 'Error' ? 'ended in an error' : 'failed'
      }: ${ours.message || 'no message from Argo CD'}`,
    };
  }
  if (phase === 'Succeeded') {
    return healthStatus(app, name, options.waitForHealthy);
  }
  return { state: 'running', message: progressMessage(app, ours, phase) };
}

function isOurOperation(state: ArgoCdOperationState, handle: ArgoCdHandle) {
  const sync = state.operation?.sync;
  const revisions = [
    sync?.revision,
    ...(sync?.revisions ?? []),
    state.syncResult?.revision,
  ];
  return (
    revisions.some(revision => isHandleRevision(handle, revision)) &&
    startedAfter(handle, state.startedAt, state.finishedAt)
  );
}

function hasOurHistoryEntry(app: ArgoCdApplication, handle: ArgoCdHandle) {
  return (app.status?.history ?? []).some(
    entry =>
      isHandleRevision(handle, entry.revision) &&
      startedAfter(handle, entry.deployStartedAt, entry.deployedAt),
  );
}

function notStarted(
  app: ArgoCdApplication,
  handle: ArgoCdHandle,
  state: ArgoCdOperationState | undefined,
  name: string,
  now: number,
): DeployStatus {
  if (state && startedAfter(handle, state.startedAt, state.finishedAt)) {
    const other = state.operation?.sync?.revision ?? 'another revision';
    const by = state.operation?.initiatedBy?.automated
      ? 'auto-sync'
      : state.operation?.initiatedBy?.username ?? 'someone else';
    return {
      state: 'failed',
      reason: `Argo CD ran another operation on ${name} instead (revision ${other}, started by ${by} at ${state.startedAt}); deploy ${handle.revision} again once it is done`,
    };
  }
  const waited = now - Date.parse(handle.requestedAt);
  if (!app.operation && waited > START_GRACE_MS) {
    return {
      state: 'failed',
      reason: `Argo CD never started the sync of ${name} to ${handle.revision} requested at ${handle.requestedAt}; check the application in Argo CD and deploy again`,
    };
  }
  return {
    state: 'running',
    message: `Waiting for Argo CD to start the sync of ${name} to ${handle.revision}`,
  };
}

function progressMessage(
  app: ArgoCdApplication,
  state: ArgoCdOperationState,
  phase: string,
): string {
  const done = (state.syncResult?.resources ?? []).filter(
    resource => resource.status === 'Synced' || resource.status === 'Pruned',
  ).length;
  const total = app.status?.resources?.length ?? 0;
  const label = phase === 'Running' ? 'Syncing' : phase;
  const counted =
    total > 0 ? `${label}: ${done}/${total} resources synced` : label;
  return state.message ? `${counted} (${state.message})` : counted;
}

function healthStatus(
  app: ArgoCdApplication,
  name: string,
  waitForHealthy: boolean,
): DeployStatus {
  if (!waitForHealthy) {
    return { state: 'succeeded' };
  }
  const health = app.status?.health?.status ?? 'Unknown';
  if (health === 'Healthy') {
    return { state: 'succeeded' };
  }
  if (health === 'Degraded' || health === 'Missing') {
    return {
      state: 'failed',
      reason: `${name} is ${health} after the sync: ${unhealthyReason(app)}`,
    };
  }
  const detail = unhealthyResources(app, [health]);
  return {
    state: 'running',
    message: `Synced; waiting for ${name} to become Healthy (now ${health}${
      detail ? `: ${detail}` : ''
    })`,
  };
}

function unhealthyReason(app: ArgoCdApplication): string {
  return (
    unhealthyResources(app, ['Degraded', 'Missing']) ||
    app.status?.health?.message ||
    'Argo CD gives no detail; open the application in Argo CD'
  );
}

function unhealthyResources(app: ArgoCdApplication, statuses: string[]) {
  return (app.status?.resources ?? [])
    .filter(resource => statuses.includes(resource.health?.status ?? ''))
    .slice(0, 5)
    .map(
      resource =>
        `${resource.kind} ${resource.name} ${resource.health!.status}${
          resource.health!.message ? ` (${resource.health!.message})` : ''
        }`,
    )
    .join('; ');
}
