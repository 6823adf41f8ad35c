import { parseEntityRef } from '@backstage/catalog-model';
import { BudgetStatus } from '@ownops/backstage-plugin-common';
import { CostFilter, CostStore, CostSum } from '../../database/CostStore';
import { computeBudgetStatus } from './budgetStatus';
import { EffectiveBudget } from './EffectiveBudgets';
import { IsoMonth, monthRange } from './month';

/**
 * Which cost rows count against the budget of an entity: a component's own
 * rows, a group's owned rows (whose owner tag names the group).
 */
export function costScopeOf(
  entityRef: string,
): Pick<CostFilter, 'entityRef' | 'ownerRef'> {
  return parseEntityRef(entityRef).kind.toLocaleLowerCase('en-US') === 'group'
    ? { ownerRef: entityRef }
    : { entityRef };
}

/** The status of one budget in a month: one sum query. */
export async function budgetStatusOf(
  costs: Pick<CostStore, 'sum'>,
  effective: EffectiveBudget,
  month: IsoMonth,
  today: Date,
): Promise<BudgetStatus> {
  const daily = await costs.sum(
    { ...monthRange(month), ...costScopeOf(effective.budget.entityRef) },
    ['day'],
  );
  return computeBudgetStatus({
    budget: effective.budget,
    source: effective.source,
    month,
    daily,
    today,
  });
}

/**
 * The most refs a sum of {@link budgetStatusesOf} lists in its filter;
 * beyond that it sums the whole month, every entity or owner.
 */
export const MAX_KEYED_BUDGET_REFS = 500;

/**
 * The status of many budgets in a month, with at most two sum queries
 * (per entity and day, per owner and day) whatever the number of budgets.
 * Each sum covers only the budgets' refs (a `keys` filter) when there are
 * at most {@link MAX_KEYED_BUDGET_REFS} of them. Returned in the order of
 * `budgets`.
 */
export async function budgetStatusesOf(
  costs: Pick<CostStore, 'sum'>,
  budgets: EffectiveBudget[],
  month: IsoMonth,
  today: Date,
): Promise<BudgetStatus[]> {
  const scopes = budgets.map(b => costScopeOf(b.budget.entityRef));
  const range = monthRange(month);
  const sumOf = async (dimension: 'entityRef' | 'ownerRef') => {
    const refs = [
      ...new Set(
        scopes.flatMap(scope => {
          const ref = scope[dimension];
          return ref ? [ref.toLocaleLowerCase('en-US')] : [];
        }),
      ),
    ];
    if (refs.length === 0) return [];
    // Cost rows keep lower-cased refs, as budgets do.
    const keys =
      refs.length <= MAX_KEYED_BUDGET_REFS
        ? { keys: { dimension, values: refs } }
        : {};
    return costs.sum({ ...range, ...keys }, [dimension, 'day']);
  };
  const [byEntity, byOwner] = await Promise.all([
    sumOf('entityRef'),
    sumOf('ownerRef'),
  ]);
  const entityDays = groupBy(byEntity, 'entityRef');
  const ownerDays = groupBy(byOwner, 'ownerRef');
  return budgets.map((effective, index) => {
    const { entityRef, ownerRef } = scopes[index];
    const daily = entityRef
      ? entityDays.get(entityRef) ?? []
      : ownerDays.get(ownerRef!) ?? [];
    return computeBudgetStatus({
      budget: effective.budget,
      source: effective.source,
      month,
      daily,
      today,
    });
  });
}

function groupBy(
  sums: CostSum[],
  dimension: 'entityRef' | 'ownerRef',
): Map<string, CostSum[]> {
  const result = new Map<string, CostSum[]>();
  for (const sum of sums) {
    const key = sum[dimension]?.toLocaleLowerCase('en-US');
    if (!key) continue;
    const list = result.get(key) ?? [];
    list.push(sum);
    result.set(key, list);
  }
  return result;
}
