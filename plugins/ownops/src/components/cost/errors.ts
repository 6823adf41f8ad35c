import { ResponseError } from '@backstage/errors';

/** True for the backend's 403 (NotAllowedError). */
export function isForbidden(error: unknown): boolean {
  const e = error as Partial<ResponseError> | undefined;
  return e?.statusCode === 403 || e?.body?.error?.name === 'NotAllowedError';
}

/** True for the backend's 409 (ConflictError). */
export function isConflict(error: unknown): boolean {
  const e = error as Partial<ResponseError> | undefined;
  return e?.statusCode === 409 || e?.body?.error?.name === 'ConflictError';
}
