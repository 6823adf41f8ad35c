import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { ownopsDeployTargetsExtensionPoint } from '@ownops/backstage-plugin-node';
import { GithubApi } from './api/GithubApi';
import { createGithubDeployTarget } from './GithubDeployTarget';
import { TARGETS_KEY, readGithubTargets } from './config/readGithubTargets';

/**
 * Adds a deploy target for each `ownops.github.targets` entry: deploys
 * dispatch a GitHub Actions workflow and follow its run.
 *
 * @public
 */
export const ownopsModuleGithub = createBackendModule({
  pluginId: 'ownops',
  moduleId: 'github',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        deployTargets: ownopsDeployTargetsExtensionPoint,
      },
      async init({ config, logger, deployTargets }) {
        const integrations = ScmIntegrations.fromConfig(config);
        const targets = readGithubTargets(config, integrations);
        if (targets.length === 0) {
          logger.info(
            `No GitHub deploy targets: add ${TARGETS_KEY} to deploy with GitHub Actions workflows`,
          );
          return;
        }
        const api = new GithubApi({
          integrations,
          credentialsProvider:
            DefaultGithubCredentialsProvider.fromIntegrations(integrations),
          logger,
        });
        deployTargets.addDeployTarget(
          ...targets.map(target =>
            createGithubDeployTarget({ config: target, api }),
          ),
        );
        logger.info(
          `GitHub deploy targets: ${targets
            .map(
              target => `${target.id} (${target.workflow} on ${target.host})`,
            )
            .join(', ')}`,
        );
      },
    });
  },
});
