import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import {
  CostIngestionRun,
  CostIngestionStatus,
  CostIngestionTrigger,
  OwnerTagKeys,
} from '@ownops/backstage-plugin-common';
import { CostSource } from '@ownops/backstage-plugin-node';
import { CostStore } from '../../database/CostStore';
import { ReplicaTroubles } from '../../health/ReplicaTroubles';
import { retryWithBackoff } from '../../health/retryWithBackoff';
import { collectCost, CostCollectionError } from './collectCost';

export interface CostIngestionOptions {
  /** Unallocated resources kept per billing period and currency. */
  topUnallocated: number;
  /** Whole months before the current one that sources are asked for. */
  lookbackMonths: number;
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
      sources: CostSource[];
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
    return {
      sources: this.deps.sources.map(({ id, location }) => {
        const lastRun = runs.get(id) ?? null;
        const warning = sourceWarning(id, location, lastRun);
        return {
          id,
          ...(location && { location }),
          lastRun,
          ...(warning && { warning }),
        };
      }),
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
    source: CostSource,
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
    source: CostSource,
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
      const collected = await collectCost(source.read(this.window()), {
        keys: this.deps.keys,
        topUnallocated: options.topUnallocated,
      });
      rowsRead = collected.rowsRead;
      await store.replaceBillingPeriods({
        source: source.id,
        billingPeriods: collected.billingPeriods,
        rollups: collected.rollups,
        unallocated: collected.unallocated,
      });
      const finished = await this.finishRun(run.id, {
        status: 'succeeded',
        rowsRead,
        rowsRejected: 0,
        billingPeriods: collected.billingPeriods,
        unallocatedShare: collected.unallocatedShare,
      });
      await event.success({
        meta: {
          rowsRead,
          billingPeriods: collected.billingPeriods,
          rollups: collected.rollups.length,
        },
      });
      logger.info(
        `Ingested ${rowsRead} cost rows from ${
          source.id
        } into billing periods ${
          collected.billingPeriods.join(', ') || 'none'
        }`,
      );
      return finished;
    } catch (error) {
      const message = (error as Error).message;
      const rejectedRow = error instanceof CostCollectionError;
      if (rejectedRow) {
        rowsRead = error.rowsRead;
      }
      logger.warn(
        `Cost ingestion of ${source.id} failed; nothing of it was stored: ${message}`,
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
  if (lastRun?.status !== 'succeeded' || lastRun.rowsRead > 0) {
    return undefined;
  }
  return `The last run of ${id} found no billing rows in ${
    location ?? 'its location'
  }: check that the export still delivers there, in a format the source reads. Cost figures are those of earlier runs.`;
}
