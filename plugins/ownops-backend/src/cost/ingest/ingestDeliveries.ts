import { OwnerTagKeys } from '@ownops/backstage-plugin-common';
import {
  CostRecord,
  FocusExportDelivery,
  FocusExportSource,
} from '@ownops/backstage-plugin-node';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { CostStore } from '../../database/CostStore';
import { FocusFormatError } from '../focus/FocusFormatError';
import { recordsToIngest } from '../focus/readFocusExport';
import {
  addShares,
  collectCost,
  CollectedCost,
  CostCollectionError,
  EffectiveShares,
  unallocatedShareOf,
} from './collectCost';

/** What a run of an export source did. */
export interface DeliveriesIngested {
  rowsRead: number;
  billingPeriods: string[];
  unallocatedShare: Array<{ currency: string; percent: number }>;
  unchangedDeliveries: number;
}

/** A delivery that could not be stored; names it and where it is. */
export class DeliveryError extends Error {
  constructor(delivery: FocusExportDelivery, message: string, cause?: unknown) {
    super(`Delivery ${delivery.key} (${delivery.location}): ${message}`, {
      cause,
    });
    this.name = 'DeliveryError';
  }
}

export function isFocusExportSource(
  source: object,
): source is FocusExportSource {
  return typeof (source as FocusExportSource).deliveries === 'function';
}

/**
 * Ingests the deliveries of an export source that changed since they were
 * last stored, in key order, each replacing the billing periods it holds in
 * one transaction with its fingerprint. A delivery whose rows differ from
 * the count its provider declares, or that holds a malformed row, stops the
 * run; nothing of it is stored, and those stored before it stay.
 */
export async function ingestDeliveries(
  source: FocusExportSource,
  deps: {
    store: CostStore;
    keys: OwnerTagKeys;
    topUnallocated: number;
    now: () => Date;
  },
): Promise<DeliveriesIngested> {
  const [deliveries, stored] = await Promise.all([
    source.deliveries(),
    deps.store.deliveries(source.id),
  ]);
  const changed = deliveries
    .filter(d => stored.get(d.key)?.fingerprint !== d.fingerprint)
    .sort((a, b) => (a.key < b.key ? -1 : 1));
  const shares: EffectiveShares = new Map();
  const billingPeriods = new Set<string>();
  let rowsRead = 0;
  for (const delivery of changed) {
    const collected = await ingestDelivery(source, delivery, deps, rowsRead);
    rowsRead += collected.rowsRead;
    collected.billingPeriods.forEach(p => billingPeriods.add(p));
    addShares(shares, collected.shares);
  }
  return {
    rowsRead,
    billingPeriods: [...billingPeriods].sort(),
    unallocatedShare: unallocatedShareOf(shares),
    unchangedDeliveries: deliveries.length - changed.length,
  };
}

/**
 * Reads one delivery and stores it with its fingerprint. A failure carries
 * the rows read in this run so far (`rowsBefore` and this delivery's).
 */
async function ingestDelivery(
  source: FocusExportSource,
  delivery: FocusExportDelivery,
  deps: Parameters<typeof ingestDeliveries>[1],
  rowsBefore: number,
): Promise<CollectedCost> {
  const scratch = await mkdtemp(join(tmpdir(), 'ownops-delivery-'));
  try {
    const files = await delivery.files(scratch);
    let collected: CollectedCost;
    try {
      collected = await collectCost(
        recordsOf(files, delivery, scratch, source.tagColumns),
        { keys: deps.keys, topUnallocated: deps.topUnallocated },
      );
    } catch (error) {
      throw error instanceof CostCollectionError
        ? new CostCollectionError(
            rowsBefore + error.rowsRead,
            error.cause as Error,
          )
        : error;
    }
    if (
      delivery.expectedRows !== undefined &&
      collected.rowsRead !== delivery.expectedRows
    ) {
      throw new CostCollectionError(
        rowsBefore + collected.rowsRead,
        new DeliveryError(
          delivery,
          `its manifest declares ${delivery.expectedRows} rows, but ${collected.rowsRead} were read; nothing of it was stored`,
        ),
      );
    }
    await deps.store.replaceBillingPeriods({
      source: source.id,
      billingPeriods: collected.billingPeriods,
      rollups: collected.rollups,
      unallocated: collected.unallocated,
      delivery: {
        key: delivery.key,
        fingerprint: delivery.fingerprint,
        rowsRead: collected.rowsRead,
        now: deps.now(),
      },
    });
    return collected;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The records of a delivery's files, each file named in errors as people know it. */
async function* recordsOf(
  files: string[],
  delivery: FocusExportDelivery,
  scratch: string,
  tagColumns: Record<string, string> | undefined,
): AsyncGenerator<CostRecord> {
  for (const file of files) {
    const name = nameOf(file, delivery, scratch);
    try {
      for await (const record of recordsToIngest(file, { tagColumns })) {
        yield { ...record, source: { ...record.source, file: name } };
      }
    } catch (error) {
      throw error instanceof FocusFormatError ? error.withFile(name) : error;
    }
  }
}

function nameOf(
  file: string,
  delivery: FocusExportDelivery,
  scratch: string,
): string {
  const inScratch = relative(scratch, file);
  if (!inScratch.startsWith('..')) {
    return `${delivery.location}/${inScratch}`;
  }
  return delivery.root ? relative(delivery.root, file) : file;
}
