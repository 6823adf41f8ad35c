/**
 * A call to a provider's API that did not succeed: an error answer, a
 * timeout or a network failure. `status` is the HTTP status, absent when no
 * answer came. The message names the provider, the method and the URL
 * (without its query, which may carry secrets) and what the provider said.
 *
 * @public
 */
export class ProviderRequestError extends Error {
  readonly name = 'ProviderRequestError';
  readonly provider: string;
  readonly status?: number;
  /** The provider's own error message, when its answer carried one. */
  readonly providerMessage?: string;
  /** The parsed JSON error body, when there was one. */
  readonly body?: unknown;
  /** Whether the provider said to come back later (429, or a rate limit 403). */
  readonly rateLimited: boolean;

  constructor(options: {
    provider: string;
    message: string;
    status?: number;
    providerMessage?: string;
    body?: unknown;
    rateLimited?: boolean;
    cause?: unknown;
  }) {
    super(options.message, { cause: options.cause });
    this.provider = options.provider;
    this.status = options.status;
    this.providerMessage = options.providerMessage;
    this.body = options.body;
    this.rateLimited = options.rateLimited ?? false;
  }

  /** Rate limited, a 5xx or no answer: the provider may well answer later. */
  get transient(): boolean {
    return this.rateLimited || this.status === undefined || this.status >= 500;
  }
}

/**
 * Reads the message out of the error bodies the providers document:
 * `{"message"}` (GitHub, Argo CD, Opsgenie), `{"error":{"message"}}`
 * (PagerDuty), `{"error": "…"}` and `{"__type","message"}` (AWS).
 */
export function providerMessageOf(body: unknown): string | undefined {
  if (typeof body === 'string') {
    return body.trim() ? body.trim().slice(0, 500) : undefined;
  }
  if (!body || typeof body !== 'object') {
    return undefined;
  }
  const record = body as Record<string, unknown>;
  const error = record.error;
  if (error && typeof error === 'object') {
    const nested = providerMessageOf(error);
    const details = (error as Record<string, unknown>).errors;
    if (nested && Array.isArray(details) && details.length > 0) {
      return `${nested}: ${details.map(String).join('; ')}`;
    }
    return nested;
  }
  for (const key of ['message', 'Message', 'error', 'error_description']) {
    if (typeof record[key] === 'string' && (record[key] as string).trim()) {
      return (record[key] as string).trim().slice(0, 500);
    }
  }
  return undefined;
}
