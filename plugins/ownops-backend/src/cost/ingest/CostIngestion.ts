import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import {
  CostIngestionRun,
  CostIngestionStatus,
  CostIngestionTrigger,
  OwnerTagKeys,
} from '@ownops/backstage-plugin-common';
import { CostSource, FocusExportSource } from '@ownops/backstage-plugin-node';
import { CostStore, StoredDelivery } from '../../database/CostStore';
import { ReplicaTroubles } from '../../health/ReplicaTroubles';
import { retryWithBackoff } from '../../health/retryWithBackoff';
import { collectCost, CostCollectionError } from './collectCost';
import {
  DeliveryError,
  ingestDeliveries,
  isFocusExportSource,
} from './ingestDeliveries';

/** A source of cost records, or of FOCUS export deliveries. */
export type AnySource = CostSource | FocusExportSource;

export interface CostIngestionOptions {
  /** Unallocated resources kept per billing period and currency. */
  topUnallocated: number;
  /** Whole months before the current one that sources are asked for. */
  lookbackMonths: number;
  /**
   * An export source none of whose deliveries changed for longer than this
   * is warned about: its provider may have stopped exporting.
   */
  deliveryWarningAfterMs?: number;
  /** A run silent for longer than this is failed by the next start. */
  staleAfterMs: number;
  heartbeatMs: number;
}

/**
 * Ingests cost sources into the rollups: one run per source at a time
 * across replicas (the store decides), every billing period a source
 * delivered replaced in one transaction, nothing stored when a record is
 * malformed.
 */
export class CostIngestion {
  constructor(
    private readonly deps: {
      sources: AnySource[];
      store: CostStore;
      keys: OwnerTagKeys;
      logger: LoggerService;
      auditor: AuditorService;
      options: CostIngestionOptions;
      now?: () => Date;
      /** Where failed heartbeats and retried writes are reported. */
      troubles?: ReplicaTroubles;
    },
  ) {}

  sourceIds(): string[] {
    return this.deps.sources.map(source => source.id);
  }

  /** Runs every source in turn and waits; sources running elsewhere are skipped. */
  async runAll(): Promise<CostIngestionRun[]> {
    const finished: CostIngestionRun[] = [];
    for (const source of this.deps.sources) {
      const run = await this.startRun(source, 'schedule');
      if (run) {
        finished.push(await this.ingest(source, run));
      } else {
        this.deps.logger.info(
          `Cost source ${source.id} is being ingested elsewhere; skipped`,
        );
      }
    }
    return finished;
  }

  /**
   * Starts a run of every source for a user and returns at once with the
   * runs: new ones, or the ones already running. Ingestion goes on in the
   * background.
   */
  async startAll(requestedBy: string): Promise<CostIngestionRun[]> {
    const runs: CostIngestionRun[] = [];
    const busy: string[] = [];
    for (const source of this.deps.sources) {
      const run = await this.startRun(source, 'manual', requestedBy);
      if (run) {
        runs.push(run);
        this.ingest(source, run).catch(error =>
          this.deps.logger.error(
            `Cost ingestion run ${run.id} of ${source.id} failed to record its outcome`,
            error,
          ),
        );
      } else {
        busy.push(source.id);
      }
    }
    const running = await this.deps.store.lastRuns(busy);
    for (const run of running.values()) {
      if (run) runs.push(run);
    }
    return runs;
  }

  async status(): Promise<CostIngestionStatus> {
    const ids = this.sourceIds();
    const runs = await this.deps.store.lastRuns(ids);
    const now = this.now();
    return {
      sources: await Promise.all(
        this.deps.sources.map(async source => {
          const { id, location } = source;
          const lastRun = runs.get(id) ?? null;
          const warning =
            sourceWarning(id, location, lastRun) ??
            (isFocusExportSource(source)
              ? staleDeliveryWarning(
                  source,
                  await this.deps.store.deliveries(id),
                  now,
                  this.deps.options.deliveryWarningAfterMs,
                )
              : undefined);
          return {
            id,
            ...(location && { location }),
            lastRun,
            ...(warning && { warning }),
          };
        }),
      ),
    };
  }

  /** Records the outcome, retrying through a dropped database connection. */
  private finishRun(
    id: number,
    outcome: Parameters<CostStore['finishRun']>[1],
  ) {
    return retryWithBackoff(
      `recording the end of cost ingestion run ${id}`,
      () => this.deps.store.finishRun(id, outcome, this.now()),
      { troubles: this.deps.troubles, logger: this.deps.logger },
    );
  }

  private startRun(
    source: AnySource,
    trigger: CostIngestionTrigger,
    requestedBy?: string,
  ) {
    return this.deps.store.startRun({
      source: source.id,
      trigger,
      requestedBy,
      now: this.now(),
      staleAfterMs: this.deps.options.staleAfterMs,
    });
  }

