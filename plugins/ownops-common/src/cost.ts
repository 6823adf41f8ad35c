import { Budget } from './budgets';

/**
 * A UTC calendar day, `YYYY-MM-DD`. Ranges of days are end-exclusive.
 *
 * @public
 */
export type IsoDay = string;

/**
 * An exact decimal amount of money as a string, e.g. `"1234.5678"` or
 * `"-0.25"`. Never a JavaScript number; never mixed across currencies.
 *
 * @public
 */
export type DecimalString = string;

/** @public */
export interface CostAmount {
  currency: string;
  /** FOCUS BilledCost summed. */
  billedCost: DecimalString;
  /** FOCUS EffectiveCost summed (amortized, after discounts): what charts show. */
  effectiveCost: DecimalString;
}

/**
 * One day of cost for one service category and environment.
 *
 * @public
 */
export interface CostSeriesPoint extends CostAmount {
  day: IsoDay;
  serviceCategory: string;
  /** Null when the billing rows carried no environment tag. */
  environment: string | null;
}

/**
 * How a month's spend compares with a budget.
 *
 * - `forecast` is month-to-date plus the average daily effective cost of the
 *   {@link FORECAST_TRAILING_DAYS} calendar days ending at `dataThrough`
 *   (days without data count as zero, never before the 1st; a negative
 *   average counts as zero), times the days of the month after
 *   `dataThrough`. A month that has ended forecasts its month-to-date.
 * - Only costs in the budget's currency count; `otherCurrencies` lists the
 *   other currencies seen, which are never converted.
 *
 * @public
 */
export interface BudgetStatus {
  budget: Budget;
  /** `set` through the API or template, `annotation` from `ownops.io/budget`. */
  budgetSource: 'set' | 'annotation';
  /** `YYYY-MM`, UTC. */
  month: string;
  monthToDate: DecimalString;
  forecast: DecimalString;
  /** Last day with billing data in the month (inclusive), null if none. */
  dataThrough: IsoDay | null;
  /** Month-to-date as a percentage of the budget, one decimal. */
  percentUsed: number;
  forecastPercent: number;
  /** The budget's thresholds that month-to-date has reached, ascending. */
  thresholdsReached: number[];
  /** `over`: month-to-date ≥ 100 %; `at-risk`: forecast ≥ 100 %; else `ok`. */
  state: 'ok' | 'at-risk' | 'over';
  otherCurrencies: string[];
}

/** @public */
export const FORECAST_TRAILING_DAYS = 7;

/**
 * `GET /entities/:kind/:namespace/:name/cost`. For a component the rows
 * tagged with it; for a group the rows whose owner tag names the group.
 *
 * @public
 */
export interface EntityCost {
  entityRef: string;
  from: IsoDay;
  /** Exclusive. */
  to: IsoDay;
  environment?: string;
  series: CostSeriesPoint[];
  /** Per currency, over the range. */
  totals: CostAmount[];
  /** The environments that have any cost for this entity (whole history). */
  environments: string[];
  /** First and last day with cost for this entity, null if none. */
  dataRange: { first: IsoDay; last: IsoDay } | null;
  /** Null when the entity has no budget. */
  budgetStatus: BudgetStatus | null;
}

/** @public */
export interface EntityCostQuery {
  /** Defaults to 30 days before `to`. */
  from?: IsoDay;
  /** Exclusive; defaults to the day after the last day with data. */
  to?: IsoDay;
  environment?: string;
}

/** @public */
export const COST_GROUP_BY = [
  'owner',
  'costCenter',
  'entity',
  'system',
  'serviceCategory',
  'environment',
] as const;

/** @public */
export type CostGroupBy = (typeof COST_GROUP_BY)[number];

/** @public */
export interface CostBreakdownQuery {
  groupBy: CostGroupBy;
  /** Defaults to 30 days before `to`. */
  from?: IsoDay;
  /** Exclusive; defaults to the day after the last day with data. */
  to?: IsoDay;
  /** Only rows with this cost center. */
  costCenter?: string;
  /** Only rows owned by this group ref. */
  owner?: string;
}

