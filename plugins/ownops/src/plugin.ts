import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { OwnopsClient } from '@ownops/backstage-plugin-common';
import { ownopsApiRef } from './api';

/** @public */
export const ownopsDeploymentsRouteRef = createRouteRef({
  id: 'ownops:deployments',
});

/**
 * The Ownops frontend plugin for apps on the legacy frontend system.
 *
 * @public
 */
export const ownopsPlugin = createPlugin({
  id: 'ownops',
  apis: [
    createApiFactory({
      api: ownopsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new OwnopsClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { deployments: ownopsDeploymentsRouteRef },
});

/**
 * Entity page card: current version per environment, Deploy and Roll back.
 *
 * @public
 */
export const EntityOwnopsDeployCard = ownopsPlugin.provide(
  createComponentExtension({
    name: 'EntityOwnopsDeployCard',
    component: {
      lazy: () =>
        import('./components/EntityDeployCard').then(m => m.EntityDeployCard),
    },
  }),
);

/**
 * Entity page tab: deploy card, DORA figures and deployment history.
 *
 * @public
 */
export const EntityOwnopsDeploymentsContent = ownopsPlugin.provide(
  createRoutableExtension({
    name: 'EntityOwnopsDeploymentsContent',
    mountPoint: ownopsDeploymentsRouteRef,
    component: () =>
      import('./components/EntityDeploymentsContent').then(
        m => m.EntityDeploymentsContent,
      ),
  }),
);
