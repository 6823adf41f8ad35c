import { LoggerService } from '@backstage/backend-plugin-api';
import { ReplicaTroubles } from './ReplicaTroubles';

export interface RetryOptions {
  troubles?: ReplicaTroubles;
  logger: LoggerService;
  /** Attempts in all, the first included. Defaults to 8. */
  attempts?: number;
  /** Pause after the first failure, doubled after each; defaults to 250 ms. */
  firstDelayMs?: number;
  /** Longest pause; defaults to 5 s. */
  maxDelayMs?: number;
}

/**
 * Runs `work` until it succeeds, pausing with exponential backoff after each
 * failure (a dropped database connection is replaced by the pool on the
 * next attempt). Every failure is recorded as a trouble of this replica;
 * the last one is thrown when the attempts run out.
 */
export async function retryWithBackoff<T>(
  operation: string,
  work: () => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const attempts = options.attempts ?? 8;
  const firstDelayMs = options.firstDelayMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    const delay = Math.min(
      firstDelayMs * 2 ** (attempt - 1),
      options.maxDelayMs ?? 5000,
    );
    try {
      return await work();
    } catch (error) {
      options.troubles?.record(operation, error);
      if (attempt >= attempts) {
        throw error;
      }
      options.logger.warn(
        `${operation} failed (attempt ${attempt} of ${attempts}), retrying in ${delay} ms: ${error}`,
      );
      await new Promise(done => setTimeout(done, delay));
    }
  }
}
