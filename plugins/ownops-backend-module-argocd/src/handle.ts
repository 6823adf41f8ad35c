import { ArgoCdAppRef } from './appRef';

/**
 * What Ownops stores to follow an Argo CD operation: enough for any backend
 * replica to find it again, and never a secret.
 */
export interface ArgoCdHandle {
  /** The Argo CD instance (deploy target) id. */
  instance: string;
  app: ArgoCdAppRef;
  /** The revision Ownops asked for (the deployed version). */
  revision: string;
  /** The revision Argo CD resolved it to (a commit SHA for Git sources). */
  resolvedRevision?: string;
  /** When Ownops requested the operation (ISO 8601, this backend's clock). */
  requestedAt: string;
  /**
   * The operation Argo CD reported before ours (its startedAt/finishedAt):
   * ours is the first one after it, whatever the clocks say.
   */
  after?: { startedAt: string; finishedAt?: string };
}

const PREFIX = 'argocd:';

export function encodeHandle(handle: ArgoCdHandle): string {
  return `${PREFIX}${JSON.stringify({ v: 1, ...handle })}`;
}

/** Reads a handle written by {@link encodeHandle}; undefined for anything else. */
export function decodeHandle(
  value: string | undefined,
): ArgoCdHandle | undefined {
  if (!value?.startsWith(PREFIX)) {
    return undefined;
  }
  try {
    const parsed = JSON.parse(value.slice(PREFIX.length));
    if (
      parsed?.v === 1 &&
      typeof parsed.instance === 'string' &&
      typeof parsed.app?.name === 'string' &&
      typeof parsed.revision === 'string' &&
      typeof parsed.requestedAt === 'string'
    ) {
      const { v: _version, ...handle } = parsed;
      return handle as ArgoCdHandle;
    }
  } catch {
    // Not ours.
  }
  return undefined;
}

/**
 * Whether an operation (or a history entry, by its deployStartedAt and
 * deployedAt) started after the operation recorded in the handle.
 */
export function startedAfter(
  handle: ArgoCdHandle,
  startedAt: string | undefined,
  finishedAt: string | undefined,
): boolean {
  if (!handle.after) {
    return true;
  }
  const started = Date.parse(startedAt ?? '');
  const before = Date.parse(handle.after.startedAt);
  if (Number.isNaN(started) || Number.isNaN(before)) {
    return false;
  }
  // Argo CD stamps whole seconds: the same second is a later operation when
  // it did not finish when the earlier one did.
  return (
    started > before ||
    (started === before && finishedAt !== handle.after.finishedAt)
  );
}

/** Whether a revision Argo CD reports is the one the handle asked for. */
export function isHandleRevision(
  handle: ArgoCdHandle,
  revision: string | undefined,
): boolean {
  return (
    !!revision &&
    (revision === handle.resolvedRevision ||
      sameRevision(revision, handle.revision))
  );
}

/** Equal, or a commit SHA and its abbreviation (at least 7 characters). */
export function sameRevision(reported: string, requested: string): boolean {
  if (reported === requested) {
    return true;
  }
  return (
    /^[0-9a-f]{7,40}$/i.test(requested) &&
    /^[0-9a-f]{40}$/i.test(reported) &&
    reported.toLowerCase().startsWith(requested.toLowerCase())
  );
}
