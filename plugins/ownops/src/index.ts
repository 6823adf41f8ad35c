/**
 * Ownops frontend plugin: deploy, roll back and approve from the entity page.
 *
 * @packageDocumentation
 */

export {
  ownopsPlugin,
  EntityOwnopsDeployCard,
  EntityOwnopsDeploymentsContent,
  ownopsDeploymentsRouteRef,
} from './plugin';
export { ownopsApiRef } from './api';
export { isOwnopsAvailable } from './conditions';
