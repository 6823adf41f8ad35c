import { Config } from '@backstage/config';
import { readDurationMs, UniqueConfigIds } from '@ownops/backstage-plugin-node';

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

/** Reads `ownops.argocd.instances`; throws naming the key of any invalid value. */
export function readArgoCdInstances(config: Config): ArgoCdInstanceConfig[] {
  const entries = config.getOptionalConfigArray(CONFIG_KEY) ?? [];
  const ids = new UniqueConfigIds({
    configKey: CONFIG_KEY,
    entryName: 'Argo CD instance',
  });
  return entries.map((entry, index) => {
    const where = `${CONFIG_KEY}[${index}]`;
    const id = ids.read(entry, index);
    return {
      id,
      title: entry.getOptionalString('title'),
      baseUrl: readBaseUrl(entry, where),
      token: readToken(entry, where),
      project: entry.getOptionalString('project')?.trim() || undefined,
      waitForHealthy: entry.getOptionalBoolean('waitForHealthy') ?? true,
      timeoutMs: readDurationMs(entry, 'timeout', {
        defaultMs: DEFAULT_TIMEOUT_MS,
        fullKey: `${where}.timeout`,
      }),
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
