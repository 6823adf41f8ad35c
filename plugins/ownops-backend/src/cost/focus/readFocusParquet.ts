import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { CostRecord } from '@ownops/backstage-plugin-node';
import {
  findTagColumns,
  FOCUS_COLUMNS_READ,
  FocusReadOptions,
  readHeader,
  toCostRecord,
} from './focusRow';
import { FocusFormatError } from './FocusFormatError';
import {
  describeColumns,
  DUCKDB_OPTIONS,
  quoteIdentifier,
  quoteString,
} from './duckdb';

/**
 * A Parquet column as the text the FOCUS row parser reads, whatever its
 * physical type, so money stays exact: a DECIMAL is cast to its exact
 * decimal text, a DOUBLE to its shortest round-trip text, a timestamp to
 * ISO 8601 in UTC, and Tags given as a MAP or a STRUCT to a JSON object.
 */
export function asText(name: string, type: string): string {
  const column = quoteIdentifier(name);
  if (/^(MAP|STRUCT)\b/.test(type)) {
    return `CAST(to_json(${column}) AS VARCHAR)`;
  }
  if (type.startsWith('TIMESTAMP')) {
    // Without time zone support loaded, a TIMESTAMP WITH TIME ZONE casts to
    // its UTC wall time; a plain TIMESTAMP is UTC in FOCUS.
    return `strftime(CAST(${column} AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%fZ')`;
  }
  if (type === 'DATE') {
    return `strftime(${column}, '%Y-%m-%dT00:00:00Z')`;
  }
  return `CAST(${column} AS VARCHAR)`;
}

function unreadable(path: string, error: unknown): FocusFormatError {
  return new FocusFormatError({
    file: path,
    message: `not a readable Parquet file: ${(error as Error).message}`,
    cause: error,
  });
}

/**
 * Reads a FOCUS 1.0–1.3 Parquet file (snappy, gzip, zstd or uncompressed,
 * as AWS Data Exports and Azure Cost Management write them) as a stream of
 * {@link @ownops/backstage-plugin-node#CostRecord}s, through DuckDB, one
 * chunk of rows at a time.
 *
 * Columns are found by name and validated like a CSV file's (the same
 * parser, the same messages), with the 1-based row in place of the line.
 * `Tags` and `AllocatedTags` may be a `map<string,string>`, a struct or a
 * JSON string. The same contract as `readFocusFile`: the columns are checked
 * before the first record, and a malformed row fails the read.
 */
export async function* readFocusParquet(
  path: string,
  options: FocusReadOptions = {},
): AsyncGenerator<CostRecord> {
  let instance: DuckDBInstance | undefined;
  let connection: DuckDBConnection | undefined;
  try {
    try {
      instance = await DuckDBInstance.create(':memory:', DUCKDB_OPTIONS);
      connection = await instance.connect();
    } catch (error) {
      throw new Error(`DuckDB could not start: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const source = `read_parquet(${quoteString(path)}, file_row_number = true)`;
    let described: Array<{ name: string; type: string }>;
    try {
      described = await describeColumns(connection, source);
    } catch (error) {
      throw unreadable(path, error);
    }
    const names = described
      .map(column => column.name)
      .filter(name => name !== 'file_row_number');
    const columns = readHeader(path, names);
    const tagColumns = findTagColumns(names, options.tagColumns);
    const read = [
      ...FOCUS_COLUMNS_READ.filter(name => columns.has(name)).map(name => ({
        name,
        index: columns.get(name)!,
      })),
      ...tagColumns,
    ];
    const typeOf = new Map(described.map(c => [c.name, c.type]));
    const select = [
      'file_row_number',
      ...read.map(({ name }) => asText(name, typeOf.get(name)!)),
    ].join(', ');

    let result;
    try {
      // DuckDB keeps a scan's rows in file order (preserve_insertion_order).
      result = await connection.stream(`SELECT ${select} FROM ${source}`);
    } catch (error) {
      throw unreadable(path, error);
    }
    const record: Array<string | undefined> = new Array(names.length);
    for (;;) {
      let chunk;
      try {
        chunk = await result.fetchChunk();
      } catch (error) {
        throw unreadable(path, error);
      }
      if (!chunk || chunk.rowCount === 0) break;
      for (const values of chunk.getRows()) {
        record.fill(undefined);
        read.forEach(({ index }, i) => {
          const value = values[i + 1];
          if (value !== null) record[index] = String(value);
        });
        yield toCostRecord(
          path,
          { row: Number(values[0]) + 1 },
          record as string[],
          columns,
          tagColumns,
        );
      }
    }
  } finally {
    connection?.closeSync();
    instance?.closeSync();
  }
}
