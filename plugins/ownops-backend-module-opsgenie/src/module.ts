import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  CatalogPeople,
  ownopsOnCallProvidersExtensionPoint,
} from '@ownops/backstage-plugin-node';
import { CONFIG_KEY, readOpsgenieConfig } from './config';
import { OpsgenieApi } from './OpsgenieApi';
import { OpsgenieOnCallProvider } from './OpsgenieOnCallProvider';

/**
 * Opsgenie for Ownops: who is on call for entities with `opsgenie.com/team`
 * or `ownops.io/opsgenie-schedule`. Registers nothing without
 * `ownops.opsgenie`.
 *
 * @public
 */
export const ownopsModuleOpsgenie = createBackendModule({
  pluginId: 'ownops',
  moduleId: 'opsgenie',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        onCall: ownopsOnCallProvidersExtensionPoint,
      },
      async init({ config, logger, auth, catalog, onCall }) {
        const settings = readOpsgenieConfig(config);
        if (!settings) {
          logger.info(
            `Opsgenie module is installed but off; set ${CONFIG_KEY}.apiKey to turn it on`,
          );
          return;
        }
        onCall.addOnCallProvider(
          new OpsgenieOnCallProvider({
            api: new OpsgenieApi(settings, logger),
            people: new CatalogPeople({ catalog, auth, logger }),
          }),
        );
      },
    });
  },
});
