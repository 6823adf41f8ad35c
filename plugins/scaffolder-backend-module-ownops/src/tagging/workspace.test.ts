import { InputError } from '@backstage/errors';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTextFiles } from '.';

describe('readTextFiles', () => {
  let root: string;
  let outside: string;

  beforeEach(async () => {
    const base = await fs.mkdtemp(join(tmpdir(), 'ownops-tagging-'));
    root = join(base, 'workspace');
    outside = join(base, 'outside');
    await fs.mkdir(join(root, 'infra', 'modules', 'queue'), {
      recursive: true,
    });
    await fs.mkdir(join(root, 'infra', '.terraform', 'modules'), {
      recursive: true,
    });
    await fs.mkdir(outside);
    await fs.writeFile(join(root, 'infra', 'main.tf'), 'locals {}\n');
    await fs.writeFile(join(root, 'infra', 'README.md'), '# infra\n');
    await fs.writeFile(
      join(root, 'infra', 'modules', 'queue', 'q.tf'),
      '# q\n',
    );
    await fs.writeFile(
      join(root, 'infra', '.terraform', 'modules', 'cached.tf'),
      '# cache\n',
    );
    await fs.writeFile(join(outside, 'secret.tf'), 'secret\n');
  });

  afterEach(async () => {
    await fs.rm(join(root, '..'), { recursive: true, force: true });
  });

  it('reads matching files below the folder, keyed relative to the root', async () => {
    expect(await readTextFiles(root, 'infra', ['.tf'])).toEqual({
      'infra/main.tf': 'locals {}\n',
      'infra/modules/queue/q.tf': '# q\n',
    });
    expect(Object.keys(await readTextFiles(root, '.', ['.tf', '.md']))).toEqual(
      ['infra/README.md', 'infra/main.tf', 'infra/modules/queue/q.tf'],
    );
  });

  it('gives no files for a missing folder', async () => {
    expect(await readTextFiles(root, 'k8s', ['.yaml'])).toEqual({});
    expect(await readTextFiles(root, 'k8s/staging', ['.yaml'])).toEqual({});
  });

  it('refuses a symbolic link to a file', async () => {
    await fs.symlink(
      join(outside, 'secret.tf'),
      join(root, 'infra', 'link.tf'),
    );
    const error = await readTextFiles(root, 'infra', ['.tf']).catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      'infra/link.tf is a symbolic link; generated files must not contain links',
    );
  });

  it('refuses a symbolic link to a folder, inside or on the way to the folder', async () => {
    await fs.symlink(outside, join(root, 'infra', 'modules', 'elsewhere'));
    await expect(readTextFiles(root, 'infra', ['.tf'])).rejects.toThrow(
      'infra/modules/elsewhere is a symbolic link; generated files must not contain links',
    );
    await expect(
      readTextFiles(root, 'infra/modules/elsewhere', ['.tf']),
    ).rejects.toThrow('infra/modules/elsewhere is a symbolic link');
  });

  it('refuses folders outside the root', async () => {
    await expect(readTextFiles(root, '../outside', ['.tf'])).rejects.toThrow(
      new InputError('../outside is outside the workspace'),
    );
    await expect(readTextFiles(root, 'infra/../..', ['.tf'])).rejects.toThrow(
      'infra/../.. is outside the workspace',
    );
    await expect(readTextFiles(root, outside, ['.tf'])).rejects.toThrow(
      `${outside} is outside the workspace`,
    );
  });

  it('refuses files over 1 MiB', async () => {
    await fs.writeFile(
      join(root, 'infra', 'big.tf'),
      'x'.repeat(1024 * 1024 + 1),
    );
    await expect(readTextFiles(root, 'infra', ['.tf'])).rejects.toThrow(
      'infra/big.tf is larger than 1 MiB (1048577 bytes); generated files that big are not stamped',
    );
  });

  it('refuses a file given as the folder', async () => {
    await expect(readTextFiles(root, 'infra/main.tf', ['.tf'])).rejects.toThrow(
      'infra/main.tf is not a folder',
    );
  });
});
