import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ownopsCostReadAllPermission,
  ownopsDeploymentCreatePermission,
} from '@ownops/backstage-plugin-common';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { OwnopsExamplePolicy } from './OwnopsExamplePolicy';

function userWith(ownershipEntityRefs: string[]) {
  const userEntityRef = ownershipEntityRefs[0];
  const userInfo = mockServices.userInfo.mock({
    getUserInfo: async () => ({ userEntityRef, ownershipEntityRefs }),
  });
  return {
    policy: new OwnopsExamplePolicy(userInfo),
    user: {
      credentials: mockCredentials.user(userEntityRef),
      info: { userEntityRef, ownershipEntityRefs },
    },
  };
}

describe('OwnopsExamplePolicy', () => {
  it('lets only owners deploy, through a catalog ownership condition', async () => {
    const { policy, user } = userWith([
      'user:default/guest',
      'group:default/team-checkout',
    ]);
    expect(
      await policy.handle(
        { permission: ownopsDeploymentCreatePermission },
        user,
      ),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: {
          claims: ['user:default/guest', 'group:default/team-checkout'],
        },
      },
    });
  });

  it('lets the finance group read all cost, and nobody else', async () => {
    const finance = userWith(['user:default/fiona', 'group:default/finance']);
    const engineer = userWith([
      'user:default/guest',
      'group:default/team-checkout',
    ]);
    expect(
      await finance.policy.handle(
        { permission: ownopsCostReadAllPermission },
        finance.user,
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
    expect(
      await engineer.policy.handle(
        { permission: ownopsCostReadAllPermission },
        engineer.user,
      ),
    ).toEqual({ result: AuthorizeResult.DENY });
  });

  it('leaves the rest of the portal open, as a fresh app is', async () => {
    const { policy, user } = userWith(['user:default/guest']);
    expect(
      await policy.handle({ permission: catalogEntityReadPermission }, user),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });
});
