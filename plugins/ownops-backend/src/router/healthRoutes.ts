import { HttpAuthService } from '@backstage/backend-plugin-api';
import { CostIngestionStatus } from '@ownops/backstage-plugin-common';
import express from 'express';
import Router from 'express-promise-router';
import { TaskHealth } from '../database/DatabaseTaskHealthStore';
import { ReplicaTroubles, Trouble } from '../health/ReplicaTroubles';
import { emptyBody, parse } from './schemas';

/** Troubles this recent make the status `degraded`. */
const RECENT_MS = 15 * 60_000;
const DATABASE_TIMEOUT_MS = 5000;

export interface HealthRoutesOptions {
  /** Runs of the scheduled tasks, from the database all replicas share. */
  tasks: { list(): Promise<TaskHealth[]>; ping(): Promise<void> };
  costSources: () => Promise<CostIngestionStatus>;
  troubles: ReplicaTroubles;
  replica: string;
  httpAuth: HttpAuthService;
  now?: () => Date;
}

/**
 * `GET /health`: whether this replica reaches the database, the last run of
 * each scheduled task and cost source (whichever replica ran it), and this
 * replica's recent troubles. Any signed-in user or service may read it; it
 * holds no secrets. 503 while the database is unreachable.
 */
export function healthRoutes(options: HealthRoutesOptions): express.Router {
  const { tasks, costSources, troubles, replica, httpAuth } = options;
  const now = options.now ?? (() => new Date());
  const router = Router();

  router.get('/health', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    parse(emptyBody, req.query, 'query');
    const checkedAt = now();
    let database: { reachable: boolean; error?: string };
    let taskRuns: TaskHealth[] | null = null;
    let sources: CostIngestionStatus['sources'] | null = null;
    try {
      await withTimeout(tasks.ping(), DATABASE_TIMEOUT_MS);
      [taskRuns, sources] = await withTimeout(
        Promise.all([tasks.list(), costSources().then(s => s.sources)]),
        DATABASE_TIMEOUT_MS,
      );
      database = { reachable: true };
    } catch (error) {
      troubles.record('health check of the database', error, checkedAt);
      database = { reachable: false, error: (error as Error).message };
    }
    const recent = troubles
      .list()
      .filter(t => checkedAt.getTime() - Date.parse(t.at) < RECENT_MS);
    res.status(database.reachable ? 200 : 503).json({
      status: statusOf(database.reachable, taskRuns, sources, recent),
      replica,
      checkedAt: checkedAt.toISOString(),
      database,
      tasks: taskRuns,
      costSources: sources,
      troubles: troubles.list(),
    });
  });

  return router;
}

function statusOf(
  reachable: boolean,
  tasks: TaskHealth[] | null,
  sources: CostIngestionStatus['sources'] | null,
  recentTroubles: Trouble[],
): 'ok' | 'degraded' | 'down' {
  if (!reachable) {
    return 'down';
  }
  const failing =
    tasks?.some(task => task.lastOutcome === 'failed') ||
    sources?.some(
      source => source.lastRun?.status === 'failed' || !!source.warning,
    );
  return failing || recentTroubles.length > 0 ? 'degraded' : 'ok';
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`The database did not answer within ${ms} ms`)),
        ms,
      );
    }),
  ]).finally(() => clearTimeout(timer));
}
