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
