import { stampCatalogInfo, verifyCatalogInfo } from './catalogInfo';

const ownership = {
  entityRef: 'component:default/orders',
  ownerRef: 'group:default/team-checkout',
  costCenter: 'cc-1001',
  environments: ['staging', 'production'],
  deployTarget: 'local',
};

const source = `# The new service
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orders
  description: "Takes orders"
  annotations: {}
spec:
  type: service
  lifecycle: experimental
  owner: group:default/team-checkout
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: orders-api
spec:
  type: openapi
  owner: group:default/team-checkout
`;

describe('catalog-info stamping', () => {
  it('adds the cost center, environments and deploy target, keeping the rest', () => {
    const stamped = stampCatalogInfo('catalog-info.yaml', source, ownership);
    expect(stamped).toContain('# The new service');
    expect(stamped).toContain('ownops.io/cost-center: cc-1001');
    expect(stamped).toContain('ownops.io/environments: staging,production');
    expect(stamped).toContain('ownops.io/deploy-target: local');
    expect(stamped).toContain('name: orders-api');
    expect(verifyCatalogInfo('catalog-info.yaml', stamped, ownership)).toEqual(
      [],
    );
  });

  it('reports each missing annotation and a wrong owner', () => {
    const wrongOwner = source.replace(
      'owner: group:default/team-checkout\n---',
      'owner: group:default/team-payments\n---',
    );
    expect(
      verifyCatalogInfo('catalog-info.yaml', wrongOwner, ownership),
    ).toEqual([
      {
        file: 'catalog-info.yaml',
        resource: 'component:default/orders',
        missingKeys: [
          'ownops.io/cost-center',
          'ownops.io/environments',
          'ownops.io/deploy-target',
          'spec.owner',
        ],
      },
    ]);
  });

  it('refuses a catalog-info without the new component', () => {
    expect(() =>
      stampCatalogInfo('catalog-info.yaml', source, {
        ...ownership,
        entityRef: 'component:default/other',
      }),
    ).toThrow('catalog-info.yaml has no entity component:default/other');
  });

  it('names the line of a YAML error', () => {
    expect(() =>
      stampCatalogInfo('catalog-info.yaml', 'kind: [\n', ownership),
    ).toThrow(/^catalog-info\.yaml line \d+: /);
  });
});
