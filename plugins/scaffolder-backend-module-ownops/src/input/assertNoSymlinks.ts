import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { promises as fs } from 'node:fs';

/** Refuses symlinks anywhere in the workspace: they could publish files from outside it. */
export async function assertNoSymlinks(workspacePath: string, dir = '') {
  const entries = await fs.readdir(
    resolveSafeChildPath(workspacePath, dir || '.'),
    {
      withFileTypes: true,
    },
  );
  for (const entry of entries) {
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isSymbolicLink()) {
      throw new InputError(
        `${path} is a symbolic link; generated files must not contain links`,
      );
    }
    if (entry.isDirectory() && entry.name !== '.git') {
      await assertNoSymlinks(workspacePath, path);
    }
  }
}
