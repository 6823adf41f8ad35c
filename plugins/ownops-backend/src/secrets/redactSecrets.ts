/** Replaces every occurrence of each secret in a text with `***`. */
export type Redact = (text: string) => string;

/** A {@link Redact} over the given secrets, longest first so no part of one survives. */
export function redactorOf(secrets: Iterable<string>): Redact {
  const sorted = [...new Set(secrets)]
    .filter(secret => secret.length > 0)
    .sort((a, b) => b.length - a.length);
  if (sorted.length === 0) {
    return text => text;
  }
  return text =>
    sorted.reduce(
      (result, secret) =>
        result.includes(secret) ? result.split(secret).join('***') : result,
      text,
    );
}

/** Whether any of the secrets occurs in the text. */
export function containsSecret(redact: Redact, text: string): boolean {
  return redact(text) !== text;
}

/** A copy of plain data with every string redacted. */
export function redactStrings<T>(value: T, redact: Redact): T {
  if (typeof value === 'string') {
    return redact(value) as T;
  }
  if (Array.isArray(value)) {
    return value.map(item => redactStrings(item, redact)) as T;
  }
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [
        key,
        redactStrings(child, redact),
      ]),
    ) as T;
  }
  return value;
}

/**
 * Cleans the message (and stack) of an error and of its causes in place, so
 * its class and fields, such as `ProviderRequestError.transient`, still hold.
 */
export function redactError(error: unknown, redact: Redact): unknown {
  if (!(error instanceof Error)) {
    return new Error(redact(String(error)));
  }
  for (
    let current: unknown = error, depth = 0;
    current instanceof Error && depth < 5;
    current = current.cause, depth++
  ) {
    current.message = redact(current.message);
    if (current.stack) {
      current.stack = redact(current.stack);
    }
  }
  return error;
}
