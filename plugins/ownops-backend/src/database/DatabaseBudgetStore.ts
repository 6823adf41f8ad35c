import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Budget, BUDGET_AMOUNT_PATTERN } from '@ownops/backstage-plugin-common';
import { Knex } from 'knex';
import { BudgetStore, NewBudget } from './BudgetStore';
import { MAX_REFS_PER_QUERY } from './queryLimits';

const BUDGETS = 'ownops_budgets';

const migrationsDir = resolvePackagePath(
  '@ownops/backstage-plugin-backend',
  'migrations',
);

type BudgetRow = {
  entity_ref: string;
  /** PostgreSQL: numeric as a string ("1500.0000"); SQLite: the text stored. */
  amount: string;
  amount_scale: number | string;
  currency: string;
  thresholds: string;
  updated_by: string;
  updated_at: number | string;
};

/**
 * Knex-backed {@link BudgetStore} for SQLite and PostgreSQL.
 *
 * Amounts never pass through a JavaScript number: they are written as the
 * canonical decimal string and read back as the database's decimal text,
 * cut to the fraction digits the user wrote (`amount_scale`).
 */
export class DatabaseBudgetStore implements BudgetStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseBudgetStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseBudgetStore(client);
  }

  /** For tests: migrates the client and returns a store over it. */
  static async createForTest(client: Knex): Promise<DatabaseBudgetStore> {
    await client.migrate.latest({ directory: migrationsDir });
    return new DatabaseBudgetStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async get(entityRef: string): Promise<Budget | undefined> {
    const row = await this.db<BudgetRow>(BUDGETS)
      .where({ entity_ref: keyOf(entityRef) })
      .first();
    return row && toBudget(row);
  }

  async getMany(entityRefs: readonly string[]): Promise<Map<string, Budget>> {
    const budgets = new Map<string, Budget>();
    const keys = [...new Set(entityRefs.map(keyOf))];
    for (let i = 0; i < keys.length; i += MAX_REFS_PER_QUERY) {
      const rows = await this.db<BudgetRow>(BUDGETS).whereIn(
        'entity_ref',
        keys.slice(i, i + MAX_REFS_PER_QUERY),
      );
      for (const row of rows) {
        const budget = toBudget(row);
        budgets.set(budget.entityRef, budget);
      }
    }
    return budgets;
  }

  async list(): Promise<Budget[]> {
    const rows = await this.db<BudgetRow>(BUDGETS).orderBy('entity_ref');
    return rows.map(toBudget);
  }

  async upsert(budget: NewBudget, now: Date): Promise<Budget> {
    const match = BUDGET_AMOUNT_PATTERN.exec(budget.amount);
    if (!match) {
      throw new TypeError(
        `amount "${budget.amount}" is not a canonical decimal string`,
      );
    }
    const [row] = await this.db<BudgetRow>(BUDGETS)
      .insert({
        entity_ref: keyOf(budget.entityRef),
        amount: budget.amount,
        amount_scale: match[2] ? match[2].length - 1 : 0,
        currency: budget.currency,
        thresholds: JSON.stringify(budget.thresholds),
        updated_by: budget.updatedBy,
        updated_at: now.getTime(),
      })
      .onConflict('entity_ref')
      .merge([
        'amount',
        'amount_scale',
        'currency',
        'thresholds',
        'updated_by',
        'updated_at',
      ])
      .returning('*');
    return toBudget(row as BudgetRow);
  }

  async delete(entityRef: string): Promise<boolean> {
    const count = await this.db(BUDGETS)
      .where({ entity_ref: keyOf(entityRef) })
      .delete();
    return count > 0;
  }
}

function keyOf(entityRef: string): string {
  return entityRef.toLocaleLowerCase('en-US');
}

/**
 * The stored decimal with exactly `scale` fraction digits. The database may
 * pad with zeros (PostgreSQL's numeric(16,4) gives "1500.0000"); any other
 * digit beyond the scale means the row was changed outside this store.
 */
export function formatAmount(stored: unknown, scale: number): string {
  if (typeof stored !== 'string') {
    throw new TypeError(
      `ownops_budgets.amount came back as ${typeof stored}, not as decimal text; a custom type parser would make money inexact`,
    );
  }
  const [whole, fraction = ''] = stored.split('.');
  if (!/^\d+$/.test(whole) || !/^\d*$/.test(fraction)) {
    throw new TypeError(`ownops_budgets.amount "${stored}" is not a decimal`);
  }
  if (/[^0]/.test(fraction.slice(scale))) {
    throw new TypeError(
      `ownops_budgets.amount "${stored}" has more than ${scale} fraction digits`,
    );
  }
  return scale > 0
    ? `${whole}.${fraction.padEnd(scale, '0').slice(0, scale)}`
    : whole;
}

function toBudget(row: BudgetRow): Budget {
  return {
    entityRef: row.entity_ref,
    amount: formatAmount(row.amount, Number(row.amount_scale)),
    currency: row.currency.trim(),
    thresholds: JSON.parse(row.thresholds) as number[],
    updatedBy: row.updated_by,
    updatedAt: new Date(Number(row.updated_at)).toISOString(),
  };
}
