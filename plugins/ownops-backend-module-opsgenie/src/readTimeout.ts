import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';

/**
 * Reads `<prefix>.timeout`: milliseconds as a number, or a Backstage
 * duration (`10s`, `{ seconds: 10 }`). Throws naming the key when invalid.
 */
export function readTimeoutMs(
  config: Config,
  prefix: string,
  defaultMs: number,
): number {
  if (!config.has('timeout')) return defaultMs;
  const raw = config.get('timeout');
  let ms: number;
  try {
    ms =
      typeof raw === 'number'
        ? raw
        : durationToMilliseconds(
            readDurationFromConfig(config, { key: 'timeout' }),
          );
  } catch (error) {
    throw new Error(
      `Invalid ${prefix}.timeout: ${
        (error as Error).message
      }; give milliseconds or a duration such as "10s"`,
    );
  }
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new Error(
      `Invalid ${prefix}.timeout: it must be a positive duration`,
    );
  }
  return ms;
}

/** Reads an optional http(s) base URL, without its trailing slash. */
export function readBaseUrl(
  config: Config,
  key: string,
  prefix: string,
  defaultUrl: string,
): string {
  const value = config.getOptionalString(key)?.trim() || defaultUrl;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`Invalid ${prefix}.${key}: "${value}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(
      `Invalid ${prefix}.${key}: "${value}" is not an http(s) URL`,
    );
  }
  return value.replace(/\/+$/, '');
}
