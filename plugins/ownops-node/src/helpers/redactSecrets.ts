/**
 * The text with each secret of 4 or more characters as `***`, longest first.
 *
 * @public
 */
export function redactSecrets(text: string, secrets: string[]): string {
  return secrets
    .filter(secret => secret.length >= 4)
    .sort((a, b) => b.length - a.length)
    .reduce((result, secret) => result.split(secret).join('***'), text);
}
