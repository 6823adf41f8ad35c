import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { OwnopsClient } from '@ownops/backstage-plugin-common';
import { ownopsApiRef } from './api';
import { ownopsCostRouteRef, ownopsFinanceRouteRef } from './routes';
import {
  DEPLOY_TARGET_PICKER_FIELD_NAME,
  DeployTargetPicker,
  DeployTargetPickerSchema,
  validateDeployTargetPicker,
} from './components/DeployTargetPicker';
import {
  OWNER_TAGS_FIELD_NAME,
  OwnerTagsField,
  OwnerTagsFieldSchema,
  validateOwnerTagsField,
} from './components/OwnerTagsField';

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
  routes: {
    deployments: ownopsDeploymentsRouteRef,
    cost: ownopsCostRouteRef,
    finance: ownopsFinanceRouteRef,
  },
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

/**
 * Entity page tab for components and groups: daily cost by service category
 * with deploy markers, totals per currency, this month against the budget
 * and forecast, and "Set budget". Mount it at `/cost` in the component and
 * group pages' `EntityLayout`.
 *
 * @public
 */
export const EntityCostContent = ownopsPlugin.provide(
  createRoutableExtension({
    name: 'EntityCostContent',
    mountPoint: ownopsCostRouteRef,
    component: () =>
      import('./components/EntityCostContent').then(m => m.EntityCostContent),
  }),
);

/**
 * The same tab as {@link EntityCostContent}, under this plugin's naming.
 *
 * @public
 */
export const EntityOwnopsCostContent = EntityCostContent;

/**
 * The finance page: the organisation's cost by owner, cost center, system,
 * entity, category or environment; budgets; unallocated spend; ingestion;
 * CSV export. Needs `ownops.cost.readAll`. Route it at `/ownops/finance`.
 *
 * @public
 */
export const OwnopsFinancePage = ownopsPlugin.provide(
  createRoutableExtension({
    name: 'OwnopsFinancePage',
    mountPoint: ownopsFinanceRouteRef,
    component: () =>
      import('./components/FinancePage').then(m => m.LegacyFinancePage),
  }),
);

/**
 * Entity page card: owner group, cost center, environments, the owner tags
 * of each environment and the monthly budget.
 *
 * @public
 */
export const EntityOwnopsOwnerTagsCard = ownopsPlugin.provide(
  createComponentExtension({
    name: 'EntityOwnopsOwnerTagsCard',
    component: {
      lazy: () =>
        import('./components/EntityOwnerTagsCard').then(
          m => m.EntityOwnerTagsCard,
        ),
    },
  }),
);

/**
 * Entity page card "Ownops" for components: per environment the current
 * version and last deployment, this month's cost against the budget, and who
 * is on call now; a failing section shows its own error.
 *
 * @public
 */
export const EntityOwnopsSummaryCard = ownopsPlugin.provide(
  createComponentExtension({
    name: 'EntityOwnopsSummaryCard',
    component: {
      lazy: () =>
        import('./components/OwnopsSummaryCard').then(m => m.OwnopsSummaryCard),
    },
  }),
);

/**
 * Group page card "Ownops": deploys this week, cost per currency against the
 * budgets, who is on call now and the group's services.
 *
 * @public
 */
export const GroupOwnopsSummaryCard = ownopsPlugin.provide(
  createComponentExtension({
    name: 'GroupOwnopsSummaryCard',
    component: {
      lazy: () =>
        import('./components/GroupSummaryCard').then(m => m.GroupSummaryCard),
    },
  }),
);

/**
 * The "On call" card for component and group pages: who is on call now, until
 * when and who is next; on a group also its on-call overrides.
 *
 * @public
 */
export const EntityOwnopsOnCallCard = ownopsPlugin.provide(
  createComponentExtension({
    name: 'EntityOwnopsOnCallCard',
    component: {
      lazy: () =>
        import('./components/EntityOnCallCard').then(m => m.EntityOnCallCard),
    },
  }),
);

/**
 * Scaffolder field extension `OwnopsOwnerTags` (`ui:field: OwnopsOwnerTags`):
 * shows the owner tags a new service's resources will carry and blocks the
 * form while they cannot be resolved. Add it inside
 * `<ScaffolderFieldExtensions>`.
 *
 * @public
 */
export const OwnopsOwnerTagsFieldExtension = ownopsPlugin.provide(
  createScaffolderFieldExtension({
    name: OWNER_TAGS_FIELD_NAME,
    component: OwnerTagsField,
    validation: validateOwnerTagsField,
    schema: OwnerTagsFieldSchema.schema,
  }),
);

/**
 * Scaffolder field extension `OwnopsDeployTargetPicker`
 * (`ui:field: OwnopsDeployTargetPicker`): a select of the deploy targets the
 * Ownops backend reports, which refuses any other value. Add it inside
 * `<ScaffolderFieldExtensions>`.
 *
 * @public
 */
export const OwnopsDeployTargetPickerFieldExtension = ownopsPlugin.provide(
  createScaffolderFieldExtension({
    name: DEPLOY_TARGET_PICKER_FIELD_NAME,
    component: DeployTargetPicker,
    validation: validateDeployTargetPicker,
    schema: DeployTargetPickerSchema.schema,
  }),
);
