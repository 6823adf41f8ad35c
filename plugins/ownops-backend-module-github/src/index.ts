/**
 * Ownops deploy targets that run GitHub Actions workflows.
 *
 * @packageDocumentation
 */

export { ownopsModuleGithub as default } from './module';
export {
  ANNOTATION_GITHUB_WORKFLOW,
  ANNOTATION_PROJECT_SLUG,
} from './entityRepository';
