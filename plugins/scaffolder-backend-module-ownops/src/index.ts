/**
 * Scaffolder actions for Ownops: owner tags on everything a template
 * provisions, verified before anything is published, and new services
 * registered with their budget.
 *
 * @packageDocumentation
 */

export { scaffolderModuleOwnops as default } from './module';
export { createResolveOwnerTagsAction } from './actions/resolveOwnerTags';
export { createStampOwnerTagsAction } from './actions/stampOwnerTags';
export { createVerifyOwnerTagsAction } from './actions/verifyOwnerTags';
export { createPublishLocalAction } from './actions/publishLocal';
export { createRegisterServiceAction } from './actions/registerService';
