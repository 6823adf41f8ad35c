import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  ANNOTATION_ENVIRONMENTS,
  OwnopsClient,
} from '@ownops/backstage-plugin-common';
import { ownopsApiRef } from './api';

const ownopsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: ownopsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new OwnopsClient({ discoveryApi, fetchApi }),
    }),
});

/** Components get the card; it explains which annotations are missing. */
const deployCard = EntityCardBlueprint.make({
  name: 'deploy',
  params: {
    filter: { kind: 'component' },
    loader: () =>
      import('./components/EntityDeployCard').then(m => <m.EntityDeployCard />),
  },
});

const deploymentsContent = EntityContentBlueprint.make({
  name: 'deployments',
  params: {
    path: '/deployments',
    title: 'Deployments',
    // The tab only where Ownops is set up, like isOwnopsAvailable.
    filter: {
      kind: 'component',
      [`metadata.annotations.${ANNOTATION_ENVIRONMENTS}`]: { $exists: true },
    },
    loader: () =>
      import('./components/EntityDeploymentsContent').then(m => (
        <m.EntityDeploymentsContent />
      )),
  },
});

/**
 * The Ownops frontend plugin for the new frontend system: a Deploy card on
 * component pages and a Deployments tab.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'ownops',
  extensions: [ownopsApi, deployCard, deploymentsContent],
});
