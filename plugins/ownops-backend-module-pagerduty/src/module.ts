import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  CatalogPeople,
  ownopsDeploymentListenersExtensionPoint,
  ownopsOnCallProvidersExtensionPoint,
} from '@ownops/backstage-plugin-node';
import { CONFIG_KEY, readPagerDutyConfig } from './config';
import { PagerDutyApi } from './PagerDutyApi';
import { PagerDutyChangeEventListener } from './PagerDutyChangeEventListener';
import { PagerDutyOnCallProvider } from './PagerDutyOnCallProvider';

/**
 * PagerDuty for Ownops: who is on call for entities with
 * `pagerduty.com/service-id`, and finished deployments reported as change
 * events to services with `pagerduty.com/integration-key`. Registers
 * nothing without `ownops.pagerduty`.
 *
 * @public
 */
export const ownopsModulePagerDuty = createBackendModule({
  pluginId: 'ownops',
  moduleId: 'pagerduty',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        onCall: ownopsOnCallProvidersExtensionPoint,
        listeners: ownopsDeploymentListenersExtensionPoint,
      },
      async init({ config, logger, auth, catalog, onCall, listeners }) {
        const settings = readPagerDutyConfig(config);
        if (!settings) {
          logger.info(
            `PagerDuty module is installed but off; set ${CONFIG_KEY}.apiToken to turn it on`,
          );
          return;
        }
        const api = new PagerDutyApi(settings, logger);
        onCall.addOnCallProvider(
          new PagerDutyOnCallProvider({
            api,
            people: new CatalogPeople({ catalog, auth, logger }),
          }),
        );
        if (settings.changeEventsEnabled) {
          const appBaseUrl = config.getOptionalString('app.baseUrl');
          if (!appBaseUrl) {
            throw new Error(
              `${CONFIG_KEY}.changeEvents needs app.baseUrl to link change events to Backstage; set it, or set ${CONFIG_KEY}.changeEvents.enabled to false`,
            );
          }
          listeners.addDeploymentListener(
            new PagerDutyChangeEventListener({ api, appBaseUrl, logger }),
          );
        }
      },
    });
  },
});
