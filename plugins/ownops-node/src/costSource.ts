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

/** @public */
export interface OwnopsCostSourcesExtensionPoint {
  addCostSource(...sources: CostSource[]): void;
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
