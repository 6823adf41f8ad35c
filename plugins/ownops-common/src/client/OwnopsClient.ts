import { parseEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { BudgetInput, BudgetResponse, DeployTargetList } from '../budgets';
import {
  BudgetStatusList,
  CostBreakdown,
  CostBreakdownQuery,
  CostIngestionRun,
  CostIngestionStatus,
  EntityCost,
  EntityCostQuery,
  IsoDay,
  UnallocatedCost,
} from '../cost';
import {
  CreateDeploymentRequest,
  Deployment,
  DeploymentLogs,
  DeploymentPage,
  DeploymentStats,
  EntityEnvironments,
  ListDeploymentsQuery,
  RollbackRequest,
  VersionList,
  ExternalDeploymentList,
} from '../types';
import { EntitySummary, GroupSummary } from '../summary';
import { EntityOnCall, OnCallOverride } from '../oncall';
import {
  CreateOnCallOverrideRequest,
  OwnopsApi,
  OwnopsRequestOptions,
} from './OwnopsApi';

/** @public */
export interface OwnopsClientOptions {
  discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
  fetchApi?: { fetch: typeof fetch };
}

/**
 * Typed HTTP client of the Ownops backend, usable from the frontend (with
 * `fetchApiRef`, which adds the user's token) and from other backends (pass
 * `token`).
 *
 * @public
 */
export class OwnopsClient implements OwnopsApi {
  private readonly discoveryApi: OwnopsClientOptions['discoveryApi'];
  private readonly fetchApi: { fetch: typeof fetch };

  constructor(options: OwnopsClientOptions) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi ?? { fetch: globalThis.fetch };
  }

  getEnvironments(entityRef: string, options?: OwnopsRequestOptions) {
    return this.request<EntityEnvironments>(
      `${entityPath(entityRef)}/environments`,
      options,
    );
  }

  listVersions(
    entityRef: string,
    environment: string,
    options?: OwnopsRequestOptions,
  ) {
    return this.request<VersionList>(
      `${entityPath(entityRef)}/environments/${encodeURIComponent(
        environment,
      )}/versions`,
      options,
    );
  }

  listExternalDeployments(
    entityRef: string,
    environment: string,
    options?: OwnopsRequestOptions,
  ) {
    return this.request<ExternalDeploymentList>(
      `${entityPath(entityRef)}/environments/${encodeURIComponent(
        environment,
      )}/external-deployments`,
      options,
    );
  }

  createDeployment(
    entityRef: string,
    request: CreateDeploymentRequest,
    options?: OwnopsRequestOptions & { idempotencyKey?: string },
  ) {
    return this.request<Deployment>(
      `${entityPath(entityRef)}/deployments`,
      options,
      {
        method: 'POST',
        body: request,
        headers: options?.idempotencyKey
          ? { 'Idempotency-Key': options.idempotencyKey }
          : undefined,
      },
    );
  }

  listDeployments(
    entityRef: string,
    query: ListDeploymentsQuery = {},
    options?: OwnopsRequestOptions,
  ) {
    return this.request<DeploymentPage>(
      `${entityPath(entityRef)}/deployments${toQueryString(query)}`,
      options,
    );
  }

  getDeploymentStats(
    entityRef: string,
    query: { days?: number } = {},
    options?: OwnopsRequestOptions,
  ) {
    return this.request<DeploymentStats>(
      `${entityPath(entityRef)}/deployment-stats${toQueryString(query)}`,
      options,
    );
  }

  getDeployment(id: number, options?: OwnopsRequestOptions) {
    return this.request<Deployment>(`/deployments/${id}`, options);
  }

  getDeploymentLogs(
    id: number,
    query: { after?: number } = {},
    options?: OwnopsRequestOptions,
  ) {
    return this.request<DeploymentLogs>(
      `/deployments/${id}/logs${toQueryString(query)}`,
      options,
    );
  }

  rollbackTo(
    id: number,
    request: RollbackRequest = {},
    options?: OwnopsRequestOptions,
  ) {
    return this.request<Deployment>(`/deployments/${id}/rollback`, options, {
      method: 'POST',
      body: request,
    });
  }

  approveDeployment(id: number, options?: OwnopsRequestOptions) {
    return this.request<Deployment>(`/deployments/${id}/approve`, options, {
      method: 'POST',
      body: {},
    });
  }

  cancelDeployment(id: number, options?: OwnopsRequestOptions) {
    return this.request<Deployment>(`/deployments/${id}/cancel`, options, {
      method: 'POST',
      body: {},
    });
  }

  listDeployTargets(options?: OwnopsRequestOptions) {
    return this.request<DeployTargetList>('/deploy-targets', options);
  }

  getBudget(entityRef: string, options?: OwnopsRequestOptions) {
    return this.request<BudgetResponse>(
      `${entityPath(entityRef)}/budget`,
      options,
    );
  }

  setBudget(
    entityRef: string,
    budget: BudgetInput,
    options?: OwnopsRequestOptions,
  ) {
    return this.request<BudgetResponse>(
      `${entityPath(entityRef)}/budget`,
      options,
      { method: 'PUT', body: budget },
    );
  }

  getEntityCost(
    entityRef: string,
    query: EntityCostQuery = {},
    options?: OwnopsRequestOptions,
  ) {
    return this.request<EntityCost>(
      `${entityPath(entityRef)}/cost${toQueryString(query)}`,
      options,
    );
  }

  getEntitySummary(entityRef: string, options?: OwnopsRequestOptions) {
    return this.request<EntitySummary>(
      `${entityPath(entityRef)}/summary`,
      options,
    );
  }

  async getGroupSummary(groupRef: string, options?: OwnopsRequestOptions) {
    return this.request<GroupSummary>(
      `${groupPath(groupRef)}/summary`,
      options,
    );
  }

  getEntityOnCall(entityRef: string, options?: OwnopsRequestOptions) {
    return this.request<EntityOnCall>(
      `${entityPath(entityRef)}/oncall`,
      options,
    );
  }

  async listOnCallOverrides(
    groupRef: string,
    query: { from?: string; to?: string } = {},
    options?: OwnopsRequestOptions,
  ) {
    return this.request<{ items: OnCallOverride[] }>(
      `${groupPath(groupRef)}/oncall-overrides${toQueryString(query)}`,
      options,
    );
  }

  async createOnCallOverride(
    groupRef: string,
    override: CreateOnCallOverrideRequest,
    options?: OwnopsRequestOptions,
  ) {
    return this.request<OnCallOverride>(
      `${groupPath(groupRef)}/oncall-overrides`,
      options,
      { method: 'POST', body: override },
    );
  }

  async deleteOnCallOverride(
    groupRef: string,
    id: number,
    options?: OwnopsRequestOptions,
  ) {
    await this.send(
      `${groupPath(groupRef)}/oncall-overrides/${encodeURIComponent(
        String(id),
      )}`,
      options,
      { method: 'DELETE' },
    );
  }

  getCostBreakdown(query: CostBreakdownQuery, options?: OwnopsRequestOptions) {
    return this.request<CostBreakdown>(
      `/cost/breakdown${toQueryString(query)}`,
      options,
    );
  }

  async getCostBreakdownCsv(
    query: CostBreakdownQuery,
    options?: OwnopsRequestOptions,
  ) {
    const response = await this.send(
      `/cost/breakdown${toQueryString({ ...query, format: 'csv' })}`,
      options,
    );
    return response.text();
  }

  getUnallocatedCost(
    query: { from?: IsoDay; to?: IsoDay } = {},
    options?: OwnopsRequestOptions,
  ) {
    return this.request<UnallocatedCost>(
      `/cost/unallocated${toQueryString(query)}`,
      options,
    );
  }

  listBudgetStatuses(
    query: { month?: string } = {},
    options?: OwnopsRequestOptions,
  ) {
    return this.request<BudgetStatusList>(
      `/budgets${toQueryString(query)}`,
      options,
    );
  }

  getCostIngestionStatus(options?: OwnopsRequestOptions) {
    return this.request<CostIngestionStatus>('/cost/ingestion', options);
  }

  startCostIngestion(options?: OwnopsRequestOptions) {
    return this.request<{ runs: CostIngestionRun[] }>(
      '/cost/ingestion',
      options,
      { method: 'POST', body: {} },
    );
  }

  private async request<T>(
    path: string,
    options: OwnopsRequestOptions | undefined,
    init: {
      method?: string;
      body?: unknown;
      headers?: Record<string, string>;
    } = {},
  ): Promise<T> {
    const response = await this.send(path, options, init);
    return (await response.json()) as T;
  }

  private async send(
    path: string,
    options: OwnopsRequestOptions | undefined,
    init: {
      method?: string;
      body?: unknown;
      headers?: Record<string, string>;
    } = {},
  ): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('ownops');
    const headers: Record<string, string> = { ...init.headers };
    if (init.body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    if (options?.token) {
      headers.Authorization = `Bearer ${options.token}`;
    }
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}

function entityPath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/entities/${[kind, namespace, name]
    .map(part => encodeURIComponent(part.toLocaleLowerCase('en-US')))
    .join('/')}`;
}

/** `/groups/{namespace}/{name}`; a TypeError (thrown in the promise) for a ref that is not a group. */
function groupPath(groupRef: string): string {
  const { kind, namespace, name } = parseEntityRef(groupRef, {
    defaultKind: 'group',
  });
  if (kind.toLocaleLowerCase('en-US') !== 'group') {
    throw new TypeError(`${groupRef} is not a group`);
  }
  return `/groups/${[namespace, name]
    .map(part => encodeURIComponent(part.toLocaleLowerCase('en-US')))
    .join('/')}`;
}

function toQueryString(query: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') {
      params.set(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
