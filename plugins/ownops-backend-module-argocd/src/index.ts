/**
 * Ownops deploy targets backed by Argo CD.
 *
 * @packageDocumentation
 */

export { ownopsModuleArgoCd as default } from './module';
export { ArgoCdDeployTarget } from './ArgoCdDeployTarget';
export type { ArgoCdInstanceConfig } from './config';
