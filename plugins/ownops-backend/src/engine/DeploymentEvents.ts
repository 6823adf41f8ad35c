import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import { DeploymentListener } from '@ownops/backstage-plugin-node';
import {
  Deployment,
  DEPLOYMENTS_SIGNAL_CHANNEL,
  DeploymentSignal,
} from '@ownops/backstage-plugin-common';

/**
 * Tells the outside world about deployments: open pages through signals,
 * owners through notifications, and the audit log for what the system does
 * on its own (settling orphans, automatic rollbacks).
 */
export class DeploymentEvents {
  constructor(
    private readonly deps: {
      logger: LoggerService;
      auditor: AuditorService;
      signals?: SignalsService;
      notifications?: NotificationService;
      listeners?: DeploymentListener[];
      /** Longest wait for one listener; default 15 s. */
      listenerTimeoutMs?: number;
    },
  ) {}

  /**
   * Tells the module listeners (e.g. PagerDuty change events) that a
   * deployment that ran has finished. A failing or slow listener is logged
   * and never holds up the engine for longer than the listener timeout.
   */
  async finished(deployment: Deployment, entity: Entity | undefined) {
    const timeoutMs = this.deps.listenerTimeoutMs ?? 15_000;
    await Promise.all(
      (this.deps.listeners ?? []).map(async listener => {
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${timeoutMs} ms`)),
            timeoutMs,
          );
        });
        try {
          await Promise.race([
            listener.onDeploymentFinished({ deployment, entity }),
            timedOut,
          ]);
        } catch (error) {
          this.deps.logger.warn(
            `Deployment listener "${listener.id}" failed for deployment #${deployment.id}: ${error}`,
          );
        } finally {
          clearTimeout(timer);
        }
      }),
    );
  }

  async changed(deployment: Deployment): Promise<void> {
    try {
      await this.deps.signals?.publish<DeploymentSignal>({
        recipients: { type: 'broadcast' },
        channel: DEPLOYMENTS_SIGNAL_CHANNEL,
        message: {
          entityRef: deployment.entityRef,
          deploymentId: deployment.id,
          status: deployment.status,
        },
      });
    } catch (error) {
      this.deps.logger.debug(`Could not publish deployment signal: ${error}`);
    }
  }

  /** Tells the entity's owners that a deployment failed. */
  async failed(deployment: Deployment, entity: Entity | undefined) {
    const { name } = parseEntityRef(deployment.entityRef);
    await this.notifyOwners(deployment, entity, {
      title: `${
        deployment.kind === 'rollback' ? 'Rollback' : 'Deploy'
      } of ${name} ${deployment.version} to ${deployment.environment} failed`,
      description: deployment.failureReason ?? 'The deployment failed.',
    });
  }

  /** Tells the entity's owners that Ownops started a rollback on its own. */
  async rolledBackAutomatically(
    rollback: Deployment,
    failed: Deployment,
    entity: Entity,
  ) {
    const { name } = parseEntityRef(rollback.entityRef);
    await this.notifyOwners(rollback, entity, {
      title: `Rolling ${name} in ${rollback.environment} back to ${rollback.version}`,
      description: `Deployment #${failed.id} of ${failed.version} failed its health check (${failed.failureReason}); Ownops is restoring ${rollback.version} (deployment #${rollback.id}).`,
    });
  }

  private async notifyOwners(
    deployment: Deployment,
    entity: Entity | undefined,
    message: { title: string; description: string },
  ) {
    const owner = entity?.spec?.owner;
    if (!this.deps.notifications || typeof owner !== 'string') {
      return;
    }
    const { kind, namespace, name } = parseEntityRef(deployment.entityRef);
    const ownerRef = parseEntityRef(owner, {
      defaultKind: 'group',
      defaultNamespace: namespace,
    });
    try {
      await this.deps.notifications.send({
        recipients: {
          type: 'entity',
          entityRef: stringifyEntityRef(ownerRef),
        },
        payload: {
          ...message,
          link: `/catalog/${namespace}/${kind}/${name}/deployments`,
          severity: 'high',
          topic: 'ownops-deployments',
        },
      });
    } catch (error) {
      this.deps.logger.warn(
        `Could not notify the owners of ${deployment.entityRef} about deployment #${deployment.id}: ${error}`,
      );
    }
  }

  async systemAction(
    eventId:
      | 'deployment-settle'
      | 'deployment-adopt'
      | 'deployment-auto-rollback',
    deployment: Deployment,
    meta: Record<string, string | number>,
  ) {
    const event = await this.deps.auditor.createEvent({
      eventId,
      severityLevel: 'medium',
      meta: {
        deploymentId: deployment.id,
        entityRef: deployment.entityRef,
        environment: deployment.environment,
        version: deployment.version,
        ...meta,
      },
    });
    await event.success();
  }
}
