import { Config } from '@backstage/config';
import { readDurationMs, readTagColumns } from '@ownops/backstage-plugin-node';

/** The config key listing the Azure Cost Management exports. */
export const AZURE_EXPORTS_CONFIG_KEY = 'ownops.cost.azureExports';

/**
 * How the module signs in to the storage account.
 *
 * @public
 */
export type AzureStorageCredential =
  | { kind: 'connectionString'; connectionString: string }
  | { kind: 'sasToken'; accountUrl: string; sasToken: string }
  | {
      kind: 'clientSecret';
      accountUrl: string;
      tenantId: string;
      clientId: string;
      clientSecret: string;
    }
  | { kind: 'defaultAzureCredential'; accountUrl: string };

/**
 * One configured export: where Cost Management delivers it, and how to read it.
 *
 * @public
 */
export interface AzureExportConfig {
  id: string;
  /** The entry's config key, e.g. `ownops.cost.azureExports[0]`, for messages. */
  configKey: string;
  credential: AzureStorageCredential;
  container: string;
  /** The export's folder in the container (root folder path/export name), without slashes at either end. */
  path: string;
  tagColumns: Record<string, string>;
  timeoutMs: number;
}

const SOURCE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** Azure's rule: 3–63 lower-case letters, digits and single dashes, starting and ending with a letter or digit. */
const CONTAINER_NAME = /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/;
const DATE_RANGE_FOLDER = /^\d{8}-\d{8}$/;
const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Reads `ownops.cost.azureExports[]`; throws a message naming the key for
 * anything invalid. Messages never quote a credential.
 */
export function readAzureExportsConfig(config: Config): AzureExportConfig[] {
  const entries = config.getOptionalConfigArray(AZURE_EXPORTS_CONFIG_KEY) ?? [];
  const ids = new Map<string, number>();
  return entries.map((entry, index) => {
    const at = `${AZURE_EXPORTS_CONFIG_KEY}[${index}]`;
    const id = entry.getString('id');
    if (!SOURCE_ID.test(id)) {
      throw new Error(
        `${at}.id must be lower-case letters, digits and dashes, got "${id}"`,
      );
    }
    const earlier = ids.get(id);
    if (earlier !== undefined) {
      throw new Error(
        `${at}.id "${id}" is already used by ${AZURE_EXPORTS_CONFIG_KEY}[${earlier}]; every export needs a unique id`,
      );
    }
    ids.set(id, index);
    return {
      id,
      configKey: at,
      credential: readCredential(entry, at),
      container: readContainer(entry, at),
      path: readExportPath(entry, at),
      tagColumns: readTagColumns(entry, at),
      timeoutMs: readDurationMs(entry, 'timeout', {
        defaultMs: DEFAULT_TIMEOUT_MS,
        fullKey: `${at}.timeout`,
      }),
    };
  });
}

function readCredential(entry: Config, at: string): AzureStorageCredential {
  const connectionString = entry.getOptionalString('connectionString');
  const accountUrl = entry.getOptionalString('accountUrl');
  const sasToken = entry.getOptionalString('sasToken');
  const clientId = entry.getOptionalString('clientId');
  const tenantId = entry.getOptionalString('tenantId');
  const clientSecret = entry.getOptionalString('clientSecret');
  const servicePrincipal = { clientId, tenantId, clientSecret };
  const servicePrincipalKeys = Object.entries(servicePrincipal)
    .filter(([, value]) => value !== undefined)
    .map(([key]) => key);

  if (connectionString !== undefined) {
    const extra = [
      ...(accountUrl !== undefined ? ['accountUrl'] : []),
      ...(sasToken !== undefined ? ['sasToken'] : []),
      ...servicePrincipalKeys,
    ];
    if (extra.length > 0) {
      throw new Error(
        `${at}.${extra[0]} cannot be used with ${at}.connectionString, which carries the account and its credentials; set one or the other`,
      );
    }
    if (connectionString.trim() === '') {
      throw new Error(
        `${at}.connectionString is empty; copy it from the storage account's Access keys`,
      );
    }
    return { kind: 'connectionString', connectionString };
  }
  if (accountUrl === undefined) {
    throw new Error(
      `${at}.accountUrl is missing: set accountUrl (https://<account>.blob.core.windows.net) or connectionString`,
    );
  }
  const url = readAccountUrl(accountUrl, at);
  if (sasToken !== undefined) {
    if (servicePrincipalKeys.length > 0) {
      throw new Error(
        `${at}.${servicePrincipalKeys[0]} cannot be used with ${at}.sasToken; sign in with the SAS token or with clientId, tenantId and clientSecret, not both`,
      );
    }
    const token = sasToken.trim().replace(/^\?/, '');
    if (!new URLSearchParams(token).get('sig')) {
      throw new Error(
        `${at}.sasToken must be a shared access signature: the query string sv=…&sig=… (with or without the leading ?)`,
      );
    }
    return { kind: 'sasToken', accountUrl: url, sasToken: token };
  }
  if (servicePrincipalKeys.length > 0) {
    const missing = Object.entries(servicePrincipal).find(
      ([, value]) => value === undefined || value.trim() === '',
    );
    if (missing) {
      throw new Error(
        `${at}.${missing[0]} is missing: clientId, tenantId and clientSecret go together (or leave all three out to use DefaultAzureCredential)`,
      );
    }
    requireHttps(url, at);
    return {
      kind: 'clientSecret',
      accountUrl: url,
      tenantId: tenantId!,
      clientId: clientId!,
      clientSecret: clientSecret!,
    };
  }
  requireHttps(url, at);
  return { kind: 'defaultAzureCredential', accountUrl: url };
}

/** Azure's SDK sends Microsoft Entra tokens over https only. */
function requireHttps(accountUrl: string, at: string) {
  if (!accountUrl.startsWith('https:')) {
    throw new Error(
      `${at}.accountUrl must be https to sign in with Microsoft Entra ID (DefaultAzureCredential or clientId, tenantId and clientSecret); http is only for a local emulator, with a connectionString or sasToken`,
    );
  }
}

/** The account's blob endpoint without trailing slashes; the value is never quoted, as it may hold a SAS. */
function readAccountUrl(value: string, at: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new Error(
      `${at}.accountUrl is not a URL; set it to the blob endpoint, e.g. https://<account>.blob.core.windows.net`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(
      `${at}.accountUrl must be an https URL, e.g. https://<account>.blob.core.windows.net`,
    );
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new Error(
      `${at}.accountUrl must be the bare blob endpoint, without a query string or user; put a SAS token in ${at}.sasToken`,
    );
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

function readContainer(entry: Config, at: string): string {
  const container = entry.getString('container');
  if (!CONTAINER_NAME.test(container)) {
    throw new Error(
      `${at}.container must be a container name (3 to 63 lower-case letters, digits and single dashes), got "${container}"`,
    );
  }
  return container;
}

function readExportPath(entry: Config, at: string): string {
  const path = entry
    .getString('path')
    .split('/')
    .filter(segment => segment !== '')
    .join('/');
  if (path === '') {
    throw new Error(
      `${at}.path must be the export's folder in the container: its root folder path and export name, e.g. cost/focus-daily`,
    );
  }
  const last = path.split('/').pop()!;
  if (DATE_RANGE_FOLDER.test(last)) {
    throw new Error(
      `${at}.path ends in the date range folder ${last}; point it at the export's folder above it (root folder path and export name)`,
    );
  }
  return path;
}
