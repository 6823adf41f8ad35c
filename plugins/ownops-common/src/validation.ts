/**
 * Environment names: lower-case DNS labels, so they are safe in URLs,
 * annotation keys and environment variables.
 *
 * @public
 */
export const ENVIRONMENT_NAME_PATTERN = /^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/;

/**
 * Versions: a tag, semver or commit SHA. No whitespace, no shell or path
 * metacharacters, at most 128 characters.
 *
 * @public
 */
export const VERSION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/;

/** @public */
export const MAX_REASON_LENGTH = 500;

/**
 * Returns why `version` is not acceptable, or undefined when it is.
 *
 * @public
 */
export function describeInvalidVersion(version: unknown): string | undefined {
  if (typeof version !== 'string' || version.length === 0) {
    return 'version is required';
  }
  if (version.length > 128) {
    return 'version must be at most 128 characters';
  }
  if (!VERSION_PATTERN.test(version) || version.includes('..')) {
    return 'version may only contain letters, digits, ".", "_", "+" and "-", and must start with a letter or digit';
  }
  return undefined;
}
