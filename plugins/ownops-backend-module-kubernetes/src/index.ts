/**
 * Ownops deploy targets for Kubernetes Deployments: set the image tag, follow
 * the rollout, roll back to an earlier ReplicaSet.
 *
 * @packageDocumentation
 */

export { ownopsModuleKubernetes as default } from './module';
