import { createPermission } from '@backstage/plugin-permission-common';

const CATALOG_ENTITY = 'catalog-entity';

/**
 * Deploy a version of an entity to one of its environments.
 *
 * @public
 */
export const ownopsDeploymentCreatePermission = createPermission({
  name: 'ownops.deployment.create',
  attributes: { action: 'create' },
  resourceType: CATALOG_ENTITY,
});

/**
 * Roll an entity's environment back to an earlier successful deployment.
 *
 * @public
 */
export const ownopsDeploymentRollbackPermission = createPermission({
  name: 'ownops.deployment.rollback',
  attributes: { action: 'update' },
  resourceType: CATALOG_ENTITY,
});

/**
 * Approve (or cancel) a deployment to a protected environment.
 * The backend additionally refuses approvals by the requester.
 *
 * @public
 */
export const ownopsDeploymentApprovePermission = createPermission({
  name: 'ownops.deployment.approve',
  attributes: { action: 'update' },
  resourceType: CATALOG_ENTITY,
});

/** @public */
export const ownopsCostReadPermission = createPermission({
  name: 'ownops.cost.read',
  attributes: { action: 'read' },
  resourceType: CATALOG_ENTITY,
});

/** @public */
export const ownopsBudgetUpdatePermission = createPermission({
  name: 'ownops.budget.update',
  attributes: { action: 'update' },
  resourceType: CATALOG_ENTITY,
});

/** @public */
export const ownopsCostReadAllPermission = createPermission({
  name: 'ownops.cost.readAll',
  attributes: { action: 'read' },
});

/** @public */
export const ownopsCostIngestPermission = createPermission({
  name: 'ownops.cost.ingest',
  attributes: { action: 'create' },
});

/**
 * Every permission Ownops defines, for registration with the permission
 * framework.
 *
 * @public
 */
export const ownopsPermissions = [
  ownopsDeploymentCreatePermission,
  ownopsDeploymentRollbackPermission,
  ownopsDeploymentApprovePermission,
  ownopsCostReadPermission,
  ownopsBudgetUpdatePermission,
  ownopsCostReadAllPermission,
  ownopsCostIngestPermission,
];
