import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ownopsDeployTargetsExtensionPoint } from '@ownops/backstage-plugin-node';
import {
  readKubernetesTargets,
  TARGETS_CONFIG_KEY,
} from './config/readKubernetesTargets';
import { KubernetesClient } from './kubernetes/KubernetesClient';
import { KubernetesDeployTarget } from './KubernetesDeployTarget';

/**
 * Adds the deploy targets of `ownops.kubernetes.targets`: each deploys to a
 * cluster of Backstage's `kubernetes` config with its service account token.
 *
 * @public
 */
export const ownopsModuleKubernetes = createBackendModule({
  pluginId: 'ownops',
  moduleId: 'kubernetes',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        deployTargets: ownopsDeployTargetsExtensionPoint,
      },
      async init({ config, logger, deployTargets }) {
        const targets = readKubernetesTargets(config);
        if (targets.length === 0) {
          logger.info(
            `No Kubernetes deploy targets: set ${TARGETS_CONFIG_KEY} to deploy to Kubernetes clusters`,
          );
          return;
        }
        deployTargets.addDeployTarget(
          ...targets.map(
            target =>
              new KubernetesDeployTarget(
                target,
                new KubernetesClient({
                  cluster: target.cluster,
                  timeoutMs: target.timeoutMs,
                  logger,
                }),
              ),
          ),
        );
        logger.info(
          `Kubernetes deploy targets: ${targets
            .map(t => `${t.id} (cluster ${t.cluster.name})`)
            .join(', ')}`,
        );
      },
    });
  },
});
