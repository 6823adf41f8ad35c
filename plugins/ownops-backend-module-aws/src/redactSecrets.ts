/**
 * The text with every secret (of at least 4 characters) replaced by `***`,
 * longest first, so that a secret containing another is taken out whole.
 */
export function redactSecrets(text: string, secrets: string[]): string {
  return secrets
    .filter(secret => secret.length >= 4)
    .sort((a, b) => b.length - a.length)
    .reduce((result, secret) => result.split(secret).join('***'), text);
}
