import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { DeployTarget } from './deployTarget';

/** @public */
export interface OwnopsDeployTargetsExtensionPoint {
  addDeployTarget(...targets: DeployTarget[]): void;
}

/**
 * Lets backend modules add deploy targets to the Ownops backend. Target ids
 * must be unique; a duplicate id stops the backend at start-up.
 *
 * @public
 */
export const ownopsDeployTargetsExtensionPoint =
  createExtensionPoint<OwnopsDeployTargetsExtensionPoint>({
    id: 'ownops.deploy-targets',
  });
