import { Budget } from '@ownops/backstage-plugin-common';

/** A validated budget about to be stored. */
export interface NewBudget {
  /** Ref of a component or group; the store lower-cases it. */
  entityRef: string;
  /** Canonical decimal string, e.g. `"1500.00"` (see `normalizeBudgetAmount`). */
  amount: string;
  /** ISO 4217 code, e.g. `USD`. */
  currency: string;
  /** Whole percentages, ascending, without repeats. */
  thresholds: number[];
  updatedBy: string;
}

/** Persistence of the monthly budget of each component or group. */
export interface BudgetStore {
  get(entityRef: string): Promise<Budget | undefined>;
  /**
   * The stored budgets of many entities, in one query per 500 refs (none
   * for an empty list), keyed by lower-cased ref; refs without a budget are
   * absent.
   */
  getMany(entityRefs: readonly string[]): Promise<Map<string, Budget>>;
  /** Every stored budget, ordered by entity ref. */
  list(): Promise<Budget[]>;
  /** Creates or replaces the budget of `budget.entityRef` in one statement. */
  upsert(budget: NewBudget, now: Date): Promise<Budget>;
  /** Removes a budget; false when there was none. */
  delete(entityRef: string): Promise<boolean>;
}
