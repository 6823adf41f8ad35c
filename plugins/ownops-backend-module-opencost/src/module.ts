import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  ownopsCostSourcesExtensionPoint,
  ProviderHttpClient,
} from '@ownops/backstage-plugin-node';
import { OPENCOST_CONFIG_KEY, readOpenCostConfig } from './config';
import { OpenCostCostSource } from './OpenCostCostSource';

/**
 * Adds one Ownops cost source per `ownops.cost.opencost[]` entry; registers
 * nothing when the key is absent.
 *
 * @public
 */
export const ownopsModuleOpenCost = createBackendModule({
  pluginId: 'ownops',
  moduleId: 'opencost',
  register(env) {
    env.registerInit({
      deps: {
        costSources: ownopsCostSourcesExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ costSources, config, logger }) {
        const { sources, keys } = readOpenCostConfig(config);
        if (sources.length === 0) {
          logger.info(
            `No ${OPENCOST_CONFIG_KEY} configured; the OpenCost cost source is off. Add ${OPENCOST_CONFIG_KEY}[] with id and url to enable it`,
          );
          return;
        }
        costSources.addCostSource(
          ...sources.map(
            source =>
              new OpenCostCostSource({
                config: source,
                keys,
                logger,
                http: new ProviderHttpClient({
                  provider: 'OpenCost',
                  timeoutMs: source.timeoutMs,
                  secrets: Object.values(source.headers),
                  logger,
                }),
              }),
          ),
        );
        logger.info(
          `OpenCost cost sources: ${sources
            .map(source => `${source.id} (${source.url})`)
            .join(', ')}`,
        );
      },
    });
  },
});