  private async ingest(
    source: AnySource,
    run: CostIngestionRun,
  ): Promise<CostIngestionRun> {
    const { store, logger, options } = this.deps;
    const event = await this.deps.auditor.createEvent({
      eventId: 'cost-ingestion',
      severityLevel: 'medium',
      meta: {
        runId: run.id,
        source: source.id,
        trigger: run.trigger,
        ...(run.requestedBy && { requestedBy: run.requestedBy }),
      },
    });
    const heartbeat = setInterval(() => {
      store.heartbeatRun(run.id, this.now()).catch(error => {
        this.deps.troubles?.record(
          `heartbeat of cost ingestion run ${run.id}`,
          error,
        );
        logger.warn(`Heartbeat of cost ingestion run ${run.id} failed`, error);
      });
    }, options.heartbeatMs);
    let rowsRead = 0;
    try {
      const ingested = isFocusExportSource(source)
        ? await ingestDeliveries(source, {
            store,
            keys: this.deps.keys,
            topUnallocated: options.topUnallocated,
            now: () => this.now(),
          })
        : await this.ingestRecords(source);
      rowsRead = ingested.rowsRead;
      const finished = await this.finishRun(run.id, {
        status: 'succeeded',
        rowsRead,
        rowsRejected: 0,
        billingPeriods: ingested.billingPeriods,
        unallocatedShare: ingested.unallocatedShare,
        unchangedDeliveries: ingested.unchangedDeliveries,
      });
      await event.success({
        meta: {
          rowsRead,
          billingPeriods: ingested.billingPeriods,
          ...(ingested.unchangedDeliveries !== undefined && {
            unchangedDeliveries: ingested.unchangedDeliveries,
          }),
        },
      });
      logger.info(
        `Ingested ${rowsRead} cost rows from ${
          source.id
        } into billing periods ${ingested.billingPeriods.join(', ') || 'none'}${
          ingested.unchangedDeliveries
            ? `; ${ingested.unchangedDeliveries} unchanged deliveries skipped`
            : ''
        }`,
      );
      return finished;
    } catch (error) {
      const message = (error as Error).message;
      const collectionStopped = error instanceof CostCollectionError;
      if (collectionStopped) {
        rowsRead = error.rowsRead;
      }
      const rejectedRow =
        collectionStopped && !(error.cause instanceof DeliveryError);
      logger.warn(
        `Cost ingestion of ${source.id} failed; what it was reading was not stored: ${message}`,
      );
      await event.fail({ error: error as Error });
      return this.finishRun(run.id, {
        status: 'failed',
        error: message,
        rowsRead,
        rowsRejected: rejectedRow ? 1 : 0,
        billingPeriods: [],
        unallocatedShare: [],
      });
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** A record source: read whole, every billing period it delivered replaced at once. */
  private async ingestRecords(source: CostSource) {
    const collected = await collectCost(source.read(this.window()), {
      keys: this.deps.keys,
      topUnallocated: this.deps.options.topUnallocated,
    });
    await this.deps.store.replaceBillingPeriods({
      source: source.id,
      billingPeriods: collected.billingPeriods,
      rollups: collected.rollups,
      unallocated: collected.unallocated,
    });
    return { ...collected, unchangedDeliveries: undefined };
  }

  private window(): { start: Date; end: Date } {
    const now = this.now();
    const start = new Date(
      Date.UTC(
        now.getUTCFullYear(),
        now.getUTCMonth() - this.deps.options.lookbackMonths,
        1,
      ),
    );
    const end = new Date(
      Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1),
    );
    return { start, end };
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }
}

/**
 * A source whose last run succeeded but read no billing row: its files are
 * gone, moved or in a format it does not read, and the figures on screen
 * are those of an earlier run.
 */
export function sourceWarning(
  id: string,
  location: string | undefined,
  lastRun: CostIngestionRun | null,
): string | undefined {
  if (
    lastRun?.status !== 'succeeded' ||
    lastRun.rowsRead > 0 ||
    (lastRun.unchangedDeliveries ?? 0) > 0
  ) {
    return undefined;
  }
  return `The last run of ${id} found no billing rows in ${
    location ?? 'its location'
  }: check that the export still delivers there, in a format the source reads. Cost figures are those of earlier runs.`;
}

/**
 * An export source whose newest delivery was stored longer ago than
 * `afterMs`: the provider delivers daily or more often, so it may have
 * stopped exporting, and the figures are getting old.
 */
export function staleDeliveryWarning(
  source: FocusExportSource,
  stored: Map<string, StoredDelivery>,
  now: Date,
  afterMs: number | undefined,
): string | undefined {
  if (afterMs === undefined || stored.size === 0) {
    return undefined;
  }
  const newest = Math.max(
    ...[...stored.values()].map(d => d.changedAt.getTime()),
  );
  if (now.getTime() - newest <= afterMs) {
    return undefined;
  }
  return `No new delivery of ${source.id} in ${
    source.location
  } since ${new Date(
    newest,
  ).toISOString()}: check that the export still runs and delivers there.`;
}
