import { Config } from '@backstage/config';

/**
 * Reads `tagColumns` (column → non-empty tag key); errors name `entryKey`.
 *
 * @public
 */
export function readTagColumns(
  entry: Config,
  entryKey: string,
): Record<string, string> {
  const section = entry.getOptionalConfig('tagColumns');
  const tagColumns: Record<string, string> = {};
  for (const column of section?.keys() ?? []) {
    const key = section!.getOptionalString(column)?.trim();
    if (!key) {
      throw new Error(
        `${entryKey}.tagColumns.${column} must be the tag key the column's values are read as, e.g. cost-center`,
      );
    }
    tagColumns[column] = key;
  }
  return tagColumns;
}
