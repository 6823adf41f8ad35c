import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable, Transform, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CsvError, parse } from 'csv-parse';
import { CostRecord } from '@ownops/backstage-plugin-node';
import {
  Columns,
  findTagColumns,
  FocusReadOptions,
  readHeader,
  TagColumnIndexes,
  toCostRecord,
} from './focusRow';
import { FocusFormatError } from './FocusFormatError';

export { MANDATORY_FOCUS_COLUMNS } from './focusRow';

const GZIP_MAGIC = [0x1f, 0x8b];

export async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(2);
    const { bytesRead } = await handle.read(buffer, 0, 2, 0);
    return (
      bytesRead === 2 &&
      buffer[0] === GZIP_MAGIC[0] &&
      buffer[1] === GZIP_MAGIC[1]
    );
  } finally {
    await handle.close();
  }
}

/**
 * Reads a FOCUS 1.0–1.3 CSV file, plain or gzip-compressed (detected by its
 * magic bytes, whatever the file is called), as a stream of
 * {@link @ownops/backstage-plugin-node#CostRecord}s. The file is never held in
 * memory as a whole.
 *
 * Columns are found by header name; columns Ownops does not use (for example
 * the sample data's `Id`) are ignored. Empty cells and the literal `NULL` are
 * null.
 *
 * Contract: the header is checked before the first record is yielded; a
 * missing mandatory column throws a {@link FocusFormatError} that lists every
 * missing column. A malformed cell throws a {@link FocusFormatError} with the
 * file, line and column when the iterator reaches that row. Records yielded
 * before the error are valid, but the file as a whole is not: callers must
 * discard everything read from the file (for example by ingesting in one
 * transaction that is rolled back), so a bill is never half-committed.
 * Breaking out of the loop early closes the file.
 */
export async function* readFocusFile(
  path: string,
  options: FocusReadOptions = {},
): AsyncGenerator<CostRecord> {
  const gzip = await isGzip(path);
  const parser = parse({
    bom: true,
    info: true,
    skip_empty_lines: true,
  });
  const stages: Array<Readable | Transform> = [createReadStream(path)];
  if (gzip) {
    stages.push(createGunzip());
  }
  const streams = [...stages, parser];
  // Errors from the file or gunzip reach the parser, which ends the loop
  // below with them; the callback only has to exist.
  pipeline(streams as unknown as [Readable, Transform], () => {});

  let columns: Columns | undefined;
  let tagColumns: TagColumnIndexes = [];
  let previousEndLine = 0;
  let previousEmptyLines = 0;

  const fail = (message: string, extra: { line?: number; cause?: unknown }) =>
    new FocusFormatError({ file: path, message, ...extra });

  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number; empty_lines: number };
    }>) {
      const line =
        previousEndLine + 1 + (info.empty_lines - previousEmptyLines);
      previousEndLine = info.lines;
      previousEmptyLines = info.empty_lines;

      if (!columns) {
        columns = readHeader(path, record, { line });
        tagColumns = findTagColumns(record, options.tagColumns);
        continue;
      }
      yield toCostRecord(path, { line }, record, columns, tagColumns);
    }
  } catch (error) {
    if (error instanceof FocusFormatError) {
      throw error;
    }
    if (error instanceof CsvError) {
      const csvLine = (error as CsvError & { lines?: number }).lines;
      throw fail(`malformed CSV: ${error.message}`, {
        line: csvLine,
        cause: error,
      });
    }
    const code = (error as { code?: unknown })?.code;
    if (typeof code === 'string' && code.startsWith('Z_')) {
      throw fail(`broken gzip stream: ${(error as Error).message}`, {
        cause: error,
      });
    }
    throw error;
  } finally {
    for (const stream of streams) {
      stream.destroy();
    }
  }
  if (!columns) {
    throw fail('empty file: expected a header row with FOCUS column names', {});
  }
}
