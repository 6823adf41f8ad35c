import { createExtensionPoint } from '@backstage/backend-plugin-api';

/**
 * One billing line, shaped after the FinOps FOCUS specification (1.0–1.3).
 *
 * Money is exact: `billedCost` and `effectiveCost` are plain decimal strings
 * (for example `-0.5`, `1.2300`, `0.0000008`), never JavaScript numbers, so no
 * precision is lost between the bill and the database.
 *
 * @public
 */
export interface CostRecord {
  /** Start of the charge period, ISO 8601 in UTC (`…Z`), inclusive. */
  chargePeriodStart: string;
  /** End of the charge period, ISO 8601 in UTC (`…Z`), exclusive. */
  chargePeriodEnd: string;
  /**
   * FOCUS BillingPeriodStart (ISO 8601 UTC): the invoice month the line was
   * billed in. A re-ingested billing period replaces the earlier one as a
   * whole. When a source cannot tell, leave it out: the month of
   * `chargePeriodStart` is used.
   */
  billingPeriodStart?: string | null;
  /** FOCUS BilledCost as a plain decimal string. */
  billedCost: string;
  /** FOCUS EffectiveCost as a plain decimal string. */
  effectiveCost: string;
  /** ISO 4217 currency code, for example `USD`. */
  billingCurrency: string;
  /** FOCUS ServiceCategory, for example `Compute`. */
  serviceCategory: string;
  /** FOCUS ServiceName, for example `Amazon Elastic Compute Cloud`. */
  serviceName: string;
  /** FOCUS ChargeCategory: Usage, Purchase, Tax, Credit or Adjustment. */
  chargeCategory: string;
  /** FOCUS ChargeClass, `Correction` for restatements. */
  chargeClass?: string | null;
  resourceId?: string | null;
  resourceName?: string | null;
  subAccountId?: string | null;
  regionId?: string | null;
  /**
   * FOCUS Tags with every value as a string; a key with no value is `'true'`.
   */
  tags: Record<string, string>;
  /**
   * Where the record came from, for error messages and audits: a CSV file's
   * line, or a Parquet file's row (1-based).
   */
  source: { file?: string; line?: number; row?: number };
}

/**
 * A source of cost records, for example FOCUS files in a folder or a cloud
 * provider's billing API.
 *
 * @public
 */
export interface CostSource {
  /** Unique id of the source; stored with every rollup it produces. */
  id: string;
  /**
   * Where the source reads, for people: for example `folder /var/billing`
   * or `s3://bucket/prefix`. Named when a run finds nothing there. Never
   * put credentials in it.
   */
  location?: string;
  /**
   * Streams the records of the billing periods that overlap `window`
   * (`start` inclusive, `end` exclusive). Every billing period delivered
   * replaces the stored one for this source, so deliver whole periods.
   * Implementations must stream and never hold the whole bill in memory.
   * If the iterator throws, the caller discards everything read from it in
   * that call.
   */
  read(window: { start: Date; end: Date }): AsyncIterable<CostRecord>;
}

/**
 * One delivery of a FOCUS export as its provider last wrote it: the data
 * files of one billing period (AWS Data Exports' `BILLING_PERIOD=YYYY-MM`)
 * or of one date range (Azure Cost Management's `yyyyMMdd-yyyyMMdd`).
 *
 * @public
 */
export interface FocusExportDelivery {
  /**
   * Stable within its source from run to run, for example
   * `BILLING_PERIOD=2026-11` or `20261101-20261130`.
   */
  key: string;
  /**
   * Changes whenever the delivered content does: a manifest's execution or
   * run id, or the data files' ETags. A run reads only the deliveries whose
   * fingerprint differs from the one stored when they were last ingested.
   */
  fingerprint: string;
  /**
   * Where the delivery is, for people: `s3://bucket/prefix/export/data/BILLING_PERIOD=2026-11`.
   * Never credentials.
   */
  location: string;
  /**
   * The rows the provider says the delivery holds (a manifest's row count),
   * when it says: a delivery whose rows read differ fails, and nothing of it
   * is stored.
   */
  expectedRows?: number;
  /**
   * The delivery's data files as local paths, in a stable order. A remote
   * source downloads them into `scratch`, a folder the caller creates and
   * removes afterwards; a local one may return its own paths. Files are
   * FOCUS CSV, gzip CSV or Parquet: the reader tells which by content.
   */
  files(scratch: string, signal?: AbortSignal): Promise<string[]>;
  /**
   * The folder that errors name a local file relative to (a local source's
   * own folder); downloaded files are named relative to `scratch`.
   */
  root?: string;
}

/**
 * A cost source that reads FOCUS exports where a provider delivers them (a
 * bucket, a storage container). Ownops lists the deliveries on every run,
 * reads only those that changed, and replaces the billing periods they
 * hold, each atomically.
 *
 * @public
 */
export interface FocusExportSource {
  /** Unique id of the source, among all cost sources. */
  id: string;
  /** Where it reads, for people: `s3://bucket/prefix`. Never credentials. */
  location: string;
  /**
   * Columns besides FOCUS's read as tags: column name → tag key, for
   * example `{ x_CostCenter: 'cost-center' }`. A row's own tag wins.
   */
  tagColumns?: Record<string, string>;
  /**
   * Every complete delivery there now, the latest one per key. A delivery
   * that is not complete yet (its manifest lists a file that is missing) is
   * left out, so it is read on a later run; older deliveries of the same
   * key (an export set to create new reports) are left out too.
   */
  deliveries(signal?: AbortSignal): Promise<FocusExportDelivery[]>;
}

/** @public */
export interface OwnopsCostSourcesExtensionPoint {
  addCostSource(...sources: CostSource[]): void;
  /** Adds sources of FOCUS exports delivered to a bucket or container. */
  addFocusExportSource(...sources: FocusExportSource[]): void;
}

/**
 * Lets backend modules add cost sources to the Ownops backend. Source ids
 * must be unique.
 *
 * @public
 */
export const ownopsCostSourcesExtensionPoint =
  createExtensionPoint<OwnopsCostSourcesExtensionPoint>({
    id: 'ownops.cost-sources',
  });
