import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, parseEntityRef } from '@backstage/catalog-model';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import { Deployment } from '@ownops/backstage-plugin-common';

/** The signal channel on which every deployment status change is published. */
export const DEPLOYMENTS_SIGNAL_CHANNEL = 'ownops:deployments';

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
    },
  ) {}

  async changed(deployment: Deployment): Promise<void> {
    try {
      await this.deps.signals?.publish({
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

  async failed(deployment: Deployment, entity: Entity | undefined) {
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
          entityRef:
            `${ownerRef.kind}:${ownerRef.namespace}/${ownerRef.name}`.toLocaleLowerCase(
              'en-US',
            ),
        },
        payload: {
          title: `${
            deployment.kind === 'rollback' ? 'Rollback' : 'Deploy'
          } of ${name} ${deployment.version} to ${
            deployment.environment
          } failed`,
          description: deployment.failureReason ?? 'The deployment failed.',
          link: `/catalog/${namespace}/${kind}/${name}/deployments`,
          severity: 'high',
          topic: 'ownops-deployments',
        },
      });
    } catch (error) {
      this.deps.logger.warn(
        `Could not notify the owners of ${deployment.entityRef} about failed deployment #${deployment.id}: ${error}`,
      );
    }
  }

  async systemAction(
    eventId: 'deployment-settle' | 'deployment-auto-rollback',
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
