import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { Deployment } from '@ownops/backstage-plugin-common';
import { DeploymentListener } from '@ownops/backstage-plugin-node';
import { changeEventOf, deploymentRan } from './changeEvent';
import { PagerDutyApi } from './PagerDutyApi';

/**
 * The Events API v2 integration key of the entity's PagerDuty service.
 *
 * @public
 */
export const ANNOTATION_PAGERDUTY_INTEGRATION_KEY =
  'pagerduty.com/integration-key';

/**
 * Reports every finished deployment of an entity with
 * `pagerduty.com/integration-key` to PagerDuty as a change event, so
 * responders see it on the service's timeline. The key is a secret: it is
 * sent, never logged.
 */
export class PagerDutyChangeEventListener implements DeploymentListener {
  readonly id = 'pagerduty-change-events';

  constructor(
    private readonly options: {
      api: PagerDutyApi;
      appBaseUrl: string;
      logger: LoggerService;
    },
  ) {}

  async onDeploymentFinished({
    deployment,
    entity,
  }: {
    deployment: Deployment;
    entity?: Entity;
  }): Promise<void> {
    const routingKey =
      entity?.metadata.annotations?.[
        ANNOTATION_PAGERDUTY_INTEGRATION_KEY
      ]?.trim();
    if (!routingKey || !deploymentRan(deployment)) return;
    const what = `deployment #${deployment.id} of ${deployment.entityRef}`;
    await this.options.api.sendChangeEvent(
      {
        routing_key: routingKey,
        ...changeEventOf(deployment, this.options.appBaseUrl),
      },
      what,
    );
    this.options.logger.info(`Reported ${what} to PagerDuty as a change event`);
  }
}
