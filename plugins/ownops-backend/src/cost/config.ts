import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { readTagColumns } from '@ownops/backstage-plugin-node';
import { resolve as resolvePath } from 'node:path';
import { CostIngestionOptions } from './ingest/CostIngestion';

export interface CostConfig {
  /** The built-in focus-files sources: id, absolute folder and tag columns. */
  focusFiles: Array<{
    id: string;
    path: string;
    tagColumns: Record<string, string>;
  }>;
  ingestion: CostIngestionOptions;
  ingestionSchedule: SchedulerServiceTaskScheduleDefinition;
  budgetCheckSchedule: SchedulerServiceTaskScheduleDefinition;
}

const SOURCE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** AWS and Azure deliver FOCUS exports at least daily: three quiet days is news. */
const DEFAULT_DELIVERY_WARNING_AFTER_MS = 72 * 60 * 60 * 1000;

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
      return {
        id,
        path: resolvePath(source.getString('path')),
        tagColumns: readTagColumns(source, `ownops.cost.focusFiles[${index}]`),
      };
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
      deliveryWarningAfterMs: ingestion?.has('deliveryWarningAfter')
        ? durationToMilliseconds(
            readDurationFromConfig(ingestion, { key: 'deliveryWarningAfter' }),
          )
        : DEFAULT_DELIVERY_WARNING_AFTER_MS,
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
