import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { CatalogOwnershipLookup, entityRefOfTag } from './catalogOwners';

const entities = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'checkout-service',
      namespace: 'default',
      annotations: { 'ownops.io/cost-center': 'cc-1001' },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-checkout' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'billing', namespace: 'payments' },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-billing' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name: 'team-billing',
      namespace: 'payments',
      annotations: { 'ownops.io/cost-center': 'cc-2002' },
    },
    spec: { type: 'team', children: [] },
  },
];

describe('entityRefOfTag', () => {
  it.each([
    [
      'component.default.checkout-service',
      'component:default/checkout-service',
    ],
    [
      'component:default/checkout-service',
      'component:default/checkout-service',
    ],
    ['checkout-service', 'component:default/checkout-service'],
    ['resource.payments.db', 'resource:payments/db'],
    ['not a ref!', undefined],
  ])('reads %s as %s', (value, ref) => {
    expect(entityRefOfTag(value)).toBe(ref);
  });
});

describe('CatalogOwnershipLookup', () => {
  it('reads owner and cost center, falling back to the owner group’s cost center', async () => {
    const catalog = catalogServiceMock({ entities });
    const getEntitiesByRefs = jest.spyOn(catalog, 'getEntitiesByRefs');
    const lookup = new CatalogOwnershipLookup(catalog, mockServices.auth());

    const found = await lookup.ownershipOf([
      'component.default.checkout-service',
      'component.payments.billing',
      'component.default.gone',
      '???',
    ]);

    expect([...found.entries()]).toEqual([
      [
        'component.default.checkout-service',
        { owner: 'group:default/team-checkout', costCenter: 'cc-1001' },
      ],
      [
        'component.payments.billing',
        { owner: 'group:payments/team-billing', costCenter: 'cc-2002' },
      ],
    ]);
    const calls = getEntitiesByRefs.mock.calls.length;
    await lookup.ownershipOf(['checkout-service']);
    expect(getEntitiesByRefs.mock.calls.length).toBe(calls);
  });
});
