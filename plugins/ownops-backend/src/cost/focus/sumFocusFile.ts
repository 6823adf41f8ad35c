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
import { asText } from './readFocusParquet';
import {
  describeColumns,
  DUCKDB_OPTIONS,
  quoteIdentifier,
  quoteString,
} from './duckdb';

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
      described = await describeColumns(connection, source);
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
    const type = (column: string) => typeOf.get(column) ?? '';
    const column = quoteIdentifier;
    const raw = (name: string) =>
      typeOf.has(name) ? `CAST(${column(name)} AS VARCHAR)` : 'NULL::VARCHAR';
    const cell = (name: string) =>
      typeOf.has(name)
        ? `nullif(nullif(${asText(name, type(name))}, ''), 'NULL')`
        : 'NULL::VARCHAR';

    // A typed cost or timestamp is checked by its type; text by its shape.
    const exactDecimal = (name: string) => {
      const match = /^DECIMAL\((\d+),(\d+)\)$/.exec(type(name));
      return (
        !!match &&
        Number(match[2]) <= 18 &&
        Number(match[1]) - Number(match[2]) <= 20
      );
    };
    const amount = (name: string) =>
      exactDecimal(name)
        ? `CAST(${column(name)} AS DECIMAL(38, 18))`
        : `TRY_CAST(ltrim(${cell(name)}, '+') AS DECIMAL(38, 18))`;
    const amountIsValid = (name: string) =>
      exactDecimal(name)
        ? `${column(name)} IS NOT NULL`
        : `regexp_full_match(${cell(name)}, ${DECIMAL}) AND ${amount(
            name,
          )} IS NOT NULL`;
    const typedTimestamp = (name: string) => type(name).startsWith('TIMESTAMP');
    // Without time zone support loaded, a TIMESTAMP WITH TIME ZONE casts to UTC.
    const utc = (name: string) => `CAST(${column(name)} AS TIMESTAMP)`;
    const timestampIsValid = (name: string) =>
      typedTimestamp(name)
        ? `(${column(name)} IS NOT NULL AND microsecond(${utc(
            name,
          )}) % 1000 = 0)`
        : `(regexp_full_match(${cell(
            name,
          )}, ${TIMESTAMP}) AND try_strptime(substr(${cell(
            name,
          )}, 1, 10), '%Y-%m-%d') IS NOT NULL)`;
    const dayOf = (name: string) =>
      typedTimestamp(name)
        ? `strftime(${utc(name)}, '%Y-%m-%d')`
        : `substr(${cell(name)}, 1, 10)`;
    const isNull = (name: string) =>
      `${typedTimestamp(name) ? column(name) : cell(name)} IS NULL`;
    const billingPeriodIsValid = typeOf.has('BillingPeriodStart')
      ? `(${isNull('BillingPeriodStart')} OR ${timestampIsValid(
          'BillingPeriodStart',
        )})`
      : 'true';
    const nestedTags = (name: string) => /^(MAP|STRUCT)\b/.test(type(name));
    // Nested tags are grouped as they are and turned into JSON once per group.
    const tagsKey = (name: string) =>
      nestedTags(name) ? column(name) : raw(name);
    const tagsAsJson = (alias: string, name: string) =>
      nestedTags(name) ? `CAST(to_json(${alias}) AS VARCHAR)` : alias;

    // Costs and times are checked on every row; the text columns, which
    // repeat a few values, once per group (below).
    const valid = [
      amountIsValid('BilledCost'),
      amountIsValid('EffectiveCost'),
      timestampIsValid('ChargePeriodStart'),
      timestampIsValid('ChargePeriodEnd'),
      billingPeriodIsValid,
    ]
      .map(check => `coalesce(${check}, false)`)
      .join(' AND ');
    const typedPeriods =
      typedTimestamp('ChargePeriodStart') &&
      (!typeOf.has('BillingPeriodStart') ||
        typedTimestamp('BillingPeriodStart'));
    const chargeStart = utc('ChargePeriodStart');
    const billingStart = typeOf.has('BillingPeriodStart')
      ? utc('BillingPeriodStart')
      : 'NULL::TIMESTAMP';
    // Typed times are grouped by date and formatted once per group.
    const periodKey = typedPeriods
      ? `CAST(date_trunc('month', coalesce(${billingStart}, ${chargeStart})) AS DATE)`
      : `substr(coalesce(${
          typeOf.has('BillingPeriodStart')
            ? dayOf('BillingPeriodStart')
            : 'NULL::VARCHAR'
        }, ${dayOf('ChargePeriodStart')}), 1, 7)`;
    const dayKey = typedPeriods
      ? `CAST(${chargeStart} AS DATE)`
      : dayOf('ChargePeriodStart');
    // Text columns are grouped as they are and read as cells once per group.
    const cellOf = (alias: string) => `nullif(nullif(${alias}, ''), 'NULL')`;
    const keys: Array<[alias: string, key: string, text: string]> = [
      ['valid', valid, 'valid'],
      [
        'period',
        periodKey,
        typedPeriods ? `strftime(period, '%Y-%m')` : 'period',
      ],
      ['day', dayKey, typedPeriods ? `strftime(day, '%Y-%m-%d')` : 'day'],
      ['currency', raw('BillingCurrency'), cellOf('currency')],
      ['category', raw('ServiceCategory'), cellOf('category')],
      ['service', raw('ServiceName'), cellOf('service')],
      ['charge_category', raw('ChargeCategory'), cellOf('charge_category')],
      ['resource_id', raw('ResourceId'), cellOf('resource_id')],
      ['resource_name', raw('ResourceName'), cellOf('resource_name')],
      ['tags', tagsKey('Tags'), tagsAsJson('tags', 'Tags')],
      [
        'allocated_tags',
        tagsKey('AllocatedTags'),
        tagsAsJson('allocated_tags', 'AllocatedTags'),
      ],
      ...tagColumns.map(([name], i): [string, string, string] => [
        `tag_column_${i}`,
        raw(name),
        cellOf(`tag_column_${i}`),
      ]),
    ];
    const outer = keys.map(([, , text]) => text);
    let rows: unknown[][];
    try {
      const reader = await connection.runAndReadAll(
        `SELECT ${outer.join(', ')},
          CAST(sum(billed) AS VARCHAR), CAST(sum(effective) AS VARCHAR), count(*)
        FROM (
          SELECT ${keys.map(([alias, key]) => `${key} AS ${alias}`).join(', ')},
            ${amount('BilledCost')} AS billed,
            ${amount('EffectiveCost')} AS effective
          FROM ${source}
        ) GROUP BY ${keys.map(([alias]) => alias).join(', ')}`,
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
        chargeCategory,
        resourceId,
        resourceName,
        tagsText,
        allocatedText,
        ...rest
      ] = row as Array<string | null>;
      if (
        isValid !== (true as unknown) ||
        !/^[A-Z]{3}$/.test(currency ?? '') ||
        !CHARGE_CATEGORIES.includes(chargeCategory ?? '') ||
        service === null ||
        category === null
      ) {
        return undefined;
      }
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
