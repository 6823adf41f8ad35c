import { open } from 'node:fs/promises';
import { CostRecord } from '@ownops/backstage-plugin-node';
import { FocusReadOptions } from './focusRow';
import { readFocusFile } from './readFocusFile';
import { readFocusParquet } from './readFocusParquet';

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
