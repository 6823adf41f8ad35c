import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { testConfig } from '../__testUtils__/fixtures';
import { createPublishLocalAction } from './publishLocal';

describe('ownops:publish:local', () => {
  const dir = createMockDirectory();

  beforeEach(() => {
    dir.setContent({
      workspace: {
        'catalog-info.yaml': 'kind: Component\n',
        src: { 'server.mjs': 'export {};\n' },
      },
      services: {},
    });
  });

  function context(input: Record<string, unknown>, isDryRun = false) {
    return {
      ...createMockActionContext({
        input: input as any,
        workspacePath: dir.resolve('workspace'),
      }),
      isDryRun,
    };
  }

  const action = () =>
    createPublishLocalAction({
      config: testConfig({ localPublishDir: dir.resolve('services') }),
    });

  it('copies the workspace into the publish folder and says where', async () => {
    const ctx = context({ name: 'orders' });
    await action().handler(ctx as any);
    const published = dir.resolve('services/orders');
    expect(await fs.readFile(join(published, 'src/server.mjs'), 'utf8')).toBe(
      'export {};\n',
    );
    expect(ctx.output).toHaveBeenCalledWith('directory', published);
    expect(ctx.output).toHaveBeenCalledWith(
      'catalogInfoPath',
      join(published, 'catalog-info.yaml'),
    );
    expect(await fs.readdir(dir.resolve('services'))).toEqual(['orders']);
  });

  it('never overwrites a service published before', async () => {
    await action().handler(context({ name: 'orders' }) as any);
    await expect(
      action().handler(context({ name: 'orders' }) as any),
    ).rejects.toThrow(/services\/orders already exists/);
  });

  it('writes nothing in a dry run', async () => {
    const ctx = context({ name: 'orders' }, true);
    await action().handler(ctx as any);
    expect(await fs.readdir(dir.resolve('services'))).toEqual([]);
    expect(ctx.output).toHaveBeenCalledWith(
      'directory',
      dir.resolve('services/orders'),
    );
  });

  it.each([
    [{ name: '../escape' }, 'name: "../escape" must be a plain name'],
    [{ name: 'orders', catalogInfoPath: '/etc/passwd' }, 'catalogInfoPath:'],
  ])('refuses %j before writing anything', async (input, message) => {
    await expect(action().handler(context(input) as any)).rejects.toThrow(
      message,
    );
    expect(await fs.readdir(dir.resolve('services'))).toEqual([]);
  });

  it('refuses a workspace with a symbolic link', async () => {
    await fs.symlink('/etc/passwd', dir.resolve('workspace/src/passwd'));
    await expect(
      action().handler(context({ name: 'orders' }) as any),
    ).rejects.toThrow('src/passwd is a symbolic link');
    expect(await fs.readdir(dir.resolve('services'))).toEqual([]);
  });

  it('says what to configure when no publish folder is set', async () => {
    const unconfigured = createPublishLocalAction({ config: testConfig() });
    await expect(
      unconfigured.handler(context({ name: 'orders' }) as any),
    ).rejects.toThrow('ownops.scaffolder.localPublishDir is not configured');
  });
});
