import { CostRecord } from '@ownops/backstage-plugin-node';
import { addDecimalStrings } from '../focus/decimal';
import { Attribution } from './attributeCostRecord';

/** What a `cost_daily` rollup is keyed by. */
export interface RollupKey {
  /** UTC day of the record's charge period start, `YYYY-MM-DD`. */
  day: string;
  entityRef: string | null;
  ownerRef: string | null;
  costCenter: string | null;
  environment: string | null;
  serviceCategory: string;
  /** Part of the key, so amounts in different currencies are never summed. */
  currency: string;
}

/** One day's summed costs for one key, as exact decimal strings. */
export interface DailyRollup extends RollupKey {
  billedCost: string;
  effectiveCost: string;
}

/** `Date#toISOString()` output, which needs no parsing to find its day. */
const TO_ISO_STRING_FORM =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const EXPLICIT_UTC_TIMESTAMP =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]00:00)$/;

/**
 * The UTC day (`YYYY-MM-DD`) a record is counted on: the day of its charge
 * period start. A charge period spanning several UTC days is not split, it
 * all counts on the first day (FOCUS daily exports are per day or per hour,
 * so this only matters for monthly lines such as purchases and fees).
 * Throws a `TypeError` unless the start is an ISO 8601 UTC timestamp.
 */
export function chargeDay(record: CostRecord): string {
  return utcDayOf(record.chargePeriodStart, 'chargePeriodStart');
}

/** The UTC day of an ISO 8601 UTC timestamp; throws a `TypeError` otherwise. */
export function utcDayOf(start: string, field: string): string {
  if (TO_ISO_STRING_FORM.test(start)) {
    return start.slice(0, 10); // already UTC, as the FOCUS reader writes it
  }
  const time = Date.parse(start);
  if (!EXPLICIT_UTC_TIMESTAMP.test(start) || Number.isNaN(time)) {
    throw new TypeError(
      `Expected ${field} as an ISO 8601 UTC timestamp, got "${start}"`,
    );
  }
  return new Date(time).toISOString().slice(0, 10);
}

/** The rollup a record is added to. */
export function rollupKey(
  record: CostRecord,
  attribution: Attribution,
): RollupKey {
  const currency = record.billingCurrency.trim().toLocaleUpperCase('en-US');
  if (!currency) {
    throw new TypeError('Expected a billingCurrency, got an empty one');
  }
  return {
    day: chargeDay(record),
    entityRef: attribution.entityRef,
    ownerRef: attribution.ownerRef,
    costCenter: attribution.costCenter,
    environment: attribution.environment,
    serviceCategory: record.serviceCategory,
    currency,
  };
}

/** A map key that is equal exactly when the rollup keys are equal. */
export function rollupKeyString(key: RollupKey): string {
  return JSON.stringify([
    key.day,
    key.entityRef,
    key.ownerRef,
    key.costCenter,
    key.environment,
    key.serviceCategory,
    key.currency,
  ]);
}

/**
 * Adds a record's billed and effective cost to its rollup in `rollups`
 * (keyed by `rollupKeyString`), exactly. Credits and corrections are
 * negative amounts and simply reduce the rollup. If the record is invalid
 * (timestamp, currency, amount), throws and leaves `rollups` unchanged.
 */
export function addToRollups(
  rollups: Map<string, DailyRollup>,
  record: CostRecord,
  attribution: Attribution,
): DailyRollup {
  const key = rollupKey(record, attribution);
  const mapKey = rollupKeyString(key);
  const existing = rollups.get(mapKey);
  const rollup: DailyRollup = {
    ...key,
    billedCost: addDecimalStrings(
      existing?.billedCost ?? '0',
      record.billedCost,
    ),
    effectiveCost: addDecimalStrings(
      existing?.effectiveCost ?? '0',
      record.effectiveCost,
    ),
  };
  rollups.set(mapKey, rollup);
  return rollup;
}
