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
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
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

/** Components get the card; it names a missing cost center or environments. */
const ownerTagsCard = EntityCardBlueprint.make({
  name: 'owner-tags',
  params: {
    filter: { kind: 'component' },
    loader: () =>
      import('./components/EntityOwnerTagsCard').then(m => (
        <m.EntityOwnerTagsCard />
      )),
  },
});

/** `ui:field: OwnopsOwnerTags`, attached to the scaffolder's form fields API. */
const ownerTagsFormField = FormFieldBlueprint.make({
  name: 'owner-tags',
  params: {
    field: () =>
      import('./components/OwnerTagsField/formField').then(
        m => m.ownerTagsFormField,
      ),
  },
});

/** `ui:field: OwnopsDeployTargetPicker`, attached like the owner tags field. */
const deployTargetPickerFormField = FormFieldBlueprint.make({
  name: 'deploy-target-picker',
  params: {
    field: () =>
      import('./components/DeployTargetPicker/formField').then(
        m => m.deployTargetPickerFormField,
      ),
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
 * The Ownops frontend plugin for the new frontend system: Deploy and
 * "Owner tags and budget" cards on component pages, a Deployments tab, and
 * the `OwnopsOwnerTags` and `OwnopsDeployTargetPicker` scaffolder fields.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'ownops',
  extensions: [
    ownopsApi,
    deployCard,
    ownerTagsCard,
    deploymentsContent,
    ownerTagsFormField,
    deployTargetPickerFormField,
  ],
});
