import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';

/** The group told of every budget threshold reached when none is configured. */
export const DEFAULT_FINANCE_GROUP = 'group:default/finance';

export interface BudgetAlertConfig {
  /** Full, lower-cased ref of the entity notified besides the owners. */
  financeGroup: string;
}

/**
 * Reads `ownops.cost.budgetAlerts` (the schedule is read with the rest of
 * `ownops.cost`). `financeGroup` may be a short ref: `finance` means
 * `group:default/finance`.
 */
export function readBudgetAlertConfig(config: Config): BudgetAlertConfig {
  const key = 'ownops.cost.budgetAlerts.financeGroup';
  const value = config.getOptionalString(key) ?? DEFAULT_FINANCE_GROUP;
  let financeGroup: string;
  try {
    financeGroup = stringifyEntityRef(
      parseEntityRef(value.trim(), {
        defaultKind: 'group',
        defaultNamespace: 'default',
      }),
    );
  } catch (error) {
    throw new Error(
      `${key} must be an entity ref such as "group:default/finance", got "${value}": ${error}`,
    );
  }
  return { financeGroup: financeGroup.toLocaleLowerCase('en-US') };
}
