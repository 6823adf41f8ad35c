import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
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
import AttachMoneyIcon from '@material-ui/icons/AttachMoney';
import { ownopsApiRef } from './api';

/** The finance page, for links from other plugins (`routes.finance`). */
const financeRouteRef = createRouteRef();

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

/** The "Ownops" summary card on component pages. */
const summaryCard = EntityCardBlueprint.make({
  name: 'summary',
  params: {
    filter: { kind: 'component' },
    loader: () =>
      import('./components/OwnopsSummaryCard').then(m => (
        <m.OwnopsSummaryCard />
      )),
  },
});

/** The "Ownops" summary card on group pages. */
const groupSummaryCard = EntityCardBlueprint.make({
  name: 'group-summary',
  params: {
    filter: { kind: 'group' },
    loader: () =>
      import('./components/GroupSummaryCard').then(m => <m.GroupSummaryCard />),
  },
});

/** The "On call" card on component and group pages. */
const onCallCard = EntityCardBlueprint.make({
  name: 'oncall',
  params: {
    filter: { kind: { $in: ['component', 'group'] } },
    loader: () =>
      import('./components/EntityOnCallCard').then(m => <m.EntityOnCallCard />),
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

/** Components and groups (everything a group owns) get the Cost tab. */
const costContent = EntityContentBlueprint.make({
  name: 'cost',
  params: {
    path: '/cost',
    title: 'Cost',
    filter: { kind: { $in: ['component', 'group'] } },
    loader: () =>
      import('./components/EntityCostContent').then(m => (
        <m.EntityCostContent />
      )),
  },
});

/**
 * The finance page at `/ownops/finance`. Its title and icon make it a
 * "Finance" item in the app's sidebar.
 */
const financePage = PageBlueprint.make({
  name: 'finance',
  params: {
    path: '/ownops/finance',
    title: 'Finance',
    icon: <AttachMoneyIcon />,
    routeRef: financeRouteRef,
    loader: () =>
      import('./components/FinancePage').then(m => <m.FinancePage />),
  },
});

/**
 * The Ownops frontend plugin for the new frontend system: Deploy and
 * "Owner tags and budget" cards on component pages, Deployments and Cost
 * tabs, the Finance page (with its sidebar item), and the `OwnopsOwnerTags`
 * and `OwnopsDeployTargetPicker` scaffolder fields.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'ownops',
  routes: { finance: financeRouteRef },
  extensions: [
    ownopsApi,
    deployCard,
    ownerTagsCard,
    summaryCard,
    groupSummaryCard,
    onCallCard,
    deploymentsContent,
    costContent,
    financePage,
    ownerTagsFormField,
    deployTargetPickerFormField,
  ],
});
