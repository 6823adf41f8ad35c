/**
 * Ownops cost source for Kubernetes costs from OpenCost.
 *
 * @packageDocumentation
 */

export { ownopsModuleOpenCost as default } from './module';
