import { DeployRequest } from '@ownops/backstage-plugin-node';
import {
  ArgoCdHandle,
  decodeHandle,
  isHandleRevision,
  sameRevision,
  startedAfter,
} from './handle';
import { ArgoCdHistoryEntry } from './types';

/**
 * The history entry a rollback restores: the one the restored Ownops
 * deployment produced (the first matching entry after the operation its
 * handle recorded), else the newest entry of the requested version.
 */
export function findRestoreEntry(
  history: ArgoCdHistoryEntry[],
  request: Pick<DeployRequest, 'version' | 'restoreHandle'>,
  instanceId: string,
): ArgoCdHistoryEntry | undefined {
  const handle = decodeHandle(request.restoreHandle);
  if (handle && handle.instance === instanceId) {
    const entry = firstEntryAfter(history, handle);
    if (entry) {
      return entry;
    }
  }
  return newestFirst(history).find(
    entry => !!entry.revision && sameRevision(entry.revision, request.version),
  );
}

function firstEntryAfter(
  history: ArgoCdHistoryEntry[],
  handle: ArgoCdHandle,
): ArgoCdHistoryEntry | undefined {
  return newestFirst(history)
    .reverse()
    .find(
      entry =>
        isHandleRevision(handle, entry.revision) &&
        startedAfter(handle, entry.deployStartedAt, entry.deployedAt),
    );
}

/** History entries newest first (Argo CD appends, so ids grow). */
export function newestFirst(
  history: ArgoCdHistoryEntry[],
): ArgoCdHistoryEntry[] {
  return [...history].sort((a, b) => Number(b.id) - Number(a.id));
}
