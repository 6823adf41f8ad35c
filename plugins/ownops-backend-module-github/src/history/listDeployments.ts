import { ExternalDeployment } from '@ownops/backstage-plugin-node';
import { GithubRepoClient } from '../api/GithubRepoClient';

/** Status requests in flight at once while reading the history. */
const STATUS_CONCURRENCY = 4;

interface GithubDeployment {
  id: number;
  sha?: string;
  ref: string;
  task?: string;
  payload?: unknown;
  environment?: string;
  description?: string | null;
  creator?: { login?: string } | null;
  created_at: string;
}

interface GithubDeploymentStatus {
  id: number;
  state: string;
  environment?: string;
  log_url?: string | null;
  environment_url?: string | null;
  target_url?: string | null;
  description?: string | null;
  created_at: string;
}

const STATES: Record<string, ExternalDeployment['status']> = {
  success: 'succeeded',
  failure: 'failed',
  error: 'failed',
  in_progress: 'running',
  queued: 'running',
  pending: 'running',
  inactive: 'inactive',
};

const FINISHED_STATES = new Set(['success', 'failure', 'error', 'inactive']);

/**
 * The GitHub deployments of an environment, newest first, each with its
 * latest status: those a workflow made for Ownops and any made elsewhere.
 */
export async function listDeployments(
  client: GithubRepoClient,
  environment: string,
  options: { signal: AbortSignal; limit: number },
): Promise<ExternalDeployment[]> {
  const limit = Number.isFinite(options.limit)
    ? Math.max(1, Math.min(100, Math.floor(options.limit)))
    : 30;
  const deployments = await client.get<GithubDeployment[]>(
    '/deployments',
    {
      action: `list the deployments of environment ${environment}`,
      permission: 'deployments: read',
      notFound: `repository ${client.slug} was not found`,
    },
    {
      signal: options.signal,
      query: { environment, per_page: String(limit) },
    },
  );
  const latest = await mapConcurrently(
    deployments.slice(0, limit),
    STATUS_CONCURRENCY,
    deployment => latestStatusOf(client, deployment.id, options.signal),
  );
  return deployments
    .slice(0, limit)
    .map((deployment, index) => toExternal(deployment, latest[index]));
}

async function latestStatusOf(
  client: GithubRepoClient,
  deploymentId: number,
  signal: AbortSignal,
): Promise<GithubDeploymentStatus | undefined> {
  const statuses = await client.get<GithubDeploymentStatus[]>(
    `/deployments/${deploymentId}/statuses`,
    {
      action: `read the statuses of deployment ${deploymentId}`,
      permission: 'deployments: read',
      notFound: `deployment ${deploymentId} was not found in ${client.slug}`,
    },
    { signal, query: { per_page: '1' } },
  );
  return statuses[0];
}

function toExternal(
  deployment: GithubDeployment,
  status: GithubDeploymentStatus | undefined,
): ExternalDeployment {
  const result: ExternalDeployment = {
    id: String(deployment.id),
    version: payloadVersionOf(deployment.payload) ?? deployment.ref,
    status: status ? STATES[status.state] ?? 'unknown' : 'unknown',
    startedAt: deployment.created_at,
  };
  if (status && FINISHED_STATES.has(status.state)) {
    result.finishedAt = status.created_at;
  }
  const initiatedBy = deployment.creator?.login;
  if (initiatedBy) {
    result.initiatedBy = initiatedBy;
  }
  const url = status?.log_url || status?.environment_url || status?.target_url;
  if (url) {
    result.url = url;
  }
  const description = status?.description || deployment.description;
  if (description) {
    result.description = description;
  }
  return result;
}

/** `payload.version`, when the deployment's payload (an object or JSON text) has one. */
function payloadVersionOf(payload: unknown): string | undefined {
  let value = payload;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  const version =
    value && typeof value === 'object'
      ? (value as Record<string, unknown>).version
      : undefined;
  return typeof version === 'string' && version.trim()
    ? version.trim()
    : undefined;
}

async function mapConcurrently<T, R>(
  items: T[],
  concurrency: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, worker),
  );
  return results;
}
