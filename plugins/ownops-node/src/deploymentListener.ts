import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { Deployment } from '@ownops/backstage-plugin-common';

/**
 * Hears about deployments as they finish, for example to report them as
 * change events to an incident tool.
 *
 * @public
 */
export interface DeploymentListener {
  /** Unique id of the listener, for logs. */
  id: string;
  /**
   * Called once per deployment that ran (reached the target), when it
   * reaches a final status (succeeded, failed or cancelled), on the replica
   * that settled it. Deployments cancelled or rejected before they ran are
   * not reported. Errors are logged and never change the deployment.
   * Implementations must time out on their own calls.
   */
  onDeploymentFinished(event: {
    deployment: Deployment;
    /** The entity as the catalog has it, when it still exists. */
    entity?: Entity;
  }): Promise<void>;
}

/** @public */
export interface OwnopsDeploymentListenersExtensionPoint {
  addDeploymentListener(...listeners: DeploymentListener[]): void;
}

/**
 * Lets backend modules hear about finished deployments.
 *
 * @public
 */
export const ownopsDeploymentListenersExtensionPoint =
  createExtensionPoint<OwnopsDeploymentListenersExtensionPoint>({
    id: 'ownops.deployment-listeners',
  });
