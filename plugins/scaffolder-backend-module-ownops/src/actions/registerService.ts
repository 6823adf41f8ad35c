import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  DEFAULT_BUDGET_THRESHOLDS,
  normalizeBudgetAmount,
  validateBudgetInput,
} from '@ownops/backstage-plugin-common';
import { promises as fs } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { OwnopsScaffolderConfig } from '../config';
import { InputProblems } from '../input/safeInput';
import { OwnopsBackendCaller } from '../ownopsBackend';

export const REGISTER_SERVICE_ACTION_ID = 'ownops:service:register';

const examples = [
  {
    description:
      'Register a service published with ownops:publish:local and set its budget',
    example: `steps:
  - id: register
    name: Register with budget
    action: ownops:service:register
    input:
      entityRef: \${{ steps.tags.output.entityRef }}
      catalogInfoPath: \${{ steps.publish.output.catalogInfoPath }}
      removeOnFailure: \${{ steps.publish.output.directory }}
      budget:
        amount: \${{ parameters.budget }}
        currency: USD
        thresholds: [50, 80, 100]`,
  },
  {
    description: 'Register a service published to GitHub and set its budget',
    example: `steps:
  - id: register
    action: ownops:service:register
    input:
      entityRef: \${{ steps.tags.output.entityRef }}
      catalogInfoUrl: \${{ steps.publish.output.repoContentsUrl }}/catalog-info.yaml
      budget: { amount: '500', currency: EUR }`,
  },
];

export function createRegisterServiceAction(options: {
  catalog: CatalogService;
  backend: OwnopsBackendCaller;
  config: OwnopsScaffolderConfig;
}) {
  const { catalog, backend, config } = options;
  return createTemplateAction({
    id: REGISTER_SERVICE_ACTION_ID,
    description:
      'Registers the new service in the catalog, waits until it is there and sets its monthly budget through the Ownops API as the initiating user; on failure it removes what it registered, so nothing is left half-created',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z => z.string().describe('The new component'),
        catalogInfoUrl: z =>
          z
            .string()
            .optional()
            .describe('URL of catalog-info.yaml in the published repository'),
        catalogInfoPath: z =>
          z
            .string()
            .optional()
            .describe('Local catalog-info.yaml from ownops:publish:local'),
        environments: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              'Environments the Ownops backend must report for the new entity (from ownops:tags:resolve)',
            ),
        deployTarget: z =>
          z
            .string()
            .optional()
            .describe(
              'Deploy target every environment must use (from ownops:tags:resolve)',
            ),
        removeOnFailure: z =>
          z
            .string()
            .optional()
            .describe(
              'Folder from ownops:publish:local to delete if registration fails',
            ),
        budget: z =>
          z
            .object({
              amount: z.union([z.string(), z.number()]),
              currency: z.string(),
              thresholds: z.array(z.number()).optional(),
            })
            .describe('Monthly budget and alert thresholds (percent)'),
      },
      output: {
        entityRef: z => z.string(),
        budgetAmount: z => z.string(),
        budgetCurrency: z => z.string(),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const problems = new InputProblems();
      let entityRef = '';
      try {
        entityRef = stringifyEntityRef(parseEntityRef(input.entityRef));
      } catch (error) {
        problems.add('entityRef', (error as Error).message);
      }
      problems.addAll('budget', validateBudgetInput(input.budget ?? {}));
      const location = describeLocation(input, config, problems, {
        // In a dry run the URL comes from a publish step that did not run
        // and only produced an example value.
        checkUrl: !ctx.isDryRun,
      });
      problems.throwIfAny('Invalid template input');
      const amount = normalizeBudgetAmount(input.budget.amount)!;
      const budget = {
        amount,
        currency: input.budget.currency,
        thresholds: input.budget.thresholds ?? [...DEFAULT_BUDGET_THRESHOLDS],
      };

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would register ${location.type}:${location.target} and set a monthly budget of ${amount} ${budget.currency} on ${entityRef}`,
        );
        ctx.output('entityRef', entityRef);
        ctx.output('budgetAmount', amount);
        ctx.output('budgetCurrency', budget.currency);
        return;
      }

      if (location.type === 'file' && !(await isFile(location.target))) {
        throw new InputError(
          `catalogInfoPath: ${location.target} does not exist; run ownops:publish:local first`,
        );
      }
      const credentials = await ctx.getInitiatorCredentials();
      const { locationId } = await ctx.checkpoint({
        key: `ownops.register.location.${entityRef}`,
        fn: async () => {
          const added = await catalog.addLocation(location, { credentials });
          return { locationId: added.location.id };
        },
      });
      ctx.logger.info(`Registered ${location.type}:${location.target}`);

      try {
        const waitedMs = await waitForEntity(catalog, entityRef, credentials, {
          timeoutMs: config.registerTimeoutMs,
          signal: ctx.signal,
        });
        ctx.logger.info(
          `${entityRef} is in the catalog (after ${(waitedMs / 1000).toFixed(
            1,
          )} s)`,
        );
        const caller = await backend.forUser(credentials);
        if (input.environments || input.deployTarget) {
          await confirmDeploySetup(caller, entityRef, {
            environments: input.environments,
            deployTarget: input.deployTarget,
          });
        }
        await ctx.checkpoint({
          key: `ownops.budget.${entityRef}`,
          fn: async () => {
            await caller.client.setBudget(entityRef, budget, caller.options);
          },
        });
      } catch (error) {
        await undoRegistration(ctx.logger, {
          catalog,
          credentials,
          locationId,
          directory: input.removeOnFailure,
          config,
        });
        throw new InputError(
          `${entityRef} was not set up (${
            (error as Error).message
          }); its catalog registration was removed`,
        );
      }
      ctx.logger.info(
        `Set the monthly budget of ${entityRef} to ${amount} ${
          budget.currency
        } with alerts at ${budget.thresholds.join('%, ')}%`,
      );
      ctx.output('entityRef', entityRef);
      ctx.output('budgetAmount', amount);
      ctx.output('budgetCurrency', budget.currency);
    },
  });
}

function describeLocation(
  input: {
    catalogInfoUrl?: string;
    catalogInfoPath?: string;
    removeOnFailure?: string;
  },
  config: OwnopsScaffolderConfig,
  problems: InputProblems,
  options: { checkUrl: boolean },
): { type: 'url' | 'file'; target: string } {
  if (Boolean(input.catalogInfoUrl) === Boolean(input.catalogInfoPath)) {
    problems.add(
      'catalogInfoUrl',
      'give exactly one of catalogInfoUrl (a published repository) or catalogInfoPath (ownops:publish:local)',
    );
    return { type: 'url', target: '' };
  }
  if (
    input.removeOnFailure &&
    !isInsidePublishDir(input.removeOnFailure, config)
  ) {
    problems.add(
      'removeOnFailure',
      'must be a folder inside ownops.scaffolder.localPublishDir',
    );
  }
  if (input.catalogInfoUrl) {
    let url: URL | undefined;
    try {
      url = new URL(input.catalogInfoUrl);
    } catch {
      url = undefined;
    }
    if (
      options.checkUrl &&
      (!url || !['https:', 'http:'].includes(url.protocol))
    ) {
      problems.add('catalogInfoUrl', 'must be an http(s) URL');
    }
    return { type: 'url', target: input.catalogInfoUrl };
  }
  const path = resolve(input.catalogInfoPath!);
  if (!isInsidePublishDir(path, config)) {
    problems.add(
      'catalogInfoPath',
      'must be a file inside ownops.scaffolder.localPublishDir',
    );
  }
  return { type: 'file', target: path };
}

function isInsidePublishDir(path: string, config: OwnopsScaffolderConfig) {
  if (!config.localPublishDir) return false;
  const rel = relative(config.localPublishDir, resolve(path));
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

async function isFile(path: string) {
  const stat = await fs.lstat(path).catch(() => undefined);
  return Boolean(stat?.isFile());
}

async function waitForEntity(
  catalog: CatalogService,
  entityRef: string,
  credentials: BackstageCredentials,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<number> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  for (;;) {
    if (await catalog.getEntityByRef(entityRef, { credentials })) {
      return Date.now() - started;
    }
    if (options.signal?.aborted) {
      throw new Error('the task was cancelled');
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${entityRef} did not appear in the catalog within ${Math.round(
          options.timeoutMs / 1000,
        )} seconds; check the catalog's processing errors for its location`,
      );
    }
    await new Promise(r => setTimeout(r, 500));
  }
}

