import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ProviderHttpClient,
  ResponseShape,
} from '@ownops/backstage-plugin-node';
import { KubernetesClusterConfig } from '../config/readKubernetesClusters';
import {
  ClusterConnection,
  createClusterConnection,
} from './clusterConnection';
import {
  explainKubernetesError,
  KubernetesAction,
} from './explainKubernetesError';
import {
  Deployment,
  DEPLOYMENT_SHAPE,
  listShape,
  ObjectList,
  REPLICA_SET_SHAPE,
  ReplicaSet,
} from './types';

/** Items per page of a list call; the API server pages with `continue`. */
const PAGE_SIZE = 100;
/** Enough pages for any namespace; a runaway `continue` loop stops here. */
const MAX_PAGES = 50;

export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
export const JSON_PATCH = 'application/json-patch+json';

export interface KubernetesClientOptions {
  cluster: KubernetesClusterConfig;
  timeoutMs: number;
  logger?: LoggerService;
  /** For tests: where the pod's token would be mounted. */
  tokenFile?: string;
  /** For tests: the first backoff step between retries. */
  retryBaseDelayMs?: number;
}

/**
 * The calls this module makes to one cluster's API server (apps/v1
 * Deployments and ReplicaSets), through {@link ProviderHttpClient}: a
 * timeout per call, bounded retries, the token kept out of every message.
 */
export class KubernetesClient {
  readonly clusterName: string;
  private readonly baseUrl: string;
  private readonly connection: ClusterConnection;
  private http?: { token: string; client: ProviderHttpClient };

  constructor(private readonly options: KubernetesClientOptions) {
    this.clusterName = options.cluster.name;
    this.baseUrl = options.cluster.url;
    this.connection = createClusterConnection(
      options.cluster,
      options.tokenFile,
    );
  }

  listDeployments(
    namespace: string,
    labelSelector: string,
    signal: AbortSignal,
  ): Promise<Deployment[]> {
    return this.list(
      'deployments',
      namespace,
      labelSelector,
      DEPLOYMENT_SHAPE,
      signal,
    );
  }

  listReplicaSets(
    namespace: string,
    labelSelector: string,
    signal: AbortSignal,
  ): Promise<ReplicaSet[]> {
    return this.list(
      'replicasets',
      namespace,
      labelSelector,
      REPLICA_SET_SHAPE,
      signal,
    );
  }

  /** The Deployment, or undefined when it no longer exists. */
  async getDeployment(
    namespace: string,
    name: string,
    signal: AbortSignal,
  ): Promise<Deployment | undefined> {
    const path = deploymentPath(namespace, name);
    const response = await this.call(
      path,
      { accept: [404], signal },
      { verb: 'get', resource: 'deployments', namespace },
    );
    return response.status === 404
      ? undefined
      : this.read<Deployment>(response, path, 'GET', DEPLOYMENT_SHAPE);
  }

  /** Patches the Deployment; `contentType` picks the patch strategy. */
  async patchDeployment(
    namespace: string,
    name: string,
    contentType: typeof STRATEGIC_MERGE_PATCH | typeof JSON_PATCH,
    patch: unknown,
    signal: AbortSignal,
  ): Promise<Deployment> {
    const path = deploymentPath(namespace, name);
    const response = await this.call(
      path,
      {
        method: 'PATCH',
        headers: { 'content-type': contentType },
        body: JSON.stringify(patch),
        // Both patches set absolute values: sending one twice is harmless.
        idempotent: true,
        signal,
      },
      { verb: 'patch', resource: 'deployments', namespace },
    );
    return this.read<Deployment>(response, path, 'PATCH', DEPLOYMENT_SHAPE);
  }

  private async list<T>(
    resource: KubernetesAction['resource'],
    namespace: string,
    labelSelector: string,
    itemShape: ResponseShape,
    signal: AbortSignal,
  ): Promise<T[]> {
    const path = `/apis/apps/v1/namespaces/${encodeURIComponent(
      namespace,
    )}/${resource}`;
    const action: KubernetesAction = { verb: 'list', resource, namespace };
    const items: T[] = [];
    let next: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const query = new URLSearchParams({
        labelSelector,
        limit: String(PAGE_SIZE),
      });
      if (next) {
        query.set('continue', next);
      }
      const response = await this.call(`${path}?${query}`, { signal }, action);
      const body = await this.read<ObjectList<T>>(
        response,
        `${path}?${query}`,
        'GET',
        listShape(itemShape),
      );
      items.push(...(body.items ?? []));
      next = body.metadata?.continue;
      if (!next) {
        return items;
      }
    }
    throw new Error(
      `Kubernetes cluster "${this.clusterName}" kept paging ${
        action.resource
      } in namespace "${action.namespace}" beyond ${
        MAX_PAGES * PAGE_SIZE
      } items; narrow the label selector`,
    );
  }

  private async call(
    path: string,
    request: {
      method?: string;
      headers?: Record<string, string>;
      body?: string;
      idempotent?: boolean;
      accept?: number[];
      signal: AbortSignal;
    },
    action: KubernetesAction,
  ): Promise<Response> {
    const { client, token } = this.client();
    try {
      return await client.request(`${this.baseUrl}${path}`, {
        ...request,
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${token}`,
          ...request.headers,
        },
        fetchOptions: this.connection.fetchOptions,
      });
    } catch (error) {
      throw explainKubernetesError(error, this.clusterName, action);
    }
  }

  /** The JSON body of an answer, checked against the shape this module reads. */
  private read<T>(
    response: Response,
    path: string,
    method: string,
    shape: ResponseShape,
  ): Promise<T> {
    return this.client().client.readBody<T>(
      response,
      `${this.baseUrl}${path}`,
      {
        method,
        shape,
      },
    );
  }

  private client(): { token: string; client: ProviderHttpClient } {
    const token = this.connection.token();
    if (this.http?.token !== token) {
      this.http = {
        token,
        client: new ProviderHttpClient({
          provider: `Kubernetes cluster "${this.clusterName}"`,
          timeoutMs: this.options.timeoutMs,
          secrets: [token],
          logger: this.options.logger,
          retryBaseDelayMs: this.options.retryBaseDelayMs,
        }),
      };
    }
    return this.http;
  }
}

function deploymentPath(namespace: string, name: string) {
  return `/apis/apps/v1/namespaces/${encodeURIComponent(
    namespace,
  )}/deployments/${encodeURIComponent(name)}`;
}
