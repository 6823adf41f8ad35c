/**
 * Ownops frontend plugin: deploy, roll back and approve from the entity page;
 * owner tags and budget of a service; the Cost tab of components and groups
 * and the finance page; the owner tags and deploy target fields of
 * templates.
 *
 * @packageDocumentation
 */

export {
  ownopsPlugin,
  EntityOwnopsDeployCard,
  EntityOwnopsDeploymentsContent,
  EntityOwnopsOwnerTagsCard,
  EntityOwnopsSummaryCard,
  GroupOwnopsSummaryCard,
  EntityOwnopsOnCallCard,
  EntityCostContent,
  EntityOwnopsCostContent,
  OwnopsFinancePage,
  OwnopsOwnerTagsFieldExtension,
  OwnopsDeployTargetPickerFieldExtension,
  ownopsDeploymentsRouteRef,
} from './plugin';
export { ownopsCostRouteRef, ownopsFinanceRouteRef } from './routes';
export { ownopsApiRef } from './api';
export { isOwnopsAvailable } from './conditions';
export { EntityOwnerTagsCard } from './components/EntityOwnerTagsCard';
export {
  OWNER_TAGS_FIELD_NAME,
  type OwnerTagsFieldValue,
  type OwnerTagsUiOptions,
} from './components/OwnerTagsField';
export { DEPLOY_TARGET_PICKER_FIELD_NAME } from './components/DeployTargetPicker';
