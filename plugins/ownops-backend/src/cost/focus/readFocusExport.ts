import { open } from 'node:fs/promises';
import { CostRecord } from '@ownops/backstage-plugin-node';
import { FocusReadOptions } from './focusRow';
import { isGzip, readFocusFile } from './readFocusFile';
import { readFocusParquet } from './readFocusParquet';
import { sumFocusFile } from './sumFocusFile';

const PARQUET_MAGIC = Buffer.from('PAR1');

async function isParquet(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(PARQUET_MAGIC.length);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return bytesRead === buffer.length && buffer.equals(PARQUET_MAGIC);
  } finally {
    await handle.close();
  }
}

/**
 * Reads a FOCUS export file in whichever format it is, told by its content
 * rather than its name: Parquet (any compression), gzip CSV or plain CSV.
 */
export async function* readFocusExport(
  path: string,
  options: FocusReadOptions = {},
): AsyncGenerator<CostRecord> {
  yield* (await isParquet(path))
    ? readFocusParquet(path, options)
    : readFocusFile(path, options);
}

/**
 * A FOCUS export file's records for ingestion: summed by DuckDB per group
 * of rows attributed alike when every row checks out (see `sumFocusFile`),
 * else every row, read and checked one by one.
 */
export async function* recordsToIngest(
  path: string,
  options: FocusReadOptions = {},
): AsyncGenerator<CostRecord> {
  const summed = await sumFocusFile(
    path,
    { parquet: await isParquet(path), gzip: await isGzip(path) },
    options,
  );
  if (summed) {
    yield* summed;
  } else {
    yield* readFocusExport(path, options);
  }
}
