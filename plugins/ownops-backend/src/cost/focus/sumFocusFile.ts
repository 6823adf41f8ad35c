import { DuckDBInstance } from '@duckdb/node-api';
import { SummedCostRecord } from '../ingest/collectCost';
import { normalizeDecimal } from './decimal';
import {
  FOCUS_COLUMNS_READ,
  FocusReadOptions,
  MANDATORY_FOCUS_COLUMNS,
  parseTagsCell,
  withAllocatedTags,
  withTagColumnValues,
} from './focusRow';
import { DUCKDB_OPTIONS, asText } from './readFocusParquet';

const quoteString = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** Costs the fast path sums exactly: up to 20 integer and 18 fraction digits. */
const DECIMAL = `'[+-]?([0-9]{1,20}([.][0-9]{0,18})?|[.][0-9]{1,18})'`;
/** A UTC timestamp the row reader accepts, fraction beyond milliseconds zero. */
const TIMESTAMP = `'[0-9]{4}-[0-9]{2}-[0-9]{2}[T ]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]([.][0-9]{1,3}0*)?(Z|[+-]00:?00)?'`;
const CHARGE_CATEGORIES = ['Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment'];

/**
 * A FOCUS file summed by DuckDB into one record per group of rows that
 * Ownops attributes and rolls up alike (billing period, charge day,
 * currency, service category, resource, tags), with exact DECIMAL sums:
 * the rollups are those of reading every row, at DuckDB's speed.
 *
 * Every row is checked in the same pass against rules at least as strict as
 * the row reader's (decimals, timestamps, currency, charge category,
 * mandatory cells, tags). Answers `undefined` when any row, column or file
 * detail is not vouched for (a malformed row, exponent notation, a column
 * named twice or with spaces, a CSV DuckDB cannot read, …): the caller
 * then reads the file row by row, which stores the same or fails naming the
 * file, line and column.
 */
export async function sumFocusFile(
  path: string,
  format: { parquet: boolean; gzip: boolean },
  options: FocusReadOptions = {},
): Promise<SummedCostRecord[] | undefined> {
  const instance = await DuckDBInstance.create(':memory:', DUCKDB_OPTIONS);
  const connection = await instance.connect();
  try {
    const source = format.parquet
      ? `read_parquet(${quoteString(path)})`
      : `read_csv(${quoteString(
          path,
        )}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"', compression = '${
          format.gzip ? 'gzip' : 'none'
        }', strict_mode = true, null_padding = false)`;
    let described: Array<{ name: string; type: string }>;
    try {
      const reader = await connection.runAndReadAll(
        `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ${source})`,
      );
      described = reader
        .getRows()
        .map(([name, type]) => ({ name: String(name), type: String(type) }));
    } catch {
      return undefined;
    }
    const names = described.map(c => c.name);
    const typeOf = new Map(described.map(c => [c.name, c.type]));
    const tagColumns = Object.entries(options.tagColumns ?? {});
    const wanted = [...FOCUS_COLUMNS_READ, ...tagColumns.map(([c]) => c)];
    if (
      names.some(name => name !== name.trim()) ||
      wanted.some(column =>
        names.some(name => name !== column && name.startsWith(`${column}_`)),
      ) ||
      MANDATORY_FOCUS_COLUMNS.some(column => !typeOf.has(column))
    ) {
      return undefined;
    }
    const cell = (column: string) =>
      typeOf.has(column)
        ? `nullif(nullif(${asText(column, typeOf.get(column)!)}, ''), 'NULL')`
        : 'NULL::VARCHAR';
    const amount = (column: string) =>
      `TRY_CAST(ltrim(${cell(column)}, '+') AS DECIMAL(38, 18))`;
    const isTimestamp = (column: string) =>
      `(regexp_full_match(${cell(
        column,
      )}, ${TIMESTAMP}) AND try_strptime(substr(${cell(
        column,
      )}, 1, 10), '%Y-%m-%d') IS NOT NULL)`;
    const valid = [
      ...['BilledCost', 'EffectiveCost'].map(
        c =>
          `regexp_full_match(${cell(c)}, ${DECIMAL}) AND ${amount(
            c,
          )} IS NOT NULL`,
      ),
      isTimestamp('ChargePeriodStart'),
      isTimestamp('ChargePeriodEnd'),
      `(${cell('BillingPeriodStart')} IS NULL OR ${isTimestamp(
        'BillingPeriodStart',
      )})`,
      `regexp_full_match(${cell('BillingCurrency')}, '[A-Z]{3}')`,
      `${cell('ChargeCategory')} IN (${CHARGE_CATEGORIES.map(quoteString).join(
        ', ',
      )})`,
      `${cell('ServiceName')} IS NOT NULL`,
      `${cell('ServiceCategory')} IS NOT NULL`,
    ]
      .map(check => `coalesce(${check}, false)`)
      .join(' AND ');
    const keys = [
      `${valid} AS valid`,
      `substr(coalesce(${cell('BillingPeriodStart')}, ${cell(
        'ChargePeriodStart',
      )}), 1, 7) AS period`,
      `substr(${cell('ChargePeriodStart')}, 1, 10) AS day`,
      `${cell('BillingCurrency')} AS currency`,
      `${cell('ServiceCategory')} AS category`,
      `${cell('ServiceName')} AS service`,
      `${cell('ResourceId')} AS resource_id`,
      `${cell('ResourceName')} AS resource_name`,
      `${cell('Tags')} AS tags`,
      `${cell('AllocatedTags')} AS allocated_tags`,
      ...tagColumns.map(([column], i) => `${cell(column)} AS tag_column_${i}`),
    ];
    let rows: unknown[][];
    try {
      const reader = await connection.runAndReadAll(
        `SELECT ${keys.join(', ')},
          CAST(sum(${amount('BilledCost')}) AS VARCHAR) AS billed,
          CAST(sum(${amount('EffectiveCost')}) AS VARCHAR) AS effective,
          count(*) AS rows
        FROM ${source} GROUP BY ALL`,
      );
      rows = reader.getRows();
    } catch {
      return undefined;
    }
    const records: SummedCostRecord[] = [];
    for (const row of rows) {
      const [
        isValid,
        period,
        day,
        currency,
        category,
        service,
        resourceId,
        resourceName,
        tagsText,
        allocatedText,
        ...rest
      ] = row as Array<string | null>;
      if (isValid !== (true as unknown)) return undefined;
      const tagColumnValues = rest.slice(0, tagColumns.length);
      const [billed, effective, count] = rest.slice(tagColumns.length);
      let tags: Record<string, string>;
      try {
        tags = withTagColumnValues(
          withAllocatedTags(
            parseTagsCell(tagsText ?? undefined),
            parseTagsCell(allocatedText ?? undefined),
          ),
          tagColumns.map(([, key], i) => ({
            key,
            value: tagColumnValues[i] ?? undefined,
          })),
        );
      } catch {
        return undefined;
      }
      records.push({
        chargePeriodStart: `${day}T00:00:00.000Z`,
        chargePeriodEnd: `${day}T00:00:00.000Z`,
        billingPeriodStart: `${period}-01T00:00:00.000Z`,
        billedCost: normalizeDecimal(billed!)!,
        effectiveCost: normalizeDecimal(effective!)!,
        billingCurrency: currency!,
        serviceCategory: category!,
        serviceName: service!,
        chargeCategory: 'Usage',
        resourceId,
        resourceName,
        tags,
        source: { file: path },
        rows: Number(count),
      });
    }
    return records;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
