import { Config } from '@backstage/config';

/**
 * Reads an optional http(s) base URL at `key`, falling back to `defaultUrl`
 * when it is absent or blank, and returns it without trailing slashes.
 * Throws an error naming `fullKey` when the value is not an http(s) URL.
 *
 * @public
 */
export function readHttpBaseUrl(
  config: Config,
  key: string,
  options: { defaultUrl: string; fullKey: string },
): string {
  const { defaultUrl, fullKey } = options;
  const value = config.getOptionalString(key)?.trim() || defaultUrl;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`Invalid ${fullKey}: "${value}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`Invalid ${fullKey}: "${value}" is not an http(s) URL`);
  }
  return value.replace(/\/+$/, '');
}
