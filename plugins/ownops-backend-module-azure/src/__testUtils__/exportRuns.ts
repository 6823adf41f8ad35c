import { randomBytes, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { costManagementManifest } from './costManagementManifest';
import { FakeBlobService } from './fakeBlobService';

export const CONTAINER = 'billing';
/** The export's folder: root folder path `cost`, export name `focus-daily`. */
export const EXPORT_PATH = 'cost/focus-daily';

/** A FOCUS CSV of `rows` charges in the month the range starts in. */
export function focusCsv(range: string, rows: number, cost = '1.25'): string {
  const month = `${range.slice(0, 4)}-${range.slice(4, 6)}`;
  const header =
    'BilledCost,EffectiveCost,BillingCurrency,BillingPeriodStart,ChargePeriodStart,ChargePeriodEnd,ChargeCategory,ServiceCategory,ServiceName,ResourceId,Tags,x_CostCenter';
  const lines = Array.from({ length: rows }, (_, index) => {
    const day = String((index % 28) + 1).padStart(2, '0');
    const next = String((index % 28) + 2).padStart(2, '0');
    return `${cost},${cost},EUR,${month}-01T00:00:00Z,${month}-${day}T00:00:00Z,${month}-${next}T00:00:00Z,Usage,Compute,Virtual Machines,/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-${index},"{""owner"":""team-a""}",cc-${index}`;
  });
  return `${[header, ...lines].join('\n')}\n`;
}

/** Bytes that look like a Parquet file to a reader that checks the magic number. */
export function parquetLike(size: number): Buffer {
  return Buffer.concat([
    Buffer.from('PAR1'),
    randomBytes(size - 8),
    Buffer.from('PAR1'),
  ]);
}

/** One data file of a run, named as Cost Management names them (`part_0_0001.csv.gz`). */
export interface Part {
  file: string;
  bytes: Buffer;
  rows: number;
}

export function gzipCsvPart(
  file: string,
  range: string,
  rows: number,
  cost?: string,
): Part {
  return { file, bytes: gzipSync(focusCsv(range, rows, cost)), rows };
}

/** An export run as Cost Management writes it, and what the test needs to know of it. */
export interface WrittenRun {
  runId: string;
  /** `cost/focus-daily/<range>/<run folder>`: where its manifest is. */
  folder: string;
  /** The blobs its manifest lists, in the manifest's order. */
  blobNames: string[];
  parts: Part[];
  dataRowCount: number;
}

/**
 * Writes a run of the export into the fake the way Cost Management
 * delivers it: the data files under `<range>/<run folder>/<guid>/`, then
 * `manifest.json` in the run folder. `withheld` parts are listed in the
 * manifest but not (yet) written, as in a delivery still under way.
 */
export function writeRun(
  fake: FakeBlobService,
  options: {
    range: string;
    runFolder: string;
    submittedTime: string;
    parts: Part[];
    /** The order of the manifest's `blobs`, as indexes into parts; default as given. */
    manifestOrder?: number[];
    withheld?: string[];
    dataOverwriteBehavior?: 'CreateNewReport' | 'OverwritePreviousReport';
    path?: string;
  },
): WrittenRun {
  const path = options.path ?? EXPORT_PATH;
  const runId = randomUUID();
  const folder = `${path}/${options.range}/${options.runFolder}`;
  const guid = randomUUID();
  const order = options.manifestOrder ?? options.parts.map((_, index) => index);
  const parts = order.map(index => options.parts[index]);
  const blobNames = parts.map(part => `${folder}/${guid}/${part.file}`);
  for (const part of options.parts) {
    if (!options.withheld?.includes(part.file)) {
      fake.put(CONTAINER, `${folder}/${guid}/${part.file}`, part.bytes);
    }
  }
  const manifest = costManagementManifest({
    path,
    range: options.range,
    runId,
    submittedTime: options.submittedTime,
    blobs: parts.map((part, index) => ({
      blobName: blobNames[index],
      byteCount: part.bytes.length,
      dataRowCount: part.rows,
    })),
    dataOverwriteBehavior: options.dataOverwriteBehavior,
  });
  fake.put(CONTAINER, `${folder}/manifest.json`, JSON.stringify(manifest));
  return {
    runId,
    folder,
    blobNames,
    parts,
    dataRowCount: manifest.dataRowCount,
  };
}
