import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { CostRecord, CostSource } from '@ownops/backstage-plugin-node';
import { FocusFormatError } from '../focus/FocusFormatError';
import { FocusReadOptions } from '../focus/focusRow';
import { readFocusExport } from '../focus/readFocusExport';

/** File names read as FOCUS exports; the format is told by content. */
const FOCUS_FILE = /\.(csv(\.gz)?|parquet)$/i;

/**
 * The built-in `focus-files` cost source: every FOCUS 1.0–1.3 export
 * (`*.csv`, `*.csv.gz`, `*.parquet`) in a folder and its subfolders, read in
 * path order, streaming.
 *
 * A folder holds whole billing periods: each period found replaces the one
 * stored, so keep every file of a period (or a restated one) in the folder
 * and remove files to stop counting them. The read window is not used to
 * skip rows, because dropping part of a period would under-count it.
 */
export class FocusFilesCostSource implements CostSource {
  constructor(
    readonly id: string,
    private readonly folder: string,
    private readonly options: FocusReadOptions = {},
  ) {}

  get location(): string {
    return `folder ${this.folder}`;
  }

  async *read(): AsyncIterable<CostRecord> {
    for (const file of await this.files()) {
      const name = relative(this.folder, file);
      try {
        for await (const record of readFocusExport(file, this.options)) {
          yield { ...record, source: { ...record.source, file: name } };
        }
      } catch (error) {
        throw error instanceof FocusFormatError ? error.withFile(name) : error;
      }
    }
  }

  /** The export files, sorted, with absolute paths. */
  async files(): Promise<string[]> {
    let entries;
    try {
      entries = await readdir(this.folder, {
        recursive: true,
        withFileTypes: true,
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new Error(
          `The focus-files folder ${this.folder} does not exist; create it or fix ownops.cost.focusFiles[].path`,
        );
      }
      throw error;
    }
    return entries
      .filter(entry => entry.isFile() && FOCUS_FILE.test(entry.name))
      .map(entry => join(entry.parentPath, entry.name))
      .sort();
  }
}
