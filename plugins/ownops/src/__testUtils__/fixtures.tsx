import { Entity } from '@backstage/catalog-model';
import { identityApiRef } from '@backstage/core-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { mockApis, TestApiProvider } from '@backstage/test-utils';
import {
  Deployment,
  EntityEnvironments,
  OwnopsClient,
} from '@ownops/backstage-plugin-common';
import { ReactNode } from 'react';
import { ownopsApiRef } from '../api';

export const BASE_URL = 'http://backstage.test/api/ownops';
export const ENTITY_PATH = `${BASE_URL}/entities/component/default/checkout-service`;

export const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout-service',
    namespace: 'default',
    annotations: {
      'ownops.io/environments': 'staging,production',
      'ownops.io/deploy-target': 'local',
    },
  },
  spec: { type: 'service', owner: 'group:default/team-checkout' },
};

export function deployment(overrides: Partial<Deployment> = {}): Deployment {
  return {
    id: 1,
    entityRef: 'component:default/checkout-service',
    environment: 'staging',
    version: '1.0.0',
    kind: 'deploy',
    status: 'succeeded',
    targetId: 'local',
    requestedBy: 'user:default/alice',
    cancelRequested: false,
    createdAt: '2026-11-20T10:00:00.000Z',
    startedAt: '2026-11-20T10:00:01.000Z',
    finishedAt: '2026-11-20T10:00:31.000Z',
    durationMs: 30_000,
    ...overrides,
  };
}

export function environments(
  staging: Partial<EntityEnvironments['environments'][number]> = {},
): EntityEnvironments {
  return {
    entityRef: 'component:default/checkout-service',
    environments: [
      {
        name: 'staging',
        targetId: 'local',
        targetType: 'command',
        protected: false,
        current: deployment({ id: 2, version: '1.1.0' }),
        latest: deployment({ id: 2, version: '1.1.0' }),
        rollbackCandidates: [deployment({ id: 1, version: '1.0.0' })],
        ...staging,
      },
      {
        name: 'production',
        targetId: 'local',
        targetType: 'command',
        protected: true,
        rollbackCandidates: [],
      },
    ],
  };
}

export function Providers(props: {
  children: ReactNode;
  allow?: boolean;
  userEntityRef?: string;
}) {
  const client = new OwnopsClient({
    discoveryApi: { getBaseUrl: async () => BASE_URL },
    fetchApi: { fetch: (input, init) => fetch(input, init) },
  });
  return (
    <TestApiProvider
      apis={[
        [ownopsApiRef, client],
        [
          permissionApiRef,
          mockApis.permission({
            authorize:
              props.allow === false
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          }),
        ],
        [
          identityApiRef,
          mockApis.identity({
            userEntityRef: props.userEntityRef ?? 'user:default/alice',
          }),
        ],
      ]}
    >
      <EntityProvider entity={entity}>{props.children}</EntityProvider>
    </TestApiProvider>
  );
}

export const teamCheckout: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: {
    name: 'team-checkout',
    namespace: 'default',
    annotations: { 'ownops.io/cost-center': 'cc-1001' },
  },
  spec: { type: 'team', children: [] },
};

export const teamWithoutCostCenter: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team-nocc', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

export const alice: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'alice', namespace: 'default' },
  spec: { memberOf: ['team-checkout'] },
};

export const catalogEntities = [teamCheckout, teamWithoutCostCenter, alice];
