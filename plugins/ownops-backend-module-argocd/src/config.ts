import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';

/** One Argo CD server, registered as one deploy target. */
export interface ArgoCdInstanceConfig {
  /** The deploy target id, referenced by `ownops.io/deploy-target[.<env>]`. */
  id: string;
  title?: string;
  /** Base URL without a trailing slash, e.g. `https://argocd.example.com`. */
  baseUrl: string;
  token: string;
  /** Argo CD project used when the entity has no `argocd/project-name`. */
  project?: string;
  /** Whether a deployment waits for the application to be Healthy after the sync. */
  waitForHealthy: boolean;
  /** Timeout of each HTTP call. */
  timeoutMs: number;
}

export const CONFIG_KEY = 'ownops.argocd.instances';
const DEFAULT_TIMEOUT_MS = 10_000;
const ID_PATTERN = /^[a-z0-9]([a-z0-9._-]{0,62})$/;

/** Reads `ownops.argocd.instances`; throws naming the key of any invalid value. */
export function readArgoCdInstances(config: Config): ArgoCdInstanceConfig[] {
  const entries = config.getOptionalConfigArray(CONFIG_KEY) ?? [];
  const seen = new Map<string, number>();
  return entries.map((entry, index) => {
    const where = `${CONFIG_KEY}[${index}]`;
    const id = entry.getString('id');
    if (!ID_PATTERN.test(id)) {
      throw new Error(
        `${where}.id "${id}" must be lower-case letters, digits, ".", "_" or "-" (at most 63)`,
      );
    }
    if (seen.has(id)) {
      throw new Error(
        `${where}.id "${id}" is already used by ${CONFIG_KEY}[${seen.get(
          id,
        )}]; every Argo CD instance needs a unique id`,
      );
    }
    seen.set(id, index);
    return {
      id,
      title: entry.getOptionalString('title'),
      baseUrl: readBaseUrl(entry, where),
      token: readToken(entry, where),
      project: entry.getOptionalString('project')?.trim() || undefined,
      waitForHealthy: entry.getOptionalBoolean('waitForHealthy') ?? true,
      timeoutMs: readTimeout(entry, where),
    };
  });
}

function readBaseUrl(entry: Config, where: string): string {
  const value = entry.getString('url').trim();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(
      `${where}.url "${value}" is not a URL; use the Argo CD server's address, e.g. https://argocd.example.com`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`${where}.url must be an http(s) URL, got "${value}"`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new Error(
      `${where}.url must not carry a query, fragment or credentials; put the token in ${where}.token`,
    );
  }
  return url.toString().replace(/\/+$/, '');
}

function readToken(entry: Config, where: string): string {
  const token = entry.getString('token').trim();
  if (!token) {
    throw new Error(
      `${where}.token is empty; give an Argo CD API token (for example from an environment variable)`,
    );
  }
  return token;
}

function readTimeout(entry: Config, where: string): number {
  if (!entry.has('timeout')) {
    return DEFAULT_TIMEOUT_MS;
  }
  const raw = entry.get('timeout');
  const ms =
    typeof raw === 'number'
      ? raw
      : durationToMilliseconds(
          readDurationFromConfig(entry, { key: 'timeout' }),
        );
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new Error(
      `${where}.timeout must be a positive duration (e.g. "30s" or { seconds: 30 }) or milliseconds`,
    );
  }
  return ms;
}
