/**
 * Ownops cost source for AWS spend from Cost Explorer.
 *
 * @packageDocumentation
 */

export { ownopsModuleAws as default } from './module';
