import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { ownopsCostSourcesExtensionPoint } from '@ownops/backstage-plugin-node';
import { CatalogOwnershipLookup } from './catalogOwners';
import { AWS_CONFIG_KEY, readAwsCostConfig } from './config';
import { createCostExplorerClient } from './costExplorerClient';
import { CostExplorerCostSource } from './CostExplorerCostSource';

/**
 * Adds one Ownops cost source per `ownops.cost.aws[]` entry; registers
 * nothing when the key is absent.
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
        if (sources.length === 0) {
          logger.info(
            `No ${AWS_CONFIG_KEY} configured; the AWS Cost Explorer cost source is off. Add ${AWS_CONFIG_KEY}[] with an id to enable it`,
          );
          return;
        }
        const credentials = DefaultAwsCredentialsManager.fromConfig(config);
        const created = await Promise.all(
          sources.map(async (source, index) => {
            const client = await createCostExplorerClient(
              source,
              credentials,
            ).catch(error => {
              throw new Error(
                `${AWS_CONFIG_KEY}[${index}]: no AWS credentials for ${
                  source.accountId
                    ? `account ${source.accountId}`
                    : 'the main account'
                }: ${
                  (error as Error).message
                }; configure it under aws.accounts[] or aws.mainAccount`,
              );
            });
            return new CostExplorerCostSource({
              config: source,
              keys,
              client,
              logger,
              ownership: () => new CatalogOwnershipLookup(catalog, auth),
            });
          }),
        );
        costSources.addCostSource(...created);
        logger.info(
          `AWS Cost Explorer cost sources: ${sources
            .map(
              source => `${source.id} (${source.accountId ?? 'main account'})`,
            )
            .join(', ')}`,
        );
      },
    });
  },
});
