import { Config } from '@backstage/config';
import {
  OwnerTagKeys,
  readValidOwnerTagKeys,
} from '@ownops/backstage-plugin-common';
import { readDurationMs } from '@ownops/backstage-plugin-node';

/** The config key listing the AWS Cost Explorer sources. */
export const AWS_CONFIG_KEY = 'ownops.cost.aws';

/** Metrics that can be the FOCUS BilledCost. */
export const BILLED_METRICS = [
  'UnblendedCost',
  'BlendedCost',
  'NetUnblendedCost',
] as const;
/** Metrics that can be the FOCUS EffectiveCost. */
export const EFFECTIVE_METRICS = ['AmortizedCost', 'NetAmortizedCost'] as const;

/** One configured Cost Explorer source. */
export interface AwsCostSourceConfig {
  id: string;
  /** The account whose credentials (from the `aws` config) are used. */
  accountId?: string;
  region: string;
  billedMetric: (typeof BILLED_METRICS)[number];
  effectiveMetric: (typeof EFFECTIVE_METRICS)[number];
  timeoutMs: number;
  maxAttempts: number;
  endpoint?: string;
}

/** A cost source id: lower-case letters, digits and dashes. */
export const SOURCE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** A 12-digit AWS account id. */
export const ACCOUNT_ID = /^\d{12}$/;
/** An AWS region such as `us-east-1`. */
export const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
  key: string,
): T {
  if (value === undefined) {
    return fallback;
  }
  if (!allowed.includes(value as T)) {
    throw new Error(
      `${key} must be one of ${allowed.join(', ')}, got "${value}"`,
    );
  }
  return value as T;
}

/**
 * Reads `ownops.cost.aws[]` and the owner tag keys; throws a message naming
 * the key for anything invalid.
 */
export function readAwsCostConfig(config: Config): {
  sources: AwsCostSourceConfig[];
  keys: OwnerTagKeys;
} {
  const ids = new Set<string>();
  const sources = (config.getOptionalConfigArray(AWS_CONFIG_KEY) ?? []).map(
    (entry, index): AwsCostSourceConfig => {
      const at = `${AWS_CONFIG_KEY}[${index}]`;
      const id = entry.getString('id');
      if (!SOURCE_ID.test(id)) {
        throw new Error(
          `${at}.id must be lower-case letters, digits and dashes, got "${id}"`,
        );
      }
      if (ids.has(id)) {
        throw new Error(`${at}.id "${id}" is used by another AWS source`);
      }
      ids.add(id);
      const accountId = entry.getOptionalString('accountId');
      if (accountId !== undefined && !ACCOUNT_ID.test(accountId)) {
        throw new Error(`${at}.accountId must be a 12-digit AWS account id`);
      }
      const region = entry.getOptionalString('region') ?? 'us-east-1';
      if (!AWS_REGION.test(region)) {
        throw new Error(
          `${at}.region must be an AWS region such as us-east-1, got "${region}"`,
        );
      }
      const maxAttempts = entry.getOptionalNumber('maxAttempts') ?? 4;
      if (
        !Number.isInteger(maxAttempts) ||
        maxAttempts < 1 ||
        maxAttempts > 10
      ) {
        throw new Error(
          `${at}.maxAttempts must be a whole number from 1 to 10`,
        );
      }
      const endpoint = entry.getOptionalString('endpoint');
      if (endpoint !== undefined && !/^https?:\/\/[^/]/.test(endpoint)) {
        throw new Error(`${at}.endpoint must be an http(s) URL`);
      }
      return {
        id,
        accountId,
        region,
        billedMetric: oneOf(
          entry.getOptionalString('metric'),
          BILLED_METRICS,
          'UnblendedCost',
          `${at}.metric`,
        ),
        effectiveMetric: oneOf(
          entry.getOptionalString('effectiveMetric'),
          EFFECTIVE_METRICS,
          'AmortizedCost',
          `${at}.effectiveMetric`,
        ),
        timeoutMs: readDurationMs(entry, 'timeout', {
          defaultMs: 30_000,
          fullKey: `${at}.timeout`,
        }),
        maxAttempts,
        endpoint,
      };
    },
  );
  return { sources, keys: readValidOwnerTagKeys(config) };
}
