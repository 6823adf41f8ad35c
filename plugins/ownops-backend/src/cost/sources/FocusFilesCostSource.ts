import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import {
  FocusExportDelivery,
  FocusExportSource,
} from '@ownops/backstage-plugin-node';
import { FocusReadOptions } from '../focus/focusRow';

/** File names read as FOCUS exports; the format is told by content. */
const FOCUS_FILE = /\.(csv(\.gz)?|parquet)$/i;

/**
 * The built-in `focus-files` cost source: every FOCUS 1.0–1.3 export
 * (`*.csv`, `*.csv.gz`, `*.parquet`) in a folder and its subfolders, read in
 * path order, streaming.
 *
 * The folder is one delivery: it is read again only when a file was added,
 * removed or changed (by size or modification time) since the last run that
 * stored it. A folder holds whole billing periods: each period found
 * replaces the one stored, so keep every file of a period (or a restated
 * one) in the folder and remove files to stop counting them.
 */
export class FocusFilesCostSource implements FocusExportSource {
  readonly tagColumns?: Record<string, string>;

  constructor(
    readonly id: string,
    private readonly folder: string,
    options: FocusReadOptions = {},
  ) {
    this.tagColumns = options.tagColumns && { ...options.tagColumns };
  }

  get location(): string {
    return `folder ${this.folder}`;
  }

  async deliveries(): Promise<FocusExportDelivery[]> {
    const files = await this.files();
    if (files.length === 0) {
      return [];
    }
    const fingerprint = createHash('sha256');
    for (const file of files) {
      const { size, mtimeMs } = await stat(file);
      fingerprint.update(
        `${relative(this.folder, file)}\0${size}\0${mtimeMs}\n`,
      );
    }
    return [
      {
        key: 'folder',
        fingerprint: fingerprint.digest('hex'),
        location: this.location,
        root: this.folder,
        files: async () => files,
      },
    ];
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
