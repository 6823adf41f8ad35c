import { Config } from '@backstage/config';
import { readDurationMs, readTagColumns } from '@ownops/backstage-plugin-node';
import { ACCOUNT_ID, AWS_REGION, SOURCE_ID } from './config';

/** The config key listing the AWS Data Exports (FOCUS in S3) sources. */
export const AWS_DATA_EXPORTS_CONFIG_KEY = 'ownops.cost.awsDataExports';

/** One configured AWS Data Export, read from S3. */
export interface AwsDataExportConfig {
  id: string;
  bucket: string;
  /** The export's S3 prefix without leading or trailing `/`; '' for none. */
  prefix: string;
  exportName: string;
  region: string;
  /** The account whose credentials (from the `aws` config) are used. */
  accountId?: string;
  /** An S3-compatible endpoint, addressed path-style. */
  endpoint?: string;
  /** Column name → tag key, for columns besides FOCUS's. */
  tagColumns: Record<string, string>;
  timeoutMs: number;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const EXPORT_NAME = /^[A-Za-z0-9_-]{1,128}$/;
/** Regions of S3-compatible stores, e.g. `auto` or `eu-central`. */
const ANY_REGION = /^[a-z0-9][a-z0-9-]{0,62}$/;

function readEndpoint(entry: Config, at: string): string | undefined {
  const endpoint = entry.getOptionalString('endpoint');
  if (endpoint === undefined) {
    return undefined;
  }
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol)) {
    throw new Error(`${at}.endpoint must be an http(s) URL`);
  }
  if (url.username || url.password) {
    throw new Error(
      `${at}.endpoint must not hold credentials; configure them under aws.mainAccount or aws.accounts[]`,
    );
  }
  return endpoint;
}

/**
 * Reads `ownops.cost.awsDataExports[]`; throws a message naming the key for
 * anything invalid. `costExplorerIds` are the ids of `ownops.cost.aws[]`,
 * which no export may reuse.
 */
export function readAwsDataExportsConfig(
  config: Config,
  costExplorerIds: string[] = [],
): AwsDataExportConfig[] {
  const ids = new Map<string, string>(
    costExplorerIds.map((id, index) => [id, `ownops.cost.aws[${index}]`]),
  );
  const entries = config.getOptionalConfigArray(AWS_DATA_EXPORTS_CONFIG_KEY);
  return (entries ?? []).map((entry, index): AwsDataExportConfig => {
    const at = `${AWS_DATA_EXPORTS_CONFIG_KEY}[${index}]`;
    const id = entry.getString('id');
    if (!SOURCE_ID.test(id)) {
      throw new Error(
        `${at}.id must be lower-case letters, digits and dashes, got "${id}"`,
      );
    }
    const usedBy = ids.get(id);
    if (usedBy) {
      throw new Error(
        `${at}.id "${id}" is already used by ${usedBy}; every cost source needs a unique id`,
      );
    }
    ids.set(id, at);
    const bucket = entry.getString('bucket');
    if (!BUCKET.test(bucket)) {
      throw new Error(
        `${at}.bucket must be an S3 bucket name (3 to 63 lower-case letters, digits, dots and dashes), got "${bucket}"`,
      );
    }
    const prefix = (entry.getOptionalString('prefix') ?? '').replace(
      /^\/+|\/+$/g,
      '',
    );
    if (prefix.includes('//')) {
      throw new Error(`${at}.prefix must not contain "//", got "${prefix}"`);
    }
    const exportName = entry.getString('exportName');
    if (!EXPORT_NAME.test(exportName)) {
      throw new Error(
        `${at}.exportName must be the export's name (letters, digits, "-" and "_"), got "${exportName}"`,
      );
    }
    const endpoint = readEndpoint(entry, at);
    const region = entry.getString('region');
    if (!(endpoint ? ANY_REGION : AWS_REGION).test(region)) {
      throw new Error(
        `${at}.region must be the bucket's AWS region such as us-east-1, got "${region}"`,
      );
    }
    const accountId = entry.getOptionalString('accountId');
    if (accountId !== undefined && !ACCOUNT_ID.test(accountId)) {
      throw new Error(`${at}.accountId must be a 12-digit AWS account id`);
    }
    return {
      id,
      bucket,
      prefix,
      exportName,
      region,
      accountId,
      endpoint,
      tagColumns: readTagColumns(entry, at),
      timeoutMs: readDurationMs(entry, 'timeout', {
        defaultMs: 30_000,
        fullKey: `${at}.timeout`,
      }),
    };
  });
}
