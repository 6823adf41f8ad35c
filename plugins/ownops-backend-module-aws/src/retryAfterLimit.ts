import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { retryDelayFromHeaders } from '@ownops/backstage-plugin-node';

/** Longest wait between attempts Ownops honours, as for every provider. */
export const MAX_RETRY_DELAY_MS = 30_000;

/**
 * Stops the SDK's retries when Cost Explorer asks for a longer pause than
 * Ownops waits (the SDK would wait up to 20 s per attempt and then fail
 * with a bare ThrottlingException): the error says how long and until when.
 */
export function refuseLongRetryAfter(
  client: CostExplorerClient,
  maxDelayMs = MAX_RETRY_DELAY_MS,
): void {
  client.middlewareStack.add(
    next => async args => {
      try {
        return await next(args);
      } catch (error) {
        const headers = (
          error as { $response?: { headers?: Record<string, string> } }
        ).$response?.headers;
        const wait = headers && retryDelayFromHeaders(new Headers(headers));
        if (wait !== undefined && wait > maxDelayMs) {
          throw Object.assign(
            new Error(
              `Cost Explorer asks to wait ${Math.ceil(
                wait / 1000,
              )} s (until ${new Date(
                Date.now() + wait,
              ).toISOString()}), longer than the ${
                maxDelayMs / 1000
              } s Ownops waits`,
              { cause: error },
            ),
            { name: 'RetryAfterTooLong' },
          );
        }
        throw error;
      }
    },
    // Inside the retry middleware, so it sees every attempt's answer.
    { step: 'finalizeRequest', priority: 'low', name: 'ownopsRetryAfterLimit' },
  );
}
