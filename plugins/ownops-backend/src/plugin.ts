import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { ownopsPermissions } from '@ownops/backstage-plugin-common';
import {
  DeployTarget,
  ownopsDeployTargetsExtensionPoint,
} from '@ownops/backstage-plugin-node';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { readDeployConfig } from './config';
import { DatabaseBudgetStore } from './database/DatabaseBudgetStore';
import { DatabaseDeploymentStore } from './database/DatabaseDeploymentStore';
import { DeployEngine } from './engine/DeployEngine';
import { DeploymentEvents } from './engine/DeploymentEvents';
import { createRouter } from './router/createRouter';
import { BudgetService } from './service/BudgetService';
import { DeploymentService } from './service/DeploymentService';
import { CommandDeployTarget } from './targets/command/CommandDeployTarget';
import { readCommandTargets } from './targets/command/readCommandTargets';
import { DeployTargetRegistry } from './targets/DeployTargetRegistry';

/**
 * The Ownops backend plugin: deploy engine, deployment history and
 * approvals per catalog entity, and monthly budgets.
 *
 * @public
 */
export const ownopsPlugin = createBackendPlugin({
  pluginId: 'ownops',
  register(env) {
    const moduleTargets: DeployTarget[] = [];
    env.registerExtensionPoint(ownopsDeployTargetsExtensionPoint, {
      addDeployTarget(...targets) {
        moduleTargets.push(...targets);
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
        catalog: catalogServiceRef,
        signals: signalsServiceRef,
        notifications: notificationService,
      },
      async init(deps) {
        const { logger, config, auth, catalog } = deps;
        deps.permissionsRegistry.addPermissions(ownopsPermissions);

        const targets = new DeployTargetRegistry();
        for (const target of readCommandTargets(config)) {
          targets.add(new CommandDeployTarget(target));
        }
        moduleTargets.forEach(target => targets.add(target));

        const deployConfig = readDeployConfig(config);
        const store = await DatabaseDeploymentStore.create({
          database: deps.database,
        });
        const budgetStore = await DatabaseBudgetStore.create({
          database: deps.database,
        });
        const engine = new DeployEngine({
          store,
          targets,
          config: deployConfig,
          events: new DeploymentEvents({
            logger,
            auditor: deps.auditor,
            signals: deps.signals,
            notifications: deps.notifications,
          }),
          logger,
          runnerId: `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
          loadEntity: async entityRef =>
            catalog.getEntityByRef(entityRef, {
              credentials: await auth.getOwnServiceCredentials(),
            }),
        });

        await deps.scheduler.scheduleTask({
          id: 'ownops-deployment-reconciler',
          scope: 'global',
          ...deployConfig.reconcilerSchedule,
          fn: () => engine.reconcile(),
        });

        deps.httpRouter.use(
          await createRouter({
            service: new DeploymentService({
              engine,
              store,
              targets,
              catalog,
              permissions: deps.permissions,
            }),
            budgets: new BudgetService({
              store: budgetStore,
              catalog,
              permissions: deps.permissions,
            }),
            targets,
            httpAuth: deps.httpAuth,
            auditor: deps.auditor,
          }),
        );
        logger.info(
          `Ownops deploy targets: ${
            targets.ids().join(', ') || 'none configured'
          }`,
        );
      },
    });
  },
});
