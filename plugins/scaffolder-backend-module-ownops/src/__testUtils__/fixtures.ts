import { Entity } from '@backstage/catalog-model';
import { mockServices } from '@backstage/backend-test-utils';
import { DEFAULT_OWNER_TAG_KEYS } from '@ownops/backstage-plugin-common';
import { http, HttpResponse } from 'msw';
import { OwnopsScaffolderConfig } from '../config';
import { OwnopsBackendCaller } from '../ownopsBackend';

export const OWNOPS_BASE_URL = 'http://ownops.test/api/ownops';

function group(
  name: string,
  annotations: Record<string, string>,
  members: string[],
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'team', children: [] },
    relations: members.map(targetRef => ({ type: 'hasMember', targetRef })),
  };
}

export const checkoutTeam = group(
  'team-checkout',
  { 'ownops.io/cost-center': 'cc-1001' },
  ['user:default/guest'],
);
export const teamWithoutCostCenter = group('team-nocc', {}, [
  'user:default/guest',
]);
export const guest: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'guest', namespace: 'default' },
  spec: { memberOf: ['team-checkout', 'team-nocc'] },
  relations: [
    { type: 'memberOf', targetRef: 'group:default/team-checkout' },
    { type: 'memberOf', targetRef: 'group:default/team-nocc' },
  ],
};
export const existingService: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout-service', namespace: 'default' },
  spec: {
    type: 'service',
    owner: 'group:default/team-checkout',
    lifecycle: 'production',
  },
};

export const catalogEntities = [
  checkoutTeam,
  teamWithoutCostCenter,
  guest,
  existingService,
];

export function testConfig(
  overrides: Partial<OwnopsScaffolderConfig> = {},
): OwnopsScaffolderConfig {
  return {
    tagKeys: DEFAULT_OWNER_TAG_KEYS,
    allowCostCenterOverride: false,
    requireOwnerMembership: true,
    registerTimeoutMs: 2000,
    ...overrides,
  };
}

export function testBackendCaller() {
  return new OwnopsBackendCaller({
    auth: mockServices.auth(),
    discovery: {
      getBaseUrl: async (pluginId: string) =>
        `http://ownops.test/api/${pluginId}`,
      getExternalBaseUrl: async (pluginId: string) =>
        `http://ownops.test/api/${pluginId}`,
    },
  });
}

/** The Ownops backend's documented `GET /deploy-targets` answer. */
export const deployTargetsHandler = http.get(
  `${OWNOPS_BASE_URL}/deploy-targets`,
  () =>
    HttpResponse.json({
      targets: [{ id: 'local', title: 'Local example deploy script' }],
    }),
);

/** The resolved ownership of `orders`, as ownops:tags:resolve outputs it. */
export const ordersOwnership = {
  entityRef: 'component:default/orders',
  ownerRef: 'group:default/team-checkout',
  costCenter: 'cc-1001',
  environments: ['staging', 'production'],
  deployTarget: 'local',
};

/** A small generated service: Terraform, manifests per environment, catalog entry. */
export const ordersWorkspace = {
  'catalog-info.yaml': [
    'apiVersion: backstage.io/v1alpha1',
    'kind: Component',
    'metadata:',
    '  name: orders',
    '  annotations: {}',
    'spec:',
    '  type: service',
    '  lifecycle: experimental',
    '  owner: group:default/team-checkout',
    '',
  ].join('\n'),
  infra: {
    'main.tf': [
      'provider "aws" {',
      '  region = "eu-west-1"',
      '}',
      '',
      'resource "aws_s3_bucket" "assets" {',
      '  bucket_prefix = "orders-assets-"',
      '}',
      '',
    ].join('\n'),
  },
  k8s: Object.fromEntries(
    ['staging', 'production'].map(environment => [
      environment,
      {
        'deployment.yaml': [
          'apiVersion: apps/v1',
          'kind: Deployment',
          'metadata:',
          '  name: orders',
          'spec:',
          '  selector:',
          '    matchLabels: { app: orders }',
          '  template:',
          '    metadata:',
          '      labels: { app: orders }',
          '    spec:',
          '      containers: [{ name: orders, image: "orders:1" }]',
          '',
        ].join('\n'),
      },
    ]),
  ),
};
