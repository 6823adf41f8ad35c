import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ownopsCostSourcesExtensionPoint } from '@ownops/backstage-plugin-node';
import { AzureFocusExportSource } from './AzureFocusExportSource';
import { AZURE_EXPORTS_CONFIG_KEY, readAzureExportsConfig } from './config';
import { openExportContainer } from './storageClient';

/**
 * Adds one Ownops FOCUS export source per `ownops.cost.azureExports[]`
 * entry; registers nothing when the key is absent.
 *
 * @public
 */
export const ownopsModuleAzure = createBackendModule({
  pluginId: 'ownops',
  moduleId: 'azure',
  register(env) {
    env.registerInit({
      deps: {
        costSources: ownopsCostSourcesExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ costSources, config, logger }) {
        const exports = readAzureExportsConfig(config);
        if (exports.length === 0) {
          logger.info(
            `No ${AZURE_EXPORTS_CONFIG_KEY} configured; the Azure Cost Management export source is off. Add ${AZURE_EXPORTS_CONFIG_KEY}[] with id, accountUrl, container and path to enable it`,
          );
          return;
        }
        const sources = exports.map(
          entry =>
            new AzureFocusExportSource({
              config: entry,
              container: openExportContainer(entry),
              logger,
            }),
        );
        costSources.addFocusExportSource(...sources);
        logger.info(
          `Azure Cost Management export sources: ${sources
            .map(source => `${source.id} (${source.location})`)
            .join(', ')}`,
        );
      },
    });
  },
});
