/**
 * The signal channel on which the backend publishes every deployment status
 * change, and on which open pages listen.
 *
 * @public
 */
export const DEPLOYMENTS_SIGNAL_CHANNEL = 'ownops:deployments';

/**
 * The message published on {@link DEPLOYMENTS_SIGNAL_CHANNEL}.
 *
 * @public
 */
export type DeploymentSignal = {
  entityRef: string;
  deploymentId: number;
  status: string;
};
