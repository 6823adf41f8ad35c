import { DuckDBInstance } from '@duckdb/node-api';
import { describeColumns, DUCKDB_OPTIONS, quoteString as q } from '../duckdb';

export type ParquetCompression = 'snappy' | 'gzip' | 'zstd' | 'uncompressed';

export interface ParquetOptions {
  compression?: ParquetCompression;
  /**
   * How `Tags` is written: a JSON string (as in the CSV), a
   * `map<string,string>` (AWS Data Exports) or a struct of the given keys.
   */
  tags?: 'json' | 'map' | { struct: string[] };
  /**
   * Typed columns, as real exports write them: costs as DECIMAL(38,18) and
   * charge and billing periods as TIMESTAMP WITH TIME ZONE (default:
   * everything VARCHAR).
   */
  typed?: boolean;
}

/** Writes a FOCUS CSV file's rows as a Parquet file, with DuckDB. */
export async function writeParquet(
  csvPath: string,
  parquetPath: string,
  options: ParquetOptions = {},
): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:', DUCKDB_OPTIONS);
  const connection = await instance.connect();
  try {
    const replaced: string[] = [];
    const tags = options.tags ?? 'json';
    if (tags === 'map') {
      replaced.push(`CAST(json("Tags") AS MAP(VARCHAR, VARCHAR)) AS "Tags"`);
    } else if (typeof tags === 'object') {
      replaced.push(
        `struct_pack(${tags.struct
          .map(
            key =>
              `"${key}" := json_extract_string("Tags", ${q(`$."${key}"`)})`,
          )
          .join(', ')}) AS "Tags"`,
      );
    }
    if (options.typed) {
      const header = (
        await describeColumns(
          connection,
          `read_csv(${q(csvPath)}, all_varchar = true, header = true)`,
        )
      ).map(column => column.name);
      for (const column of ['BilledCost', 'EffectiveCost']) {
        replaced.push(`CAST("${column}" AS DECIMAL(38, 18)) AS "${column}"`);
      }
      for (const column of [
        'ChargePeriodStart',
        'ChargePeriodEnd',
        'BillingPeriodStart',
        'BillingPeriodEnd',
      ].filter(name => header.includes(name))) {
        replaced.push(`CAST("${column}" AS TIMESTAMPTZ) AS "${column}"`);
      }
    }
    const select = replaced.length
      ? `SELECT * REPLACE (${replaced.join(', ')})`
      : 'SELECT *';
    await connection.run(
      `COPY (${select} FROM read_csv(${q(
        csvPath,
      )}, all_varchar = true, header = true)) TO ${q(
        parquetPath,
      )} (FORMAT parquet, COMPRESSION ${options.compression ?? 'snappy'})`,
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
