import { ConfigReader } from '@backstage/config';
import {
  decideCostCenter,
  readOwnerTagPolicy,
  readValidOwnerTagKeys,
} from './ownerTagPolicy';

const groupRef = 'group:default/team-checkout';

describe('decideCostCenter', () => {
  it("takes the group's cost center by default", () => {
    expect(
      decideCostCenter({
        groupRef,
        groupCostCenter: 'cc-1001',
        allowOverride: false,
      }),
    ).toEqual({ costCenter: 'cc-1001', source: 'group' });
  });

  it('takes the form when the policy allows overriding', () => {
    expect(
      decideCostCenter({
        groupRef,
        groupCostCenter: 'cc-1001',
        override: ' cc-2000 ',
        allowOverride: true,
      }),
    ).toEqual({ costCenter: 'cc-2000', source: 'form' });
  });

  it("treats the group's own cost center in the form as no override", () => {
    expect(
      decideCostCenter({
        groupRef,
        groupCostCenter: 'cc-1001',
        override: 'cc-1001',
        allowOverride: false,
      }),
    ).toEqual({ costCenter: 'cc-1001', source: 'group' });
  });

  it.each([
    [
      { groupCostCenter: 'cc-1001', override: 'cc-2000', allowOverride: false },
      'override-not-allowed',
      `"cc-2000" differs from ${groupRef}'s cost center "cc-1001", and the tag policy (ownops.tags.allowCostCenterOverride) does not allow overriding it`,
    ],
    [
      { override: 'cc 1; drop', allowOverride: true },
      'invalid-override',
      '"cc 1; drop" may only contain letters, digits and "-" (at most 63 characters)',
    ],
    [
      { allowOverride: true },
      'missing',
      `${groupRef} has no ownops.io/cost-center annotation and the form gave none`,
    ],
    [
      { groupCostCenter: 'cc/1', allowOverride: false },
      'invalid-group',
      `${groupRef}'s ownops.io/cost-center "cc/1" may only contain letters, digits and "-" (at most 63 characters)`,
    ],
  ])('refuses %j', (options, refused, message) => {
    expect(decideCostCenter({ groupRef, ...options })).toEqual({
      refused,
      message,
    });
  });
});

describe('readOwnerTagPolicy', () => {
  it('falls back to the default keys and no override', () => {
    expect(readOwnerTagPolicy(new ConfigReader({}))).toEqual({
      keys: {
        entity: 'backstage-entity',
        owner: 'owner',
        costCenter: 'cost-center',
        environment: 'environment',
      },
      allowCostCenterOverride: false,
    });
  });

  it('reads configured keys', () => {
    const policy = readOwnerTagPolicy(
      new ConfigReader({
        ownops: {
          tags: { keys: { owner: 'team' }, allowCostCenterOverride: true },
        },
      }),
    );
    expect(policy.keys.owner).toBe('team');
    expect(policy.keys.entity).toBe('backstage-entity');
    expect(policy.allowCostCenterOverride).toBe(true);
  });
});

describe('readValidOwnerTagKeys', () => {
  it('gives the configured keys, defaults for the rest', () => {
    expect(
      readValidOwnerTagKeys(
        new ConfigReader({
          ownops: {
            tags: { keys: { owner: 'team', costCenter: 'CostCenter' } },
          },
        }),
      ),
    ).toEqual({
      entity: 'backstage-entity',
      owner: 'team',
      costCenter: 'CostCenter',
      environment: 'environment',
    });
  });

  it('refuses invalid or equal keys, listing every problem', () => {
    const read = () =>
      readValidOwnerTagKeys(
        new ConfigReader({
          ownops: {
            tags: { keys: { entity: 'has space', owner: 'environment' } },
          },
        }),
      );
    expect(read).toThrow(
      /^Invalid ownops\.tags\.keys: entity: "has space" is not a valid tag key/,
    );
    expect(read).toThrow('; the four owner tag keys must differ');
  });
});
