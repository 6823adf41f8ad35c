import { InputError } from '@backstage/errors';
import { promises as fs, Stats } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { compareStrings, FileSet } from './fileSet';

/** Files larger than this are refused rather than read. */
export const MAX_FILE_BYTES = 1024 * 1024;

/** Folders that never hold a template's own files. */
const SKIPPED_FOLDERS = new Set(['.git', '.terraform']);

function toRelative(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}

async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await fs.lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function symlinkError(path: string) {
  return new InputError(
    `${path} is a symbolic link; generated files must not contain links`,
  );
}

/**
 * Reads the text files under `root/dir` whose names end with one of
 * `extensions`, keyed by their path relative to `root` (with `/`). Refuses
 * symbolic links anywhere on the way, paths outside `root`, and files over
 * 1 MiB. A missing folder gives no files.
 */
export async function readTextFiles(
  root: string,
  dir: string,
  extensions: string[],
): Promise<FileSet> {
  const rootPath = resolve(root);
  const start = resolve(rootPath, dir);
  const fromRoot = relative(rootPath, start);
  if (
    fromRoot === '..' ||
    fromRoot.startsWith(`..${sep}`) ||
    isAbsolute(fromRoot)
  ) {
    throw new InputError(`${dir} is outside the workspace`);
  }

  // Every folder from the root down to `dir` must be a real folder.
  let current = rootPath;
  for (const part of fromRoot ? fromRoot.split(sep) : []) {
    current = join(current, part);
    const stat = await lstatOrUndefined(current);
    if (!stat) return {};
    if (stat.isSymbolicLink())
      throw symlinkError(toRelative(rootPath, current));
    if (!stat.isDirectory()) {
      throw new InputError(`${toRelative(rootPath, current)} is not a folder`);
    }
  }

  const files: FileSet = {};
  const walk = async (folder: string) => {
    const entries = await fs.readdir(folder, { withFileTypes: true });
    entries.sort((a, b) => compareStrings(a.name, b.name));
    for (const entry of entries) {
      const path = join(folder, entry.name);
      const relativePath = toRelative(rootPath, path);
      if (entry.isSymbolicLink()) {
        throw symlinkError(relativePath);
      }
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) await walk(path);
        continue;
      }
      if (
        !entry.isFile() ||
        !extensions.some(extension => entry.name.endsWith(extension))
      ) {
        continue;
      }
      const stat = await fs.lstat(path);
      if (stat.size > MAX_FILE_BYTES) {
        throw new InputError(
          `${relativePath} is larger than 1 MiB (${stat.size} bytes); generated files that big are not stamped`,
        );
      }
      files[relativePath] = await fs.readFile(path, 'utf8');
    }
  };
  await walk(start);
  return files;
}
