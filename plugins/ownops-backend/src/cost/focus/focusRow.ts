import { CostRecord } from '@ownops/backstage-plugin-node';
import { normalizeDecimal } from './decimal';
import { FocusFormatError } from './FocusFormatError';

/**
 * Columns that every FOCUS 1.0–1.3 file used by Ownops must have. ListCost and
 * ContractedCost are mandatory in FOCUS too, but Ownops does not read them,
 * so a file without them is still accepted.
 */
export const MANDATORY_FOCUS_COLUMNS = [
  'BilledCost',
  'EffectiveCost',
  'BillingCurrency',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'ServiceName',
  'ServiceCategory',
  'ChargeCategory',
] as const;

const OPTIONAL_FOCUS_COLUMNS = [
  'BillingPeriodStart',
  'ChargeClass',
  'ResourceId',
  'ResourceName',
  'SubAccountId',
  'RegionId',
  'Tags',
  // FOCUS 1.3 split cost allocation: the tags of the resource a share of the
  // charge is allocated to.
  'AllocatedTags',
] as const;

/** Every column Ownops reads, mandatory first. */
export const FOCUS_COLUMNS_READ: readonly FocusColumn[] = [
  ...MANDATORY_FOCUS_COLUMNS,
  ...OPTIONAL_FOCUS_COLUMNS,
];

export type FocusColumn =
  | (typeof MANDATORY_FOCUS_COLUMNS)[number]
  | (typeof OPTIONAL_FOCUS_COLUMNS)[number];

const CHARGE_CATEGORIES = new Set([
  'Usage',
  'Purchase',
  'Tax',
  'Credit',
  'Adjustment',
]);

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]00:?00)?$/;

class CellError extends Error {}

/** `NULL` (quoted or not) and the empty cell are null. */
function nullable(cell: string | undefined): string | null {
  return cell === undefined || cell === '' || cell === 'NULL' ? null : cell;
}

function required(cell: string | undefined, what: string): string {
  const value = nullable(cell);
  if (value === null) {
    throw new CellError(`expected ${what}, got an empty cell or NULL`);
  }
  return value;
}

function parseDecimal(cell: string | undefined): string {
  const text = required(cell, 'a decimal number such as 12.34');
  const value = normalizeDecimal(text);
  if (value === undefined) {
    throw new CellError(
      `expected a decimal number such as 12.34, -0.5 or 8E-7, got "${text}"`,
    );
  }
  return value;
}

/**
 * Accepts `YYYY-MM-DDTHH:mm:ssZ`, `YYYY-MM-DD HH:mm:ss` (UTC, as real exports
 * write it), optional fractional seconds and an optional `Z`/`+00:00`. Returns
 * `Date#toISOString()` form (`YYYY-MM-DDTHH:mm:ss.sssZ`), which sorts as text.
 * Fractional digits beyond milliseconds must be zero: nothing is rounded.
 */
function parseTimestamp(cell: string | undefined): string {
  const expected =
    'a UTC timestamp such as 2024-09-01T00:00:00Z or 2024-09-01 00:00:00';
  const text = required(cell, expected);
  const match = TIMESTAMP.exec(text);
  if (!match) {
    throw new CellError(`expected ${expected}, got "${text}"`);
  }
  const [, y, mo, d, h, mi, s, fraction = ''] = match;
  if (/[1-9]/.test(fraction.slice(3))) {
    throw new CellError(
      `expected a timestamp with at most millisecond precision, got "${text}"`,
    );
  }
  const ms = Number(fraction.slice(0, 3).padEnd(3, '0'));
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(
    Number,
  );
  const time = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const date = new Date(time);
  if (
    Number.isNaN(time) ||
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day ||
    date.getUTCHours() !== hour ||
    date.getUTCMinutes() !== minute ||
    date.getUTCSeconds() !== second
  ) {
    throw new CellError(`expected a valid date and time, got "${text}"`);
  }
  return date.toISOString();
}

function parseCurrency(cell: string | undefined): string {
  const text = required(cell, 'an ISO 4217 currency code such as USD');
  if (!/^[A-Z]{3}$/.test(text)) {
    throw new CellError(
      `expected an ISO 4217 currency code such as USD, got "${text}"`,
    );
  }
  return text;
}

