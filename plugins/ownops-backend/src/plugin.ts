import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  ownopsPermissions,
  readOwnerTagPolicy,
} from '@ownops/backstage-plugin-common';
import {
  CostSource,
  DeployTarget,
  OnCallProvider,
  ownopsCostSourcesExtensionPoint,
  ownopsDeployTargetsExtensionPoint,
  ownopsOnCallProvidersExtensionPoint,
} from '@ownops/backstage-plugin-node';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { readDeployConfig } from './config';
import { BudgetAlertChecker } from './cost/budgets/BudgetAlertChecker';
import { readBudgetAlertConfig } from './cost/budgets/config';
import { registerOwnopsActions } from './actions/registerOwnopsActions';
import { assertUniqueIds } from './assertUniqueIds';
import { readCostConfig } from './cost/config';
import { CostIngestion } from './cost/ingest/CostIngestion';
import { CostService } from './cost/query/CostService';
import { FocusFilesCostSource } from './cost/sources/FocusFilesCostSource';
import { DatabaseBudgetAlertStore } from './database/DatabaseBudgetAlertStore';
import { DatabaseBudgetStore } from './database/DatabaseBudgetStore';
import { DatabaseCostStore } from './database/DatabaseCostStore';
import { DatabaseDeploymentStore } from './database/DatabaseDeploymentStore';
import { DatabaseOnCallOverrideStore } from './database/DatabaseOnCallOverrideStore';
import { DeployEngine } from './engine/DeployEngine';
import { SummaryService } from './summary/SummaryService';
import { DeploymentEvents } from './engine/DeploymentEvents';
import { readOnCallConfig } from './oncall/config';
import { GroupMembers } from './oncall/GroupMembers';
import { OnCallService } from './oncall/OnCallService';
import { RotationOnCallProvider } from './oncall/rotation/RotationOnCallProvider';
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
    const moduleCostSources: CostSource[] = [];
    // Module providers answer before the built-in rotation, in install order.
    const onCallProviders: OnCallProvider[] = [];
    env.registerExtensionPoint(ownopsOnCallProvidersExtensionPoint, {
      addOnCallProvider(...providers) {
        onCallProviders.push(...providers);
      },
    });
    env.registerExtensionPoint(ownopsCostSourcesExtensionPoint, {
      addCostSource(...sources) {
        moduleCostSources.push(...sources);
      },
    });
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
        userInfo: coreServices.userInfo,
        catalog: catalogServiceRef,
        signals: signalsServiceRef,
        notifications: notificationService,
        actionsRegistry: actionsRegistryServiceRef,
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

        const costConfig = readCostConfig(config);
        const costStore = await DatabaseCostStore.create({
          database: deps.database,
        });
        const costSources = assertUniqueIds(
          [
            ...costConfig.focusFiles.map(
              source => new FocusFilesCostSource(source.id, source.path),
            ),
            ...moduleCostSources,
          ],
          'cost sources',
          'ownops.cost.focusFiles[].id and modules',
        );
        const ingestion = new CostIngestion({
          sources: costSources,
          store: costStore,
          keys: readOwnerTagPolicy(config).keys,
          logger,
          auditor: deps.auditor,
          options: costConfig.ingestion,
        });
        const budgets = new BudgetService({
          store: budgetStore,
          costs: costStore,
          catalog,
          permissions: deps.permissions,
          auth,
          logger,
        });
        const budgetAlerts = new BudgetAlertChecker({
          budgets: budgetStore,
          alerts: await DatabaseBudgetAlertStore.create({
            database: deps.database,
          }),
          costs: costStore,
          catalog,
          auth,
          notifications: deps.notifications,
          auditor: deps.auditor,
          logger,
          config: readBudgetAlertConfig(config),
        });
        await deps.scheduler.scheduleTask({
          id: 'ownops-budget-alerts',
          scope: 'global',
          ...costConfig.budgetCheckSchedule,
          fn: async () => {
            await budgetAlerts.check(new Date());
          },
        });
        const costs = new CostService({
          store: costStore,
          catalog,
          permissions: deps.permissions,
          budgetStatusOf: (ref, credentials) =>
            budgets.getBudgetStatus(ref, credentials),
          budgets: credentials => budgets.listBudgets(credentials),
        });
        if (costSources.length > 0) {
          await deps.scheduler.scheduleTask({
            id: 'ownops-cost-ingestion',
            scope: 'global',
            ...costConfig.ingestionSchedule,
            fn: async () => {
              await ingestion.runAll();
            },
          });
        }

        await deps.scheduler.scheduleTask({
          id: 'ownops-deployment-reconciler',
          scope: 'global',
          ...deployConfig.reconcilerSchedule,
          fn: () => engine.reconcile(),
        });

        const onCallConfig = readOnCallConfig(config);
        const onCallOverrides = await DatabaseOnCallOverrideStore.create({
          database: deps.database,
        });
        const groupMembers = new GroupMembers({ catalog, auth });
        const onCall = new OnCallService({
          providers: [
            ...onCallProviders,
            new RotationOnCallProvider({
              members: groupMembers,
              overrides: onCallOverrides,
              defaults: onCallConfig.rotation,
            }),
          ],
          catalog,
          auth,
          timeoutMs: onCallConfig.timeoutMs,
        });

        const deployments = new DeploymentService({
          engine,
          store,
          targets,
          catalog,
          permissions: deps.permissions,
        });
        const summaries = new SummaryService({
          catalog,
          deployments,
          deploymentStore: store,
          costs,
          budgets,
          onCall: (entity, at, signal) => onCall.forEntity(entity, at, signal),
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
              overrides: onCallOverrides,
              members: groupMembers,
              catalog,
              userInfo: deps.userInfo,
            },
            httpAuth: deps.httpAuth,
            auditor: deps.auditor,
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
      },
    });
  },
});
