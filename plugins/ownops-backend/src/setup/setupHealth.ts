import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DatabaseTaskHealthStore } from '../database/DatabaseTaskHealthStore';
import { ReplicaTroubles } from '../health/ReplicaTroubles';
import { TaskTracking } from '../health/trackedTask';
import { OwnopsDeps } from './OwnopsDeps';

/**
 * This replica's id, the record of scheduled task runs shared by all
 * replicas, and this replica's own recent troubles.
 */
export async function setupHealth(deps: OwnopsDeps): Promise<TaskTracking> {
  return {
    replica: `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
    store: await DatabaseTaskHealthStore.create({ database: deps.database }),
    troubles: new ReplicaTroubles(),
    logger: deps.logger,
  };
}
