import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import {
  BudgetAlertClaim,
  BudgetAlertStore,
  StoredBudgetAlert,
} from './BudgetAlertStore';

const ALERTS = 'ownops_budget_alerts';

const migrationsDir = resolvePackagePath(
  '@ownops/backstage-plugin-backend',
  'migrations',
);

type AlertRow = {
  entity_ref: string;
  month: string;
  threshold: number | string;
  currency: string;
  budget_amount: string;
  month_to_date: string;
  created_at: number | string;
};

/**
 * Knex-backed {@link BudgetAlertStore} for SQLite and PostgreSQL. A claim is
 * `INSERT … ON CONFLICT (entity_ref, month, threshold) DO NOTHING
 * RETURNING`: the primary key decides, so of any number of concurrent
 * claims of one threshold exactly one gets the row back.
 */
export class DatabaseBudgetAlertStore implements BudgetAlertStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseBudgetAlertStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseBudgetAlertStore(client);
  }

  /** For tests: migrates the client and returns a store over it. */
  static async createForTest(client: Knex): Promise<DatabaseBudgetAlertStore> {
    await client.migrate.latest({ directory: migrationsDir });
    return new DatabaseBudgetAlertStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async alertedThresholds(month: string): Promise<Map<string, Set<number>>> {
    const rows = await this.db<AlertRow>(ALERTS)
      .where({ month })
      .select('entity_ref', 'threshold');
    const result = new Map<string, Set<number>>();
    for (const row of rows) {
      const thresholds = result.get(row.entity_ref) ?? new Set<number>();
      thresholds.add(Number(row.threshold));
      result.set(row.entity_ref, thresholds);
    }
    return result;
  }

  async claim(alert: BudgetAlertClaim, now: Date): Promise<boolean> {
    const inserted = await this.db<AlertRow>(ALERTS)
      .insert({
        entity_ref: keyOf(alert.entityRef),
        month: alert.month,
        threshold: alert.threshold,
        currency: alert.currency,
        budget_amount: alert.budgetAmount,
        month_to_date: alert.monthToDate,
        created_at: now.getTime(),
      })
      .onConflict(['entity_ref', 'month', 'threshold'])
      .ignore()
      .returning('entity_ref');
    return inserted.length === 1;
  }

  async list(
    filter: { entityRef?: string; month?: string } = {},
  ): Promise<StoredBudgetAlert[]> {
    const query = this.db<AlertRow>(ALERTS);
    if (filter.entityRef !== undefined) {
      query.where({ entity_ref: keyOf(filter.entityRef) });
    }
    if (filter.month !== undefined) {
      query.where({ month: filter.month });
    }
    const rows = await query.orderBy([
      'created_at',
      'entity_ref',
      'month',
      'threshold',
    ]);
    return rows.map(row => ({
      entityRef: row.entity_ref,
      month: row.month,
      threshold: Number(row.threshold),
      currency: row.currency.trim(),
      budgetAmount: row.budget_amount,
      monthToDate: row.month_to_date,
      createdAt: new Date(Number(row.created_at)).toISOString(),
    }));
  }
}

function keyOf(entityRef: string): string {
  return entityRef.toLocaleLowerCase('en-US');
}