/**
 * Asks the Ownops backend, as the user, how it will deploy the new entity,
 * and fails unless that is what the form chose.
 */
async function confirmDeploySetup(
  caller: Awaited<ReturnType<OwnopsBackendCaller['forUser']>>,
  entityRef: string,
  expected: { environments?: string[]; deployTarget?: string },
) {
  const { environments } = await caller.client.getEnvironments(
    entityRef,
    caller.options,
  );
  const names = environments.map(environment => environment.name);
  if (
    expected.environments &&
    names.join(',') !== expected.environments.join(',')
  ) {
    throw new Error(
      `the Ownops backend reports environments ${
        names.join(', ') || '(none)'
      } for ${entityRef}, not ${expected.environments.join(', ')}`,
    );
  }
  for (const environment of environments) {
    if (environment.problem) {
      throw new Error(
        `${environment.name} cannot be deployed to: ${environment.problem}`,
      );
    }
    if (
      expected.deployTarget &&
      environment.targetId !== expected.deployTarget
    ) {
      throw new Error(
        `${environment.name} deploys with ${environment.targetId}, not ${expected.deployTarget}`,
      );
    }
  }
}

async function undoRegistration(
  logger: { warn(message: string): void },
  options: {
    catalog: CatalogService;
    credentials: BackstageCredentials;
    locationId: string;
    directory?: string;
    config: OwnopsScaffolderConfig;
  },
) {
  try {
    await options.catalog.removeLocationById(options.locationId, {
      credentials: options.credentials,
    });
  } catch (error) {
    logger.warn(
      `Could not remove catalog location ${options.locationId}: ${
        (error as Error).message
      }`,
    );
  }
  if (
    options.directory &&
    isInsidePublishDir(options.directory, options.config)
  ) {
    await fs.rm(resolve(options.directory), { recursive: true, force: true });
  }
}
