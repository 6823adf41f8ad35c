import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const TASKS = 'ownops_task_health';

const migrationsDir = resolvePackagePath(
  '@ownops/backstage-plugin-backend',
  'migrations',
);

/** The last run of a scheduled task, whichever replica ran it. */
export interface TaskHealth {
  id: string;
  runs: number;
  failures: number;
  lastOutcome: 'running' | 'succeeded' | 'failed';
  lastReplica: string;
  lastStartedAt: string;
  lastFinishedAt?: string;
  lastError?: string;
}

type TaskRow = {
  task_id: string;
  runs: number | string;
  failures: number | string;
  last_outcome: TaskHealth['lastOutcome'];
  last_replica: string;
  last_started_at: number | string;
  last_finished_at: number | string | null;
  last_error: string | null;
};

const MAX_ERROR = 2000;

/** Records the runs of scheduled tasks in the database all replicas share. */
export class DatabaseTaskHealthStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseTaskHealthStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseTaskHealthStore(client);
  }

  /** For tests: migrates the client and returns a store over it. */
  static async createForTest(client: Knex): Promise<DatabaseTaskHealthStore> {
    await client.migrate.latest({ directory: migrationsDir });
    return new DatabaseTaskHealthStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async started(taskId: string, replica: string, now: Date): Promise<void> {
    await this.db(TASKS)
      .insert({
        task_id: taskId,
        runs: 1,
        failures: 0,
        last_outcome: 'running',
        last_replica: replica,
        last_started_at: now.getTime(),
        last_finished_at: null,
        last_error: null,
      })
      .onConflict('task_id')
      .merge({
        runs: this.db.raw('?? + 1', [`${TASKS}.runs`]),
        last_outcome: 'running',
        last_replica: replica,
        last_started_at: now.getTime(),
        last_finished_at: null,
        last_error: null,
      });
  }

  /** Records the end of the run `replica` started; a later run is left alone. */
  async finished(
    taskId: string,
    replica: string,
    startedAt: Date,
    outcome: { error?: string },
    now: Date,
  ): Promise<void> {
    const failed = outcome.error !== undefined;
    await this.db(TASKS)
      .where({
        task_id: taskId,
        last_replica: replica,
        last_started_at: startedAt.getTime(),
      })
      .update({
        last_outcome: failed ? 'failed' : 'succeeded',
        last_finished_at: now.getTime(),
        last_error: failed ? outcome.error!.slice(0, MAX_ERROR) : null,
        ...(failed && { failures: this.db.raw('failures + 1') }),
      });
  }

  async list(): Promise<TaskHealth[]> {
    const rows = await this.db<TaskRow>(TASKS).orderBy('task_id');
    return rows.map(row => ({
      id: row.task_id,
      runs: Number(row.runs),
      failures: Number(row.failures),
      lastOutcome: row.last_outcome,
      lastReplica: row.last_replica,
      lastStartedAt: new Date(Number(row.last_started_at)).toISOString(),
      ...(row.last_finished_at !== null && {
        lastFinishedAt: new Date(Number(row.last_finished_at)).toISOString(),
      }),
      ...(row.last_error !== null && { lastError: row.last_error }),
    }));
  }

  /** Throws when the database does not answer. */
  async ping(): Promise<void> {
    await this.db.raw('select 1');
  }
}
