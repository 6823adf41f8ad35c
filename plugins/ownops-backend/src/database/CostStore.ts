import {
  CostIngestionRun,
  CostIngestionTrigger,
  IsoDay,
  UnallocatedResourceCost,
} from '@ownops/backstage-plugin-common';
import { DailyRollup } from '../cost/attribution';

/** The dimensions cost rollups can be grouped by. */
export type CostDimension =
  | 'day'
  | 'entityRef'
  | 'ownerRef'
  | 'costCenter'
  | 'environment'
  | 'serviceCategory';

/** Which rollups a query covers. Refs are compared lower-cased. */
export interface CostFilter {
  from: IsoDay;
  /** Exclusive. */
  to: IsoDay;
  entityRef?: string;
  ownerRef?: string;
  costCenter?: string;
  /** `null` selects rows without an environment. */
  environment?: string | null;
  currency?: string;
  /** Only rows with neither entity nor owner. */
  unallocatedOnly?: boolean;
  /** Only rows whose `dimension` is one of `values` (`null`: rows without it). */
  keys?: { dimension: CostDimension; values: Array<string | null> };
}

/** One group of a sum: the grouped dimensions, the currency and the amounts. */
export type CostSum = {
  [D in CostDimension]?: string | null;
} & {
  currency: string;
  /** Exact decimal strings, at most 9 fraction digits. */
  billedCost: string;
  effectiveCost: string;
};

/** A daily rollup together with the billing period it was billed in. */
export interface StoredRollup extends DailyRollup {
  /** `YYYY-MM`. */
  billingPeriod: string;
}

export interface StoredUnallocatedResource extends UnallocatedResourceCost {
  billingPeriod: string;
}

/** What one ingestion of one source produced, to be stored atomically. */
export interface BillingPeriodReplacement {
  source: string;
  /** Every billing period the source delivered; each replaces the stored one. */
  billingPeriods: string[];
  rollups: StoredRollup[];
  unallocated: StoredUnallocatedResource[];
  /** The export delivery these periods came from, remembered in the same transaction. */
  delivery?: { key: string; fingerprint: string; rowsRead: number; now: Date };
}

/** A delivery as it was when last ingested. */
export interface StoredDelivery {
  fingerprint: string;
  rowsRead: number;
  changedAt: Date;
}

export interface RunCounters {
  rowsRead: number;
  /** Deliveries of an export source left as they were: unchanged since stored. */
  unchangedDeliveries?: number;
  rowsRejected: number;
  billingPeriods: string[];
  unallocatedShare: Array<{ currency: string; percent: number }>;
}

/** Persistence of cost rollups and ingestion runs. */
export interface CostStore {
  /**
   * In one transaction, deletes the rollups and unallocated resources of
   * `source` in each of `billingPeriods` and inserts the new ones.
   */
  replaceBillingPeriods(replacement: BillingPeriodReplacement): Promise<void>;
  /**
   * Sums effective and billed cost per currency and the given dimensions,
   * exactly. Currency is always a group key, so currencies never mix.
   */
  sum(filter: CostFilter, groupBy: CostDimension[]): Promise<CostSum[]>;
  /** First and last day with any rollup matching the filter, or null. */
  dataRange(
    filter: Omit<CostFilter, 'from' | 'to'>,
  ): Promise<{ first: IsoDay; last: IsoDay } | null>;
  /** Distinct non-null values of a dimension, sorted. */
  distinctValues(
    dimension: 'environment' | 'costCenter' | 'ownerRef' | 'entityRef',
    filter?: Omit<CostFilter, 'from' | 'to'>,
  ): Promise<string[]>;
  /**
   * The costliest unallocated resources of the billing periods from
   * `fromPeriod` to `toPeriod` (both `YYYY-MM`, inclusive), summed over
   * sources and periods, highest first per currency.
   */
  topUnallocated(
    fromPeriod: string,
    toPeriod: string,
    limit: number,
  ): Promise<UnallocatedResourceCost[]>;

  /**
   * Records the start of an ingestion of `source`. Returns undefined when
   * another run of that source is still running (on any replica) and has
   * beaten its heartbeat within `staleAfterMs`; a stale run is failed first.
   */
  startRun(options: {
    source: string;
    trigger: CostIngestionTrigger;
    requestedBy?: string;
    now: Date;
    staleAfterMs: number;
  }): Promise<CostIngestionRun | undefined>;
  heartbeatRun(id: number, now: Date): Promise<void>;
  finishRun(
    id: number,
    outcome: RunCounters &
      ({ status: 'succeeded' } | { status: 'failed'; error: string }),
    now: Date,
  ): Promise<CostIngestionRun>;
  /** The deliveries of a source as last ingested, by key. */
  deliveries(source: string): Promise<Map<string, StoredDelivery>>;
  /** The latest run of each given source (null for a source never run). */
  lastRuns(sources: string[]): Promise<Map<string, CostIngestionRun | null>>;
}
