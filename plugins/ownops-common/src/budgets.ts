/**
 * A monthly budget of a component or group. Amounts are decimal strings so
 * money stays exact from the form to the database and back.
 *
 * @public
 */
export interface Budget {
  /** The component or group, e.g. `component:default/checkout-service`. */
  entityRef: string;
  /** The monthly amount, e.g. `"1500.00"`. */
  amount: string;
  /** ISO 4217 currency code, e.g. `USD`. */
  currency: string;
  /** Percentages of the amount at which owners and finance are alerted, ascending. */
  thresholds: number[];
  updatedBy: string;
  /** ISO 8601 timestamp. */
  updatedAt: string;
}

/** @public */
export interface BudgetInput {
  amount: string;
  currency: string;
  thresholds?: number[];
}

/** @public */
export interface BudgetResponse {
  /** Null when the entity has no budget yet. */
  budget: Budget | null;
  /**
   * Where the budget comes from: `set` through the API or the template,
   * `annotation` from the entity's `ownops.io/budget` annotation (changed
   * in its catalog-info.yaml only). Absent when there is no budget.
   */
  source?: 'set' | 'annotation';
}

/** @public */
export interface DeployTargetInfo {
  id: string;
  title?: string;
}

/** @public */
export interface DeployTargetList {
  targets: DeployTargetInfo[];
}

/** @public */
export const DEFAULT_BUDGET_THRESHOLDS: readonly number[] = [50, 80, 100];

/** @public */
export const MAX_BUDGET_THRESHOLDS = 10;

/**
 * A non-negative decimal with at most 12 integer and 4 fraction digits.
 *
 * @public
 */
export const BUDGET_AMOUNT_PATTERN = /^(0|[1-9]\d{0,11})(\.\d{1,4})?$/;

/** @public */
export const CURRENCY_PATTERN = /^[A-Z]{3}$/;

/**
 * Returns every problem with a budget, each naming its field; empty when
 * the budget is acceptable. Accepts numbers for `amount` (from forms) but
 * never negative, non-finite or non-numeric ones.
 *
 * @public
 */
export function validateBudgetInput(input: {
  amount?: unknown;
  currency?: unknown;
  thresholds?: unknown;
}): string[] {
  const problems: string[] = [];
  const amount = normalizeBudgetAmount(input.amount);
  if (amount === undefined) {
    problems.push(
      'amount must be a non-negative number with at most 12 digits before the point and 4 after, e.g. "1500.00"',
    );
  }
  if (
    typeof input.currency !== 'string' ||
    !CURRENCY_PATTERN.test(input.currency)
  ) {
    problems.push('currency must be a three-letter ISO 4217 code, e.g. "USD"');
  }
  if (input.thresholds !== undefined) {
    const thresholds = input.thresholds;
    if (
      !Array.isArray(thresholds) ||
      thresholds.length > MAX_BUDGET_THRESHOLDS ||
      thresholds.some(
        t => typeof t !== 'number' || !Number.isInteger(t) || t < 1 || t > 1000,
      )
    ) {
      problems.push(
        `thresholds must be at most ${MAX_BUDGET_THRESHOLDS} whole percentages between 1 and 1000`,
      );
    } else if (new Set(thresholds).size !== thresholds.length) {
      problems.push('thresholds must not repeat');
    }
  }
  return problems;
}

/**
 * The canonical decimal string of a budget amount, or undefined when it is
 * not a non-negative amount.
 *
 * @public
 */
export function normalizeBudgetAmount(amount: unknown): string | undefined {
  let text: string;
  if (typeof amount === 'number') {
    if (!Number.isFinite(amount) || amount < 0) return undefined;
    text = String(amount);
  } else if (typeof amount === 'string') {
    text = amount.trim();
  } else {
    return undefined;
  }
  return BUDGET_AMOUNT_PATTERN.test(text) ? text : undefined;
}
