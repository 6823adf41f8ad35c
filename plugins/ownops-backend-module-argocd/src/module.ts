import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ownopsDeployTargetsExtensionPoint } from '@ownops/backstage-plugin-node';
import { ArgoCdDeployTarget } from './ArgoCdDeployTarget';
import { CONFIG_KEY, readArgoCdInstances } from './config';

/**
 * Adds one Ownops deploy target per configured Argo CD instance
 * (`ownops.argocd.instances`). Without that config it adds nothing.
 *
 * @public
 */
export const ownopsModuleArgoCd = createBackendModule({
  pluginId: 'ownops',
  moduleId: 'argocd',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        targets: ownopsDeployTargetsExtensionPoint,
      },
      async init({ config, logger, targets }) {
        const instances = readArgoCdInstances(config);
        if (instances.length === 0) {
          logger.info(
            `No Argo CD deploy targets: set ${CONFIG_KEY} to deploy with Argo CD`,
          );
          return;
        }
        targets.addDeployTarget(
          ...instances.map(
            instance => new ArgoCdDeployTarget(instance, { logger }),
          ),
        );
        logger.info(
          `Argo CD deploy targets: ${instances
            .map(instance => `"${instance.id}" (${instance.baseUrl})`)
            .join(', ')}`,
        );
      },
    });
  },
});
