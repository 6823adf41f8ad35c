import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { OwnopsScaffolderConfig } from '../config';
import {
  describeInvalidServiceName,
  describeUnsafeRelativePath,
} from '../input/safeInput';
import { assertNoSymlinks } from '../input/assertNoSymlinks';

export const PUBLISH_LOCAL_ACTION_ID = 'ownops:publish:local';

const examples = [
  {
    description:
      'Publish the generated service into ownops.scaffolder.localPublishDir (no git host needed)',
    example: `steps:
  - id: publish
    name: Publish
    action: ownops:publish:local
    input:
      name: \${{ parameters.name }}`,
  },
];

export function createPublishLocalAction(options: {
  config: OwnopsScaffolderConfig;
}) {
  const { config } = options;
  return createTemplateAction({
    id: PUBLISH_LOCAL_ACTION_ID,
    description:
      'Copies the generated service into the folder configured as ownops.scaffolder.localPublishDir, for portals without a git host; refuses to overwrite an existing service',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z => z.string().describe('Folder name: the new service name'),
        catalogInfoPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Catalog entry inside the workspace (default: catalog-info.yaml)',
            ),
      },
      output: {
        directory: z => z.string().describe('Absolute path of the copy'),
        catalogInfoPath: z =>
          z.string().describe('Absolute path of its catalog-info.yaml'),
      },
    },
    async handler(ctx) {
      const nameProblem = describeInvalidServiceName(ctx.input.name);
      if (nameProblem) throw new InputError(`name: ${nameProblem}`);
      const catalogInfo = ctx.input.catalogInfoPath ?? 'catalog-info.yaml';
      const pathProblem = describeUnsafeRelativePath(catalogInfo);
      if (pathProblem) throw new InputError(`catalogInfoPath: ${pathProblem}`);
      if (!config.localPublishDir) {
        throw new InputError(
          'ownops.scaffolder.localPublishDir is not configured; set it in app-config, or publish to a git host instead',
        );
      }
      const directory = resolveSafeChildPath(
        config.localPublishDir,
        ctx.input.name,
      );
      const catalogInfoPath = join(directory, catalogInfo);
      await assertNoSymlinks(ctx.workspacePath);

      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would copy the service to ${directory}`);
      } else {
        await ctx.checkpoint({
          key: `ownops.publish.local.${ctx.input.name}`,
          fn: async () => {
            await copyOnce(ctx.workspacePath, directory, ctx.task.id);
          },
        });
        ctx.logger.info(`Published the service to ${directory}`);
      }
      ctx.output('directory', directory);
      ctx.output('catalogInfoPath', catalogInfoPath);
    },
  });
}

/**
 * Copies into a temporary sibling and renames it into place, so the
 * published folder is either complete or absent.
 */
async function copyOnce(source: string, target: string, taskId: string) {
  if (await exists(target)) {
    throw new ConflictError(
      `${target} already exists; a service with this name was published before`,
    );
  }
  const staging = `${target}.partial-${taskId.replace(/[^A-Za-z0-9-]/g, '')}`;
  await fs.rm(staging, { recursive: true, force: true });
  await fs.mkdir(staging, { recursive: true });
  try {
    await fs.cp(source, staging, {
      recursive: true,
      filter: path => !path.split(/[\\/]/).includes('.git'),
    });
    await fs.rename(staging, target);
  } catch (error) {
    await fs.rm(staging, { recursive: true, force: true });
    throw error;
  }
}

async function exists(path: string) {
  return fs
    .lstat(path)
    .then(() => true)
    .catch(() => false);
}
