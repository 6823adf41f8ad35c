import { ProviderRequestError } from '../http/ProviderRequestError';

/**
 * The same provider failure with a message that says what to do, for a
 * module's own advice on a status (e.g. "check ownops.x.apiToken" on 401).
 * Keeps provider, status, provider message, body and rate limiting; the
 * original error is the `cause`.
 *
 * @public
 */
export function rewordProviderError(
  error: ProviderRequestError,
  message: string,
): ProviderRequestError {
  return new ProviderRequestError({
    provider: error.provider,
    status: error.status,
    providerMessage: error.providerMessage,
    body: error.body,
    rateLimited: error.rateLimited,
    message,
    cause: error,
  });
}
