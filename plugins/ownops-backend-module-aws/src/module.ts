import {
  AuthService,
  coreServices,
  createBackendModule,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  AwsCredentialsManager,
  DefaultAwsCredentialsManager,
} from '@backstage/integration-aws-node';
import {
  CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { OwnerTagKeys } from '@ownops/backstage-plugin-common';
import { ownopsCostSourcesExtensionPoint } from '@ownops/backstage-plugin-node';
import { AwsDataExportSource } from './AwsDataExportSource';
import { CatalogOwnershipLookup } from './catalogOwners';
import {
  AWS_CONFIG_KEY,
  AwsCostSourceConfig,
  readAwsCostConfig,
} from './config';
import { createCostExplorerClient } from './costExplorerClient';
import { CostExplorerCostSource } from './CostExplorerCostSource';
import {
  AWS_DATA_EXPORTS_CONFIG_KEY,
  AwsDataExportConfig,
  readAwsDataExportsConfig,
} from './dataExportsConfig';
import { createS3Client } from './s3Client';

/** A client made with the account's credentials, or an error saying how to configure them. */
async function withCredentials<T>(
  create: () => Promise<T>,
  at: string,
  accountId: string | undefined,
): Promise<T> {
  return create().catch(error => {
    throw new Error(
      `${at}: no AWS credentials for ${
        accountId ? `account ${accountId}` : 'the main account'
      }: ${
        (error as Error).message
      }; configure it under aws.accounts[] or aws.mainAccount`,
    );
  });
}

async function costExplorerSources(
  sources: AwsCostSourceConfig[],
  deps: {
    keys: OwnerTagKeys;
    credentials: AwsCredentialsManager;
    logger: LoggerService;
    catalog: CatalogService;
    auth: AuthService;
  },
): Promise<CostExplorerCostSource[]> {
  return Promise.all(
    sources.map(async (source, index) => {
      const client = await withCredentials(
        () => createCostExplorerClient(source, deps.credentials),
        `${AWS_CONFIG_KEY}[${index}]`,
        source.accountId,
      );
      return new CostExplorerCostSource({
        config: source,
        keys: deps.keys,
        client,
        logger: deps.logger,
        ownership: () => new CatalogOwnershipLookup(deps.catalog, deps.auth),
      });
    }),
  );
}

async function dataExportSources(
  exports: AwsDataExportConfig[],
  deps: { credentials: AwsCredentialsManager; logger: LoggerService },
): Promise<AwsDataExportSource[]> {
  return Promise.all(
    exports.map(
      async (config, index) =>
        new AwsDataExportSource({
          config,
          client: await withCredentials(
            () => createS3Client(config, deps.credentials),
            `${AWS_DATA_EXPORTS_CONFIG_KEY}[${index}]`,
            config.accountId,
          ),
          logger: deps.logger,
        }),
    ),
  );
}

/**
 * Adds one Ownops cost source per `ownops.cost.aws[]` entry (Cost Explorer)
 * and one FOCUS export source per `ownops.cost.awsDataExports[]` entry
 * (AWS Data Exports in S3); registers nothing when both keys are absent.
 *
 * @public
 */
export const ownopsModuleAws = createBackendModule({
  pluginId: 'ownops',
  moduleId: 'aws',
  register(env) {
    env.registerInit({
      deps: {
        costSources: ownopsCostSourcesExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
      },
      async init({ costSources, config, logger, catalog, auth }) {
        const { sources, keys } = readAwsCostConfig(config);
        const exports = readAwsDataExportsConfig(
          config,
          sources.map(source => source.id),
        );
        if (sources.length === 0 && exports.length === 0) {
          logger.info(
            `No ${AWS_CONFIG_KEY} or ${AWS_DATA_EXPORTS_CONFIG_KEY} configured; the AWS cost sources are off. Add ${AWS_CONFIG_KEY}[] (Cost Explorer) or ${AWS_DATA_EXPORTS_CONFIG_KEY}[] (Data Exports in S3) with an id to enable them`,
          );
          return;
        }
        const credentials = DefaultAwsCredentialsManager.fromConfig(config);
        if (sources.length > 0) {
          costSources.addCostSource(
            ...(await costExplorerSources(sources, {
              keys,
              credentials,
              logger,
              catalog,
              auth,
            })),
          );
          logger.info(
            `AWS Cost Explorer cost sources: ${sources
              .map(
                source =>
                  `${source.id} (${source.accountId ?? 'main account'})`,
              )
              .join(', ')}`,
          );
        }
        if (exports.length > 0) {
          const created = await dataExportSources(exports, {
            credentials,
            logger,
          });
          costSources.addFocusExportSource(...created);
          logger.info(
            `AWS Data Exports cost sources: ${created
              .map(source => `${source.id} (${source.location})`)
              .join(', ')}`,
          );
        }
      },
    });
  },
});
