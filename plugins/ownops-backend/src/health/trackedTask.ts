import { LoggerService } from '@backstage/backend-plugin-api';
import { DatabaseTaskHealthStore } from '../database/DatabaseTaskHealthStore';
import { ReplicaTroubles } from './ReplicaTroubles';
import { retryWithBackoff } from './retryWithBackoff';

export interface TaskTracking {
  store: DatabaseTaskHealthStore;
  troubles: ReplicaTroubles;
  logger: LoggerService;
  /** This replica's id, recorded with each run. */
  replica: string;
}

/**
 * Wraps a scheduled task so each run is recorded for GET /health: start,
 * finish, outcome and error, with the replica that ran it. Recording never
 * fails the task; a run whose finish could not be recorded shows as still
 * running from that replica until the next run.
 */
export function trackedTask(
  id: string,
  tracking: TaskTracking,
  work: () => Promise<void>,
): () => Promise<void> {
  const { store, troubles, logger, replica } = tracking;
  return async () => {
    const startedAt = new Date();
    logger.info(`Scheduled task ${id} started on replica ${replica}`, {
      taskRun: id,
    });
    await store
      .started(id, replica, startedAt)
      .catch(error => troubles.record(`recording the start of ${id}`, error));
    let failure: Error | undefined;
    try {
      await work();
    } catch (error) {
      failure = error as Error;
      troubles.record(id, error);
    }
    await retryWithBackoff(
      `recording the end of ${id}`,
      () =>
        store.finished(
          id,
          replica,
          startedAt,
          { error: failure?.message },
          new Date(),
        ),
      { troubles, logger, attempts: 5 },
    ).catch(() => {});
    logger.info(
      `Scheduled task ${id} ${
        failure ? 'failed' : 'succeeded'
      } on replica ${replica}`,
      { taskRun: id },
    );
    if (failure) {
      throw failure;
    }
  };
}
