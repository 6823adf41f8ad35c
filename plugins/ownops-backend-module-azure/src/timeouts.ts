/** Azure Storage sent nothing for longer than the configured timeout. */
export class TimeoutError extends Error {
  name = 'TimeoutError';
}

/**
 * Runs a request with a signal that aborts when the caller's does or after
 * `timeoutMs`; throws the caller's abort reason, or a {@link TimeoutError}.
 * The Azure SDK's own `tryTimeoutInMs` only asks the service to give up, so
 * a silent connection would otherwise hang the ingestion run.
 */
export async function withTimeout<T>(
  timeoutMs: number,
  signal: AbortSignal | undefined,
  request: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    return await request(signal ? AbortSignal.any([signal, timeout]) : timeout);
  } catch (error) {
    signal?.throwIfAborted();
    if (timeout.aborted) {
      throw new TimeoutError(`no answer within ${timeoutMs} ms`);
    }
    throw error;
  }
}
