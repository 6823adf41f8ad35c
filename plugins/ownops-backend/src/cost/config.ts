import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { resolve as resolvePath } from 'node:path';
import { CostIngestionOptions } from './ingest/CostIngestion';

export interface CostConfig {
  /** The built-in focus-files sources: id and absolute folder. */
  focusFiles: Array<{ id: string; path: string }>;
  ingestion: CostIngestionOptions;
  ingestionSchedule: SchedulerServiceTaskScheduleDefinition;
  budgetCheckSchedule: SchedulerServiceTaskScheduleDefinition;
}

const SOURCE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Reads `ownops.cost`; relative folders resolve against the backend's working directory. */
export function readCostConfig(config: Config): CostConfig {
  const cost = config.getOptionalConfig('ownops.cost');
  const focusFiles = (cost?.getOptionalConfigArray('focusFiles') ?? []).map(
    (source, index) => {
      const id = source.getOptionalString('id') ?? `focus-files-${index + 1}`;
      if (!SOURCE_ID.test(id)) {
        throw new Error(
          `ownops.cost.focusFiles[${index}].id must be lower-case letters, digits and dashes, got "${id}"`,
        );
      }
      return { id, path: resolvePath(source.getString('path')) };
    },
  );
  const ingestion = cost?.getOptionalConfig('ingestion');
  const schedule = (
    key: string,
    fallback: SchedulerServiceTaskScheduleDefinition,
  ) => {
    const section = cost?.getOptionalConfig(key);
    return section
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(section)
      : fallback;
  };
  return {
    focusFiles,
    ingestion: {
      lookbackMonths: ingestion?.getOptionalNumber('lookbackMonths') ?? 3,
      topUnallocated:
        ingestion?.getOptionalNumber('topUnallocatedResources') ?? 100,
      staleAfterMs: 2 * 60_000,
      heartbeatMs: 15_000,
    },
    ingestionSchedule: schedule('ingestion.schedule', {
      frequency: { hours: 6 },
      timeout: { hours: 1 },
      initialDelay: { seconds: 10 },
    }),
    budgetCheckSchedule: schedule('budgetAlerts.schedule', {
      frequency: { hours: 24 },
      timeout: { minutes: 15 },
      initialDelay: { minutes: 2 },
    }),
  };
}
