import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { ownopsPermissions } from '@ownops/backstage-plugin-common';
import {
  CostSource,
  FocusExportSource,
  DeploymentListener,
  DeployTarget,
  OnCallProvider,
  ownopsCostSourcesExtensionPoint,
  ownopsDeploymentListenersExtensionPoint,
  ownopsDeployTargetsExtensionPoint,
  ownopsOnCallProvidersExtensionPoint,
} from '@ownops/backstage-plugin-node';
import { registerOwnopsActions } from './actions/registerOwnopsActions';
import { readConfiguredSecrets } from './secrets/readConfiguredSecrets';
import {
  redactingCostSource,
  redactingFocusExportSource,
  redactingOnCallProvider,
} from './secrets/redactingProviders';
import { redactorOf } from './secrets/redactSecrets';
import { createRouter } from './router/createRouter';
import { setupCost } from './setup/setupCost';
import { setupDeployments } from './setup/setupDeployments';
import { setupHealth } from './setup/setupHealth';
import { setupOnCall } from './setup/setupOnCall';
import { SummaryService } from './summary/SummaryService';

/**
 * The Ownops backend plugin: deployments with approvals and history, cost
 * and budgets, on-call and one summary per catalog entity. Provider modules
 * extend it through the extension points of `@ownops/backstage-plugin-node`.
 *
 * @public
 */
export const ownopsPlugin = createBackendPlugin({
  pluginId: 'ownops',
  register(env) {
    const moduleTargets: DeployTarget[] = [];
    const moduleCostSources: CostSource[] = [];
    const moduleExportSources: FocusExportSource[] = [];
    const deploymentListeners: DeploymentListener[] = [];
    // Module providers answer before the built-in rotation, in install order.
    const onCallProviders: OnCallProvider[] = [];
    env.registerExtensionPoint(ownopsOnCallProvidersExtensionPoint, {
      addOnCallProvider(...providers) {
        onCallProviders.push(...providers);
      },
    });
    env.registerExtensionPoint(ownopsCostSourcesExtensionPoint, {
      addFocusExportSource(...sources) {
        moduleExportSources.push(...sources);
      },
      addCostSource(...sources) {
        moduleCostSources.push(...sources);
      },
    });
    env.registerExtensionPoint(ownopsDeployTargetsExtensionPoint, {
      addDeployTarget(...targets) {
        moduleTargets.push(...targets);
      },
    });
    env.registerExtensionPoint(ownopsDeploymentListenersExtensionPoint, {
      addDeploymentListener(...listeners) {
        deploymentListeners.push(...listeners);
      },
    });

    env.registerInit({
      deps: {
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        userInfo: coreServices.userInfo,
        catalog: catalogServiceRef,
        signals: signalsServiceRef,
        notifications: notificationService,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init(deps) {
        const { logger, catalog } = deps;
        deps.permissionsRegistry.addPermissions(ownopsPermissions);

        const health = await setupHealth(deps);
        // What targets and module providers report is shown and stored:
        // never a secret.
        const redact = redactorOf(readConfiguredSecrets(deps.config));
        const { targets, store, deployments } = await setupDeployments(
          deps,
          { targets: moduleTargets, listeners: deploymentListeners },
          health,
          redact,
        );
        const { costs, ingestion, budgets, costNow } = await setupCost(
          deps,
          {
            sources: moduleCostSources.map(source =>
              redactingCostSource(source, redact),
            ),
            exportSources: moduleExportSources.map(source =>
              redactingFocusExportSource(source, redact),
            ),
          },
          health,
        );
        const { onCall, overrides, members } = await setupOnCall(deps, {
          providers: onCallProviders.map(provider =>
            redactingOnCallProvider(provider, redact),
          ),
        });

        const summaries = new SummaryService({
          catalog,
          deployments,
          deploymentStore: store,
          costs,
          budgets,
          onCall: (entity, at, signal) => onCall.forEntity(entity, at, signal),
          costNow,
        });
        registerOwnopsActions(deps.actionsRegistry, {
          deployments,
          costs,
          summaries,
          auditor: deps.auditor,
        });

        deps.httpRouter.use(
          await createRouter({
            service: deployments,
            summaries,
            budgets,
            costs: { costs, ingestion, permissions: deps.permissions },
            targets,
            onCall: {
              onCall,
              overrides,
              members,
              catalog,
              userInfo: deps.userInfo,
            },
            httpAuth: deps.httpAuth,
            auditor: deps.auditor,
            health: {
              tasks: health.store,
              costSources: () => ingestion.status(),
              troubles: health.troubles,
              replica: health.replica,
            },
          }),
        );
        logger.info(
          `Ownops on-call providers, in order of precedence: ${onCall
            .providerIds()
            .join(', ')}`,
        );
        logger.info(
          `Ownops cost sources: ${
            ingestion.sourceIds().join(', ') || 'none configured'
          }`,
        );
        logger.info(
          `Ownops deploy targets: ${
            targets.ids().join(', ') || 'none configured'
          }`,
        );
        if (deploymentListeners.length > 0) {
          logger.info(
            `Ownops deployment listeners: ${deploymentListeners
              .map(listener => listener.id)
              .join(', ')}`,
          );
        }
      },
    });
  },
});
