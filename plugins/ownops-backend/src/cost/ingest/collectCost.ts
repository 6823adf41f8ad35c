import { OwnerTagKeys } from '@ownops/backstage-plugin-common';
import { CostRecord } from '@ownops/backstage-plugin-node';
import {
  StoredRollup,
  StoredUnallocatedResource,
} from '../../database/CostStore';
import {
  addToRollups,
  attributeCostRecord,
  chargeDay,
  DailyRollup,
  UnallocatedTracker,
  utcDayOf,
} from '../attribution';
import { decimalToNanos } from '../money/nanos';

/** Everything one pass over a cost source produced, ready to be stored. */
export interface CollectedCost {
  /** Sorted `YYYY-MM`. */
  billingPeriods: string[];
  rollups: StoredRollup[];
  unallocated: StoredUnallocatedResource[];
  rowsRead: number;
  unallocatedShare: Array<{ currency: string; percent: number }>;
  /** Effective cost per currency, in nanos: all of it, and the unallocated part. */
  shares: EffectiveShares;
}

/** Per currency, effective cost in nanos: all of it and the unallocated part. */
export type EffectiveShares = Map<string, { all: bigint; unallocated: bigint }>;

/**
 * Why a pass over a source stopped, with the rows read before; the message
 * is the cause's (which names file, line and column where it can).
 */
export class CostCollectionError extends Error {
  constructor(readonly rowsRead: number, cause: Error) {
    super(cause.message, { cause });
    this.name = 'CostCollectionError';
  }
}

/** A record a source delivered that cannot be counted; names where it came from. */
export class CostRecordError extends Error {
  constructor(record: CostRecord, cause: Error) {
    const where = [
      record.source.file,
      record.source.line !== undefined && `line ${record.source.line}`,
      record.source.row !== undefined && `row ${record.source.row}`,
    ]
      .filter(Boolean)
      .join(' ');
    super(`${where ? `${where}: ` : ''}${cause.message}`);
    this.name = 'CostRecordError';
  }
}

/**
 * A record that stands for several bill rows summed: the same billing
 * period, charge day, currency, category, resource and tags, so it is
 * attributed and rolled up exactly as those rows would be one by one.
 */
export interface SummedCostRecord extends CostRecord {
  rows: number;
}

/** How many bill rows a record stands for. */
function rowsOf(record: CostRecord): number {
  return (record as Partial<SummedCostRecord>).rows ?? 1;
}

/**
 * The `YYYY-MM` invoice month of a record: its BillingPeriodStart, else the
 * month of its charge period start.
 */
export function billingPeriodOf(record: CostRecord): string {
  const start = record.billingPeriodStart;
  return start
    ? utcDayOf(start, 'billingPeriodStart').slice(0, 7)
    : chargeDay(record).slice(0, 7);
}

/**
 * Reads every record of a source once and sums it into daily rollups per
 * billing period, exactly. Memory grows with the number of distinct rollups
 * (days × entities × categories × environments), never with the rows.
 *
 * Throws a {@link CostCollectionError} on the first record that cannot be
 * counted (its cause a `FocusFormatError` from the reader or a
 * {@link CostRecordError}); then nothing of the pass may be stored.
 */
export async function collectCost(
  records: AsyncIterable<CostRecord>,
  options: {
    keys: OwnerTagKeys;
    /** Unallocated resources kept per billing period and currency. */
    topUnallocated: number;
  },
): Promise<CollectedCost> {
  const rollupsByPeriod = new Map<string, Map<string, DailyRollup>>();
  const trackers = new Map<string, UnallocatedTracker>();
  const effectiveNanos: EffectiveShares = new Map();
  let rowsRead = 0;

  const count = (record: CostRecord) => {
    try {
      const period = billingPeriodOf(record);
      const attribution = attributeCostRecord(record, options.keys);
      let rollups = rollupsByPeriod.get(period);
      if (!rollups) {
        rollups = new Map();
        rollupsByPeriod.set(period, rollups);
      }
      const rollup = addToRollups(rollups, record, attribution);
      const share = effectiveNanos.get(rollup.currency) ?? {
        all: 0n,
        unallocated: 0n,
      };
      const nanos = decimalToNanos(record.effectiveCost);
      share.all += nanos;
      if (attribution.unallocatedReason) {
        share.unallocated += nanos;
        let tracker = trackers.get(period);
        if (!tracker) {
          tracker = new UnallocatedTracker();
          trackers.set(period, tracker);
        }
        tracker.add(record, attribution, rowsOf(record));
      }
      effectiveNanos.set(rollup.currency, share);
    } catch (error) {
      if (error instanceof TypeError) {
        throw new CostRecordError(record, error);
      }
      throw error;
    }
  };
  try {
    for await (const record of records) {
      count(record);
      rowsRead += rowsOf(record);
    }
  } catch (error) {
    throw new CostCollectionError(rowsRead, error as Error);
  }

  const billingPeriods = [...rollupsByPeriod.keys()].sort();
  const rollups: StoredRollup[] = [];
  const unallocated: StoredUnallocatedResource[] = [];
  for (const billingPeriod of billingPeriods) {
    for (const rollup of rollupsByPeriod.get(billingPeriod)!.values()) {
      rollups.push({ ...rollup, billingPeriod });
    }
    const top = trackers.get(billingPeriod)?.top(options.topUnallocated) ?? {};
    for (const resources of Object.values(top)) {
      for (const resource of resources) {
        unallocated.push({ ...resource, billingPeriod });
      }
    }
  }
  return {
    billingPeriods,
    rollups,
    unallocated,
    rowsRead,
    unallocatedShare: unallocatedShareOf(effectiveNanos),
    shares: effectiveNanos,
  };
}

/** The unallocated share of each currency's effective cost, as percentages. */
export function unallocatedShareOf(
  shares: EffectiveShares,
): Array<{ currency: string; percent: number }> {
  return [...shares.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([currency, { all, unallocated: part }]) => ({
      currency,
      percent: sharePercent(part, all),
    }));
}

/** Adds `more` into `shares`. */
export function addShares(shares: EffectiveShares, more: EffectiveShares) {
  for (const [currency, { all, unallocated }] of more) {
    const share = shares.get(currency) ?? { all: 0n, unallocated: 0n };
    share.all += all;
    share.unallocated += unallocated;
    shares.set(currency, share);
  }
}

/** `part` as a percentage of `all` with one decimal; 0 when `all` is 0. */
export function sharePercent(part: bigint, all: bigint): number {
  if (all === 0n) {
    return 0;
  }
  const tenths = (part * 2000n + all) / (2n * all); // rounded half up
  return Number(tenths) / 10;
}