function parseChargeCategory(cell: string | undefined): string {
  const allowed = [...CHARGE_CATEGORIES].join(', ');
  const text = required(cell, `one of ${allowed}`);
  if (!CHARGE_CATEGORIES.has(text)) {
    throw new CellError(`expected one of ${allowed}, got "${text}"`);
  }
  return text;
}

/**
 * FOCUS Tags: a JSON object whose values are strings, numbers, booleans or
 * null. Values become strings (`true` — FOCUS's "key with no value" — becomes
 * `'true'`; numbers keep their source text, e.g. `1.10`). A `null` value means
 * the tag is not set and the key is left out. Keys are trimmed; if two keys
 * trim to the same name, the one written without surrounding spaces wins,
 * otherwise the first one.
 */
export function parseTagsCell(
  cell: string | undefined,
): Record<string, string> {
  const text = nullable(cell);
  if (text === null) {
    return {};
  }
  const expected = 'a JSON object of string, number, boolean or null values';
  let parsed: unknown;
  try {
    // The third reviver argument (JSON.parse source text access) keeps a
    // number's exact text; where the runtime lacks it, String(value) is used.
    const reviver = (
      _key: string,
      value: unknown,
      context?: { source?: string },
    ) =>
      typeof value === 'number' && context?.source !== undefined
        ? { numberText: context.source }
        : value;
    parsed = JSON.parse(text, reviver as (k: string, v: unknown) => unknown);
  } catch (error) {
    throw new CellError(
      `expected ${expected}, got invalid JSON (${(error as Error).message})`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CellError(`expected ${expected}, got ${text}`);
  }
  const tags: Record<string, string> = {};
  const exact = new Set<string>();
  for (const [rawKey, value] of Object.entries(parsed)) {
    const key = rawKey.trim();
    if (!key) {
      throw new CellError(`expected ${expected}, got an empty tag key`);
    }
    let stringValue: string;
    if (value === null) {
      continue;
    } else if (typeof value === 'string' || typeof value === 'boolean') {
      stringValue = String(value);
    } else if (typeof value === 'number') {
      stringValue = String(value);
    } else if (
      typeof value === 'object' &&
      typeof (value as { numberText?: unknown }).numberText === 'string' &&
      Object.keys(value).length === 1
    ) {
      stringValue = (value as { numberText: string }).numberText;
    } else {
      throw new CellError(
        `expected ${expected}, got a nested value for tag "${key}"`,
      );
    }
    const isExact = key === rawKey;
    if (key in tags && (exact.has(key) || !isExact)) {
      continue;
    }
    tags[key] = stringValue;
    if (isExact) {
      exact.add(key);
    }
  }
  return tags;
}

/**
 * A FOCUS 1.3 allocated row (split cost allocation) is attributed by the
 * union of its `Tags` (the origin resource's) and `AllocatedTags` (the
 * resource the share is allocated to). The spec keeps the two apart; where a
 * key is in both, the allocated resource's value wins, since the share is
 * that resource's cost.
 */
export function withAllocatedTags(
  tags: Record<string, string>,
  allocatedTags: Record<string, string>,
): Record<string, string> {
  return Object.keys(allocatedTags).length === 0
    ? tags
    : { ...tags, ...allocatedTags };
}

export type Columns = Map<FocusColumn, number>;

/**
 * Adds the configured tag columns' values to a row's tags, where its tags
 * do not name the key already: a resource's own tag is the more specific.
 */
function withTagColumns(
  tags: Record<string, string>,
  tagColumns: TagColumnIndexes,
  record: string[],
): Record<string, string> {
  return withTagColumnValues(
    tags,
    tagColumns.map(({ index, key }) => ({ key, value: record[index] })),
  );
}

/** {@link withTagColumns} over the columns' values. */
export function withTagColumnValues(
  tags: Record<string, string>,
  values: Array<{ key: string; value: string | undefined }>,
): Record<string, string> {
  let merged = tags;
  for (const { key, value: cell } of values) {
    const value = nullable(cell)?.trim();
    if (value && !(key in merged)) {
      merged = merged === tags ? { ...tags } : merged;
      merged[key] = value;
    }
  }
  return merged;
}

/**
 * Columns besides FOCUS's read as tags, as configured for a source: column
 * name (for example Azure's `x_CostCenter`) → tag key (`cost-center`).
 */
export type TagColumns = Readonly<Record<string, string>>;

/** How a source reads its files. */
export interface FocusReadOptions {
  tagColumns?: TagColumns;
}

/** The configured tag columns a file has, with their positions. */
export type TagColumnIndexes = Array<{
  name: string;
  index: number;
  key: string;
}>;

/** Finds the configured tag columns in a header; a file may lack some. */
export function findTagColumns(
  header: string[],
  tagColumns: TagColumns = {},
): TagColumnIndexes {
  const names = header.map(name => name.trim());
  return Object.entries(tagColumns).flatMap(([name, key]) => {
    const index = names.indexOf(name);
    return index === -1 ? [] : [{ name, index, key }];
  });
}

/** Where a row is: its line in a CSV file, or its row in a Parquet file (1-based). */
export type RowLocation = { line: number } | { row: number };

/** Finds the columns Ownops reads; throws if any mandatory one is missing. */
export function readHeader(
  file: string,
  record: string[],
  where?: RowLocation,
): Columns {
  const header = record.map(name => name.trim());
  const columns: Columns = new Map();
  for (const name of FOCUS_COLUMNS_READ) {
    const index = header.indexOf(name);
    if (index !== -1) {
      if (header.indexOf(name, index + 1) !== -1) {
        throw new FocusFormatError({
          file,
          ...where,
          message: `the header has column ${name} more than once`,
        });
      }
      columns.set(name, index);
    }
  }
  const missing = MANDATORY_FOCUS_COLUMNS.filter(c => !columns.has(c));
  if (missing.length > 0) {
    throw new FocusFormatError({
      file,
      ...where,
      missingColumns: missing,
      message: `not a FOCUS file: missing mandatory column${
        missing.length > 1 ? 's' : ''
      } ${missing.join(', ')}`,
    });
  }
  return columns;
}

export function toCostRecord(
  file: string,
  where: RowLocation,
  record: string[],
  columns: Columns,
  tagColumns: TagColumnIndexes = [],
): CostRecord {
  const cell = <T>(
    name: FocusColumn,
    convert: (cellText: string | undefined) => T,
  ): T => {
    const index = columns.get(name);
    try {
      return convert(index === undefined ? undefined : record[index]);
    } catch (error) {
      if (error instanceof CellError) {
        throw new FocusFormatError({
          file,
          ...where,
          column: { name, index: (index ?? -1) + 1 },
          message: error.message,
        });
      }
      throw error;
    }
  };
  return {
    chargePeriodStart: cell('ChargePeriodStart', parseTimestamp),
    chargePeriodEnd: cell('ChargePeriodEnd', parseTimestamp),
    billingPeriodStart: cell('BillingPeriodStart', c =>
      nullable(c) === null ? null : parseTimestamp(c),
    ),
    billedCost: cell('BilledCost', parseDecimal),
    effectiveCost: cell('EffectiveCost', parseDecimal),
    billingCurrency: cell('BillingCurrency', parseCurrency),
    serviceCategory: cell('ServiceCategory', c =>
      required(c, 'a service category'),
    ),
    serviceName: cell('ServiceName', c => required(c, 'a service name')),
    chargeCategory: cell('ChargeCategory', parseChargeCategory),
    chargeClass: cell('ChargeClass', nullable),
    resourceId: cell('ResourceId', nullable),
    resourceName: cell('ResourceName', nullable),
    subAccountId: cell('SubAccountId', nullable),
    regionId: cell('RegionId', nullable),
    tags: withTagColumns(
      withAllocatedTags(
        cell('Tags', parseTagsCell),
        cell('AllocatedTags', parseTagsCell),
      ),
      tagColumns,
      record,
    ),
    source: { file, ...where },
  };
}
