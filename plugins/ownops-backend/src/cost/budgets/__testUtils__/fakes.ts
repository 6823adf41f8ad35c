import { Budget } from '@ownops/backstage-plugin-common';
import {
  BudgetAlertClaim,
  BudgetAlertStore,
  StoredBudgetAlert,
} from '../../../database/BudgetAlertStore';
import { BudgetStore, NewBudget } from '../../../database/BudgetStore';
import {
  CostDimension,
  CostFilter,
  CostStore,
  CostSum,
} from '../../../database/CostStore';
import { addDecimalStrings } from '../../focus/decimal';

/** One daily rollup row for {@link fakeCosts}. */
export interface FakeCostRow {
  day: string;
  entityRef?: string;
  ownerRef?: string;
  currency?: string;
  effectiveCost: string;
}

/**
 * An in-memory `CostStore.sum` over daily rows: filters by range, entity,
 * owner, currency and `keys` (of day, entity or owner), groups by the given
 * dimensions and currency, adds exactly. Records each call.
 */
export function fakeCosts(rows: FakeCostRow[]) {
  const calls: Array<{ filter: CostFilter; groupBy: CostDimension[] }> = [];
  const costs: Pick<CostStore, 'sum'> = {
    async sum(filter, groupBy) {
      calls.push({ filter, groupBy });
      const groups = new Map<string, CostSum>();
      for (const row of rows) {
        const entityRef = row.entityRef?.toLocaleLowerCase('en-US') ?? null;
        const ownerRef = row.ownerRef?.toLocaleLowerCase('en-US') ?? null;
        const currency = row.currency ?? 'USD';
        if (row.day < filter.from || row.day >= filter.to) continue;
        if (
          filter.entityRef !== undefined &&
          entityRef !== filter.entityRef.toLocaleLowerCase('en-US')
        )
          continue;
        if (
          filter.ownerRef !== undefined &&
          ownerRef !== filter.ownerRef.toLocaleLowerCase('en-US')
        )
          continue;
        if (filter.currency !== undefined && currency !== filter.currency)
          continue;
        const values: Record<string, string | null> = {
          day: row.day,
          entityRef,
          ownerRef,
        };
        if (
          filter.keys !== undefined &&
          !filter.keys.values.includes(values[filter.keys.dimension] ?? null)
        )
          continue;
        const keys = Object.fromEntries(
          groupBy.map(d => [d, values[d] ?? null]),
        );
        const mapKey = JSON.stringify([keys, currency]);
        const previous = groups.get(mapKey);
        groups.set(mapKey, {
          ...keys,
          currency,
          billedCost: addDecimalStrings(
            previous?.billedCost ?? '0',
            row.effectiveCost,
          ),
          effectiveCost: addDecimalStrings(
            previous?.effectiveCost ?? '0',
            row.effectiveCost,
          ),
        });
      }
      return [...groups.values()];
    },
  };
  return { costs, calls };
}

/** An in-memory {@link BudgetStore}. */
export class InMemoryBudgetStore implements BudgetStore {
  readonly budgets = new Map<string, Budget>();

  constructor(budgets: NewBudget[] = []) {
    budgets.forEach(b => this.put(b, new Date('2026-11-01T09:00:00Z')));
  }

  async get(entityRef: string) {
    return this.budgets.get(entityRef.toLocaleLowerCase('en-US'));
  }

  async getMany(entityRefs: readonly string[]) {
    const found = new Map<string, Budget>();
    for (const ref of entityRefs) {
      const budget = this.budgets.get(ref.toLocaleLowerCase('en-US'));
      if (budget) found.set(budget.entityRef, budget);
    }
    return found;
  }

  async list() {
    return [...this.budgets.values()].sort((a, b) =>
      a.entityRef.localeCompare(b.entityRef),
    );
  }

  async upsert(budget: NewBudget, now: Date) {
    return this.put(budget, now);
  }

  async delete(entityRef: string) {
    return this.budgets.delete(entityRef.toLocaleLowerCase('en-US'));
  }

  private put(budget: NewBudget, now: Date): Budget {
    const stored = {
      ...budget,
      entityRef: budget.entityRef.toLocaleLowerCase('en-US'),
      updatedAt: now.toISOString(),
    };
    this.budgets.set(stored.entityRef, stored);
    return stored;
  }
}

/** An in-memory {@link BudgetAlertStore} with the same claim rule. */
export class InMemoryBudgetAlertStore implements BudgetAlertStore {
  readonly rows: StoredBudgetAlert[] = [];

  async alertedThresholds(month: string) {
    const result = new Map<string, Set<number>>();
    for (const row of this.rows.filter(r => r.month === month)) {
      result.set(
        row.entityRef,
        (result.get(row.entityRef) ?? new Set()).add(row.threshold),
      );
    }
    return result;
  }

  async claim(alert: BudgetAlertClaim, now: Date) {
    const entityRef = alert.entityRef.toLocaleLowerCase('en-US');
    if (
      this.rows.some(
        r =>
          r.entityRef === entityRef &&
          r.month === alert.month &&
          r.threshold === alert.threshold,
      )
    ) {
      return false;
    }
    this.rows.push({ ...alert, entityRef, createdAt: now.toISOString() });
    return true;
  }

  async list(filter: { entityRef?: string; month?: string } = {}) {
    return this.rows.filter(
      r =>
        (filter.entityRef === undefined ||
          r.entityRef === filter.entityRef.toLocaleLowerCase('en-US')) &&
        (filter.month === undefined || r.month === filter.month),
    );
  }
}
