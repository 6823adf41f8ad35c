import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createPublishLocalAction } from './actions/publishLocal';
import { createRegisterServiceAction } from './actions/registerService';
import { createResolveOwnerTagsAction } from './actions/resolveOwnerTags';
import { createStampOwnerTagsAction } from './actions/stampOwnerTags';
import { createVerifyOwnerTagsAction } from './actions/verifyOwnerTags';
import { readOwnopsScaffolderConfig } from './config';
import { OwnopsBackendCaller } from './ownopsBackend';

/**
 * Scaffolder actions that resolve, stamp and verify Ownops owner tags and
 * register a new service with its budget.
 *
 * @public
 */
export const scaffolderModuleOwnops = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'ownops',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
      },
      async init({ scaffolder, config, catalog, auth, discovery }) {
        const settings = readOwnopsScaffolderConfig(config);
        const backend = new OwnopsBackendCaller({ auth, discovery });
        scaffolder.addActions(
          createResolveOwnerTagsAction({ catalog, backend, config: settings }),
          createStampOwnerTagsAction({ config: settings }),
          createVerifyOwnerTagsAction({ config: settings }),
          createPublishLocalAction({ config: settings }),
          createRegisterServiceAction({ catalog, backend, config: settings }),
        );
      },
    });
  },
});
