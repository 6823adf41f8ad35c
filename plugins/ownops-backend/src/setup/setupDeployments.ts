import {
  DeployTarget,
  DeploymentListener,
} from '@ownops/backstage-plugin-node';
import { readDeployConfig } from '../config';
import { DatabaseDeploymentStore } from '../database/DatabaseDeploymentStore';
import { DeployEngine } from '../engine/DeployEngine';
import { DeploymentEvents } from '../engine/DeploymentEvents';
import { TaskTracking, trackedTask } from '../health/trackedTask';
import { Redact } from '../secrets/redactSecrets';
import { DeploymentService } from '../service/DeploymentService';
import { CommandDeployTarget } from '../targets/command/CommandDeployTarget';
import { readCommandTargets } from '../targets/command/readCommandTargets';
import { DeployTargetRegistry } from '../targets/DeployTargetRegistry';
import { OwnopsDeps } from './OwnopsDeps';

/** Deploy targets, the engine that runs deployments and its reconciler. */
export async function setupDeployments(
  deps: OwnopsDeps,
  modules: { targets: DeployTarget[]; listeners: DeploymentListener[] },
  tracking: TaskTracking,
  /** Removes configured secrets from what targets hand out. */
  redact: Redact,
) {
  const { logger, config, auth, catalog } = deps;
  const targets = new DeployTargetRegistry({ redact });
  for (const target of readCommandTargets(config)) {
    targets.add(new CommandDeployTarget(target));
  }
  modules.targets.forEach(target => targets.add(target));

  const deployConfig = readDeployConfig(config);
  const store = await DatabaseDeploymentStore.create({
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
      listeners: modules.listeners,
    }),
    logger,
    runnerId: tracking.replica,
    troubles: tracking.troubles,
    loadEntity: async entityRef =>
      catalog.getEntityByRef(entityRef, {
        credentials: await auth.getOwnServiceCredentials(),
      }),
  });
  await deps.scheduler.scheduleTask({
    id: 'ownops-deployment-reconciler',
    scope: 'global',
    ...deployConfig.reconcilerSchedule,
    fn: trackedTask('ownops-deployment-reconciler', tracking, () =>
      engine.reconcile(),
    ),
  });
  const deployments = new DeploymentService({
    engine,
    store,
    targets,
    catalog,
    permissions: deps.permissions,
  });
  return { targets, store, deployments };
}
