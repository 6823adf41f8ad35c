/** A budget threshold reached in a month, as recorded when it is alerted. */
export interface BudgetAlertClaim {
  /** Ref of the component or group; the store lower-cases it. */
  entityRef: string;
  /** `YYYY-MM`, UTC. */
  month: string;
  /** Percent of the budget. */
  threshold: number;
  /** ISO 4217 code of the budget. */
  currency: string;
  /** The budget amount at the time, exact decimal string. */
  budgetAmount: string;
  /** Month-to-date cost at the time, exact decimal string. */
  monthToDate: string;
}

export interface StoredBudgetAlert extends BudgetAlertClaim {
  /** ISO 8601 timestamp. */
  createdAt: string;
}

/**
 * The budget thresholds already alerted, at most one row per entity, month
 * and threshold. The database decides who alerts: {@link claim} inserts the
 * row and only the caller whose insert created it may notify, so two
 * replicas or two runs never alert the same threshold twice.
 */
export interface BudgetAlertStore {
  /** The thresholds alerted in a month, by lower-cased entity ref. */
  alertedThresholds(month: string): Promise<Map<string, Set<number>>>;
  /**
   * Records an alert unless one exists for its entity, month and threshold.
   * True only for the call whose insert created the row.
   */
  claim(alert: BudgetAlertClaim, now: Date): Promise<boolean>;
  /** Recorded alerts, oldest first. */
  list(filter?: {
    entityRef?: string;
    month?: string;
  }): Promise<StoredBudgetAlert[]>;
}
