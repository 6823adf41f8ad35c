import { Config } from '@backstage/config';
import {
  OwnerTagKeys,
  readValidOwnerTagKeys,
} from '@ownops/backstage-plugin-common';
import { readDurationMs } from '@ownops/backstage-plugin-node';

/** The config key listing the OpenCost sources. */
export const OPENCOST_CONFIG_KEY = 'ownops.cost.opencost';

/** One configured OpenCost instance. */
export interface OpenCostSourceConfig {
  id: string;
  /** Base URL of the OpenCost API, without a trailing slash. */
  url: string;
  currency: string;
  /** Header name → value; the values are secret. */
  headers: Record<string, string>;
  timeoutMs: number;
  lookbackDays: number;
}

const SOURCE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const CURRENCY = /^[A-Z]{3}$/;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_LOOKBACK_DAYS = 62;

/**
 * Reads `ownops.cost.opencost[]` and the owner tag keys; throws a message
 * naming the key for anything invalid.
 */
export function readOpenCostConfig(config: Config): {
  sources: OpenCostSourceConfig[];
  keys: OwnerTagKeys;
} {
  const entries = config.getOptionalConfigArray(OPENCOST_CONFIG_KEY) ?? [];
  const ids = new Set<string>();
  const sources = entries.map((entry, index) => {
    const at = `${OPENCOST_CONFIG_KEY}[${index}]`;
    const id = entry.getString('id');
    if (!SOURCE_ID.test(id)) {
      throw new Error(
        `${at}.id must be lower-case letters, digits and dashes, got "${id}"`,
      );
    }
    if (ids.has(id)) {
      throw new Error(`${at}.id "${id}" is used by another OpenCost source`);
    }
    ids.add(id);
    const url = entry.getString('url').replace(/\/+$/, '');
    if (!/^https?:\/\/[^/]/.test(url) || !URL.canParse(url)) {
      throw new Error(
        `${at}.url must be the http(s) URL of the OpenCost API, e.g. http://opencost.opencost:9003`,
      );
    }
    const currency = entry.getOptionalString('currency') ?? 'USD';
    if (!CURRENCY.test(currency)) {
      throw new Error(
        `${at}.currency must be an ISO 4217 code such as USD, got "${currency}"`,
      );
    }
    const headerConfig = entry.getOptionalConfig('headers');
    const headers: Record<string, string> = {};
    for (const name of headerConfig?.keys() ?? []) {
      headers[name] = headerConfig!.getString(name);
    }
    const lookbackDays =
      entry.getOptionalNumber('lookbackDays') ?? DEFAULT_LOOKBACK_DAYS;
    if (!Number.isInteger(lookbackDays) || lookbackDays < 1) {
      throw new Error(
        `${at}.lookbackDays must be a whole number of days, at least 1`,
      );
    }
    return {
      id,
      url,
      currency,
      headers,
      timeoutMs: readDurationMs(entry, 'timeout', {
        defaultMs: DEFAULT_TIMEOUT_MS,
        fullKey: `${at}.timeout`,
      }),
      lookbackDays,
    };
  });
  return { sources, keys: readValidOwnerTagKeys(config) };
}
