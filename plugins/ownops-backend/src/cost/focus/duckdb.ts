import { DuckDBConnection } from '@duckdb/node-api';

/**
 * Only what the npm package ships: DuckDB never downloads an extension
 * (Parquet and JSON are built in), and reads local files only.
 */
export const DUCKDB_OPTIONS = {
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
};

export const quoteIdentifier = (name: string) =>
  `"${name.replace(/"/g, '""')}"`;

export const quoteString = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** The columns a table expression (`read_parquet(…)`, `read_csv(…)`) has, with their types. */
export async function describeColumns(
  connection: DuckDBConnection,
  source: string,
): Promise<Array<{ name: string; type: string }>> {
  const reader = await connection.runAndReadAll(
    `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ${source})`,
  );
  return reader
    .getRows()
    .map(([name, type]) => ({ name: String(name), type: String(type) }));
}
