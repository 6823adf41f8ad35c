import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';

/**
 * Reads a duration such as a `timeout` in milliseconds: a number of
 * milliseconds, or a Backstage duration (`"30s"`, `"2m"`, ISO 8601 `"PT30S"`,
 * `{ seconds: 30 }`). Returns `defaultMs` when the key is absent. Throws an
 * error naming `fullKey` (e.g. `ownops.argocd.instances[0].timeout`) when the
 * value is not a duration or not longer than zero.
 *
 * @public
 */
export function readDurationMs(
  config: Config,
  key: string,
  options: { defaultMs: number; fullKey: string },
): number {
  const { defaultMs, fullKey } = options;
  if (!config.has(key)) {
    return defaultMs;
  }
  const raw = config.get(key);
  let ms: number;
  try {
    ms =
      typeof raw === 'number'
        ? raw
        : durationToMilliseconds(readDurationFromConfig(config, { key }));
  } catch {
    // The reader's own message names only the relative key; say it whole.
    throw new Error(
      `Invalid ${fullKey} ${JSON.stringify(
        raw,
      )}: ${fullKey} must be a duration such as "30s" or { seconds: 30 }, or a number of milliseconds`,
    );
  }
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new Error(
      `Invalid ${fullKey} ${JSON.stringify(
        raw,
      )}: ${fullKey} must be a positive duration such as "30s" or { seconds: 30 }, or a number of milliseconds above zero`,
    );
  }
  return ms;
}
