import { UserInfoService } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  ownopsCostIngestPermission,
  ownopsCostReadAllPermission,
} from '@ownops/backstage-plugin-common';

/** The group whose members read all cost data. */
export const FINANCE_GROUP = 'group:default/finance';

/**
 * The example portal's policy:
 * - every `ownops.*` permission on a catalog entity (deploy, roll back,
 *   approve, read cost, change budget) is granted to the entity's owners;
 *   that production needs a second person is enforced by the Ownops backend;
 * - the finance group reads all cost and triggers ingestion;
 * - everything else (catalog, scaffolder, …) is allowed, as in a fresh app.
 */
export class OwnopsExamplePolicy implements PermissionPolicy {
  constructor(private readonly userInfo: UserInfoService) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const ownership = user
      ? (await this.userInfo.getUserInfo(user.credentials)).ownershipEntityRefs
      : [];
    const { permission } = request;

    if (
      permission.name.startsWith('ownops.') &&
      isResourcePermission(permission, 'catalog-entity')
    ) {
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({ claims: ownership }),
      );
    }
    if (
      isPermission(permission, ownopsCostReadAllPermission) ||
      isPermission(permission, ownopsCostIngestPermission)
    ) {
      return {
        result: ownership.includes(FINANCE_GROUP)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      };
    }
    return { result: AuthorizeResult.ALLOW };
  }
}
