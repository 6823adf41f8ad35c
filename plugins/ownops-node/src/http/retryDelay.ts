/**
 * How long a provider asks to be left alone, read from its response headers:
 * `Retry-After` (seconds or an HTTP date, RFC 9110), `RateLimit-Reset`
 * (seconds, as PagerDuty and the IETF draft send it) and GitHub's
 * `X-RateLimit-Reset` (epoch seconds, when `X-RateLimit-Remaining` is 0).
 * Returns milliseconds, or undefined when no header says.
 */
export function retryDelayFromHeaders(
  headers: Headers,
  now: number = Date.now(),
): number | undefined {
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) {
      return Math.round(Number(retryAfter) * 1000);
    }
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) {
      return Math.max(0, date - now);
    }
  }
  const reset = headers.get('ratelimit-reset')?.trim();
  if (reset && /^\d+$/.test(reset)) {
    return Number(reset) * 1000;
  }
  const epochReset = headers.get('x-ratelimit-reset')?.trim();
  if (
    epochReset &&
    /^\d+$/.test(epochReset) &&
    headers.get('x-ratelimit-remaining')?.trim() === '0'
  ) {
    return Math.max(0, Number(epochReset) * 1000 - now);
  }
  return undefined;
}

/** Exponential backoff with full jitter: a random wait up to base × 2^attempt, capped. */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