/**
 * One group of a breakdown in one currency.
 *
 * @public
 */
export interface CostBreakdownRow {
  /**
   * The group's value: an entity or group ref, a cost center, a category or
   * an environment; null for rows without it (unallocated, untagged).
   */
  key: string | null;
  /** For refs: the catalog title or name, when the entity exists. */
  title?: string;
  currency: string;
  billedCost: DecimalString;
  effectiveCost: DecimalString;
  /** Effective cost over the previous period of equal length. */
  previousEffectiveCost: DecimalString;
  /** Percent change against the previous period; null when it was zero. */
  changePercent: number | null;
  /**
   * For `owner` and `entity`: the monthly budget pro-rated to the range
   * (amount × days in range ÷ days of each month), when the budget is in
   * this currency.
   */
  budgetForRange?: DecimalString;
}

/** @public */
export interface CostBreakdown {
  groupBy: CostGroupBy;
  from: IsoDay;
  to: IsoDay;
  previousFrom: IsoDay;
  previousTo: IsoDay;
  costCenter?: string;
  owner?: string;
  /** Sorted by effective cost, highest first, per currency. */
  rows: CostBreakdownRow[];
  /**
   * Daily effective cost per group key (for the stacked chart): the ten
   * costliest keys of each currency, and the rest of each day as one point
   * with `other: true` (and `key: null`).
   */
  series: Array<{
    day: IsoDay;
    key: string | null;
    /** The cost of every key outside the top ten that day. */
    other?: boolean;
    currency: string;
    effectiveCost: DecimalString;
  }>;
  totals: CostAmount[];
  /** Cost without entity or owner in the range, per currency. */
  unallocated: CostAmount[];
  /** The cost centers seen in the whole history, for the filter. */
  costCenters: string[];
  dataRange: { first: IsoDay; last: IsoDay } | null;
}

/** @public */
export interface UnallocatedResourceCost {
  /** ResourceId, else ResourceName, else ServiceName. */
  resource: string;
  currency: string;
  effectiveCost: DecimalString;
  records: number;
  /** `untagged` or `unknown-entity-tag`. */
  reasons: string[];
}

/**
 * `GET /cost/unallocated`: spend nobody owns yet, and what to tag first.
 *
 * @public
 */
export interface UnallocatedCost {
  from: IsoDay;
  to: IsoDay;
  totals: CostAmount[];
  /** Unallocated effective cost as a percentage of all, per currency. */
  share: Array<{ currency: string; percent: number }>;
  /** The costliest untagged resources of the billing periods in range. */
  topResources: UnallocatedResourceCost[];
}

/** @public */
export type CostIngestionTrigger = 'schedule' | 'manual';

/** @public */
export interface CostIngestionRun {
  id: number;
  source: string;
  trigger: CostIngestionTrigger;
  /** Entity ref of the user who asked, for manual runs. */
  requestedBy?: string;
  status: 'running' | 'succeeded' | 'failed';
  startedAt: string;
  finishedAt?: string;
  rowsRead: number;
  rowsRejected: number;
  /**
   * Deliveries of an export source found unchanged since they were stored,
   * and so not read again.
   */
  unchangedDeliveries?: number;
  /** Billing periods replaced, `YYYY-MM`. */
  billingPeriods: string[];
  /** Unallocated effective cost as a percentage of all read, per currency. */
  unallocatedShare: Array<{ currency: string; percent: number }>;
  /** Why the run failed, naming file, line and column for a malformed row. */
  error?: string;
}

/** @public */
export interface CostIngestionStatus {
  sources: Array<{
    id: string;
    /** Where the source reads (a folder, a bucket), when it says. */
    location?: string;
    lastRun: CostIngestionRun | null;
    /**
     * Why the source needs a look though its last run did not fail: it
     * found no billing rows, so the figures shown may be stale.
     */
    warning?: string;
  }>;
  /** Id of the scheduled task, for the scheduler's own status page. */
  schedule?: string;
}

/** @public */
export interface BudgetStatusList {
  month: string;
  items: Array<BudgetStatus & { title?: string }>;
}
