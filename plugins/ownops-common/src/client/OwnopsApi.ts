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

/**
 * A new on-call override: `userRef` (a member of the group) is on call from
 * `start` (inclusive) to `end` (exclusive), ISO 8601.
 *
 * @public
 */
export interface CreateOnCallOverrideRequest {
  userRef: string;
  start: string;
  end: string;
  reason?: string;
}

/** @public */
export interface OwnopsRequestOptions {
  /** A Backstage token, for callers outside the frontend (backends, scaffolder actions). */
  token?: string;
}

/**
 * The Ownops backend's API.
 *
 * @public
 */
export interface OwnopsApi {
  getEnvironments(
    entityRef: string,
    options?: OwnopsRequestOptions,
  ): Promise<EntityEnvironments>;
  listVersions(
    entityRef: string,
    environment: string,
    options?: OwnopsRequestOptions,
  ): Promise<VersionList>;
  listExternalDeployments(
    entityRef: string,
    environment: string,
    options?: OwnopsRequestOptions,
  ): Promise<ExternalDeploymentList>;
  createDeployment(
    entityRef: string,
    request: CreateDeploymentRequest,
    options?: OwnopsRequestOptions & { idempotencyKey?: string },
  ): Promise<Deployment>;
  listDeployments(
    entityRef: string,
    query?: ListDeploymentsQuery,
    options?: OwnopsRequestOptions,
  ): Promise<DeploymentPage>;
  getDeploymentStats(
    entityRef: string,
    query?: { days?: number },
    options?: OwnopsRequestOptions,
  ): Promise<DeploymentStats>;
  getDeployment(
    id: number,
    options?: OwnopsRequestOptions,
  ): Promise<Deployment>;
  getDeploymentLogs(
    id: number,
    query?: { after?: number },
    options?: OwnopsRequestOptions,
  ): Promise<DeploymentLogs>;
  /** Restores the version of deployment `id` (an earlier successful one). */
  rollbackTo(
    id: number,
    request?: RollbackRequest,
    options?: OwnopsRequestOptions,
  ): Promise<Deployment>;
  approveDeployment(
    id: number,
    options?: OwnopsRequestOptions,
  ): Promise<Deployment>;
  cancelDeployment(
    id: number,
    options?: OwnopsRequestOptions,
  ): Promise<Deployment>;
  /** The deploy targets the backend has configured. */
  listDeployTargets(options?: OwnopsRequestOptions): Promise<DeployTargetList>;
  /** The monthly budget of a component or group (`budget: null` when none is set). */
  getBudget(
    entityRef: string,
    options?: OwnopsRequestOptions,
  ): Promise<BudgetResponse>;
  /** Sets the monthly budget of a component or group; needs `ownops.budget.update`. */
  setBudget(
    entityRef: string,
    budget: BudgetInput,
    options?: OwnopsRequestOptions,
  ): Promise<BudgetResponse>;
  /** Daily cost of a component or group; needs `ownops.cost.read` on it or `ownops.cost.readAll`. */
  getEntityCost(
    entityRef: string,
    query?: EntityCostQuery,
    options?: OwnopsRequestOptions,
  ): Promise<EntityCost>;
  /** Cost grouped by owner, cost center, entity, system, category or environment; needs `ownops.cost.readAll`. */
  getCostBreakdown(
    query: CostBreakdownQuery,
    options?: OwnopsRequestOptions,
  ): Promise<CostBreakdown>;
  /** The same breakdown as CSV text (one row per group and currency). */
  getCostBreakdownCsv(
    query: CostBreakdownQuery,
    options?: OwnopsRequestOptions,
  ): Promise<string>;
  /** Spend without an owner and the costliest untagged resources; needs `ownops.cost.readAll`. */
  getUnallocatedCost(
    query?: { from?: IsoDay; to?: IsoDay },
    options?: OwnopsRequestOptions,
  ): Promise<UnallocatedCost>;
  /** Every budget with its month-to-date and forecast; needs `ownops.cost.readAll`. */
  listBudgetStatuses(
    query?: { month?: string },
    options?: OwnopsRequestOptions,
  ): Promise<BudgetStatusList>;
  /** The last ingestion run of each cost source; needs `ownops.cost.readAll` or `ownops.cost.ingest`. */
  getCostIngestionStatus(
    options?: OwnopsRequestOptions,
  ): Promise<CostIngestionStatus>;
  /** Starts ingesting every cost source now; needs `ownops.cost.ingest`. Answers once the runs have started. */
  startCostIngestion(
    options?: OwnopsRequestOptions,
  ): Promise<{ runs: CostIngestionRun[] }>;
  /**
   * Deployments per environment, month-to-date cost with the budget status and
   * who is on call now; each section is ok, or carries its own error or timeout.
   */
  getEntitySummary(
    entityRef: string,
    options?: OwnopsRequestOptions,
  ): Promise<EntitySummary>;
  /**
   * A group's services (components it owns), their deployments this week, cost
   * this month per currency against the budgets, and who is on call for it.
   */
  getGroupSummary(
    groupRef: string,
    options?: OwnopsRequestOptions,
  ): Promise<GroupSummary>;
  /** Who is on call for a component or group now, and who is next. */
  getEntityOnCall(
    entityRef: string,
    options?: OwnopsRequestOptions,
  ): Promise<EntityOnCall>;
  /** A group's on-call overrides overlapping `from`–`to` (default: now and the next 31 days). */
  listOnCallOverrides(
    groupRef: string,
    query?: { from?: string; to?: string },
    options?: OwnopsRequestOptions,
  ): Promise<{ items: OnCallOverride[] }>;
  /** Puts a member on call instead of the rotation; only members of the group may (403), 409 on overlap. */
  createOnCallOverride(
    groupRef: string,
    override: CreateOnCallOverrideRequest,
    options?: OwnopsRequestOptions,
  ): Promise<OnCallOverride>;
  /** Deletes an override; only members of the group may (403). */
  deleteOnCallOverride(
    groupRef: string,
    id: number,
    options?: OwnopsRequestOptions,
  ): Promise<void>;
}
