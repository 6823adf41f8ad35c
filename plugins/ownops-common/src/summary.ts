import { BudgetStatus, CostAmount, DecimalString } from './cost';
import { EntityOnCall } from './oncall';
import { DeploymentKind, DeploymentStatus } from './types';

/**
 * One section of a summary: its data, or why it is missing. Sections load
 * concurrently, each with its own deadline; one failing section never fails
 * the others.
 *
 * @public
 */
export type SummarySection<T> =
  | { status: 'ok'; data: T }
  | { status: 'error'; error: string }
  | { status: 'timeout'; error: string };

/**
 * The last deployment of an environment, as the summary shows it.
 *
 * @public
 */
export interface SummaryDeployment {
  id: number;
  version: string;
  status: DeploymentStatus;
  kind: DeploymentKind;
  /** ISO 8601 UTC. */
  finishedAt?: string;
  requestedBy: string;
}

/** @public */
export interface SummaryEnvironment {
  environment: string;
  /** The version of the last successful deployment, null when none. */
  currentVersion: string | null;
  lastDeployment?: SummaryDeployment;
}

/** @public */
export interface SummaryCost {
  /** `YYYY-MM`, UTC. */
  month: string;
  /** Per currency, from the 1st of the month to today (UTC). */
  monthToDate: CostAmount[];
  /** Null when the entity has no budget. */
  budgetStatus: BudgetStatus | null;
}

/**
 * The on-call section: who is on call now (and next) for the entity.
 *
 * @public
 */
export type SummaryOnCall = Pick<
  EntityOnCall,
  'provider' | 'now' | 'next' | 'url' | 'handoffAt'
>;

/**
 * `GET /entities/{kind}/{namespace}/{name}/summary`.
 *
 * @public
 */
export interface EntitySummary {
  entityRef: string;
  /** ISO 8601 UTC. */
  generatedAt: string;
  deployments: SummarySection<SummaryEnvironment[]>;
  cost: SummarySection<SummaryCost>;
  oncall: SummarySection<SummaryOnCall>;
}

/**
 * One currency of a group's cost: month-to-date effective cost of the
 * group (rows whose owner tag names it) against its budgets. Currencies are
 * never converted or mixed.
 *
 * @public
 */
export interface GroupCostCurrency {
  currency: string;
  /** Effective cost this month of the rows owned by the group. */
  monthToDate: DecimalString;
  /** The group's own budget, when it is in this currency. */
  groupBudget?: DecimalString;
  /** The budgets of the group's components in this currency, summed. */
  componentBudgets?: DecimalString;
  /** Month-to-date of those components (in their budget's currency), summed. */
  componentsMonthToDate?: DecimalString;
  /** How many of the group's components have a budget in this currency. */
  componentsWithBudget: number;
}

/** @public */
export interface GroupCost {
  /** `YYYY-MM`, UTC. */
  month: string;
  currencies: GroupCostCurrency[];
  /** Null when the group has no budget. */
  groupBudgetStatus: BudgetStatus | null;
  /** Components whose budget status could not be read (e.g. no permission). */
  componentsUnreadable: string[];
}

/** @public */
export interface GroupDeployments {
  /** ISO 8601 UTC: the start of the 7-day window. */
  since: string;
  deploymentsThisWeek: number;
  failedDeploymentsThisWeek: number;
  perService: Array<{
    entityRef: string;
    deployments: number;
    failed: number;
  }>;
}

/**
 * `GET /groups/{namespace}/{name}/summary`. The group's services are the
 * catalog components whose `spec.owner` is the group.
 *
 * @public
 */
export interface GroupSummary {
  groupRef: string;
  /** ISO 8601 UTC. */
  generatedAt: string;
  /** The components owned by the group that the caller can see. */
  entities: number;
  services: Array<{ entityRef: string; title?: string }>;
  deployments: SummarySection<GroupDeployments>;
  cost: SummarySection<GroupCost>;
  oncall: SummarySection<SummaryOnCall>;
}
