import { Entity } from '@backstage/catalog-model';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  mockApis,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { OwnopsApi } from '@ownops/backstage-plugin-common';
import { screen, within } from '@testing-library/react';
import { ownopsApiRef } from './api';
import { mockOwnopsApi } from './components/cost/__testUtils__/costFixtures';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import ownopsPlugin from './alpha';

const component: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout-service' },
};
const annotated: Entity = {
  ...component,
  metadata: {
    ...component.metadata,
    annotations: { 'ownops.io/environments': 'staging,production' },
  },
};
const group: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team-checkout' },
};

describe('ownops /alpha plugin', () => {
  it('puts the Deploy card on component pages', () => {
    const tester = createExtensionTester(
      ownopsPlugin.getExtension('entity-card:ownops/deploy'),
    );
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction);
    expect(filter).toBeDefined();
    expect(filter!(component)).toBe(true);
    expect(filter!(group)).toBe(false);
  });

  it('puts the Owner tags and budget card on component pages', () => {
    const tester = createExtensionTester(
      ownopsPlugin.getExtension('entity-card:ownops/owner-tags'),
    );
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction);
    expect(filter!(component)).toBe(true);
    expect(filter!(group)).toBe(false);
  });

  it('puts the summary card on component pages and the group summary on groups', () => {
    const summary = createExtensionTester(
      ownopsPlugin.getExtension('entity-card:ownops/summary'),
    ).get(EntityCardBlueprint.dataRefs.filterFunction);
    expect(summary!(component)).toBe(true);
    expect(summary!(group)).toBe(false);
    const groupSummary = createExtensionTester(
      ownopsPlugin.getExtension('entity-card:ownops/group-summary'),
    ).get(EntityCardBlueprint.dataRefs.filterFunction);
    expect(groupSummary!(group)).toBe(true);
    expect(groupSummary!(component)).toBe(false);
  });

  it('gives the scaffolder the OwnopsOwnerTags field', async () => {
    const extension = ownopsPlugin.getExtension(
      'scaffolder-form-field:ownops/owner-tags',
    );
    const loader = createExtensionTester(extension).get(
      FormFieldBlueprint.dataRefs.formFieldLoader,
    );
    const field = (await loader()) as unknown as {
      name: string;
      validation?: unknown;
    };
    expect(field.name).toBe('OwnopsOwnerTags');
    expect(field.validation).toEqual(expect.any(Function));
  });

  it('gives the scaffolder the OwnopsDeployTargetPicker field', async () => {
    const extension = ownopsPlugin.getExtension(
      'scaffolder-form-field:ownops/deploy-target-picker',
    );
    const loader = createExtensionTester(extension).get(
      FormFieldBlueprint.dataRefs.formFieldLoader,
    );
    const field = (await loader()) as unknown as {
      name: string;
      validation?: unknown;
    };
    expect(field.name).toBe('OwnopsDeployTargetPicker');
    expect(field.validation).toEqual(expect.any(Function));
  });

  it('adds a Deployments tab to components set up for Ownops', () => {
    const tester = createExtensionTester(
      ownopsPlugin.getExtension('entity-content:ownops/deployments'),
    );
    expect(tester.get(coreExtensionData.routePath)).toBe('/deployments');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Deployments',
    );
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(filter!(annotated)).toBe(true);
    expect(filter!(component)).toBe(false);
    expect(filter!({ ...annotated, kind: 'Group' })).toBe(false);
  });

  it('adds a Cost tab to components and groups', () => {
    const tester = createExtensionTester(
      ownopsPlugin.getExtension('entity-content:ownops/cost'),
    );
    expect(tester.get(coreExtensionData.routePath)).toBe('/cost');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Cost');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(filter!(component)).toBe(true);
    expect(filter!(annotated)).toBe(true);
    expect(filter!(group)).toBe(true);
    expect(filter!({ ...component, kind: 'System' })).toBe(false);
    expect(filter!({ ...component, kind: 'User' })).toBe(false);
  });

  it('routes the Finance page at /ownops/finance with a sidebar title and icon', () => {
    const extension = ownopsPlugin.getExtension('page:ownops/finance');
    const tester = createExtensionTester(extension);
    expect(tester.get(coreExtensionData.routePath)).toBe('/ownops/finance');
    expect(tester.get(coreExtensionData.title)).toBe('Finance');
    expect(tester.get(coreExtensionData.icon)).toBeDefined();
    expect(tester.get(coreExtensionData.routeRef)).toBe(
      ownopsPlugin.routes.finance,
    );
  });

  it('renders the Finance page in an app at /ownops/finance', async () => {
    const api = mockOwnopsApi();
    renderTestApp({
      features: [ownopsPlugin],
      initialRouteEntries: ['/ownops/finance'],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [
        [ownopsApiRef, api as unknown as OwnopsApi],
        [
          permissionApiRef,
          mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
        ],
      ],
    });
    const table = await screen.findByTestId('ownops-finance-table');
    expect(
      within(table).getByRole('link', { name: 'Team Checkout' }),
    ).toHaveAttribute('href', '/catalog/default/group/team-checkout/cost');
    expect(screen.getByTestId('ownops-finance-page')).toBeInTheDocument();
  });

  it('provides the Ownops API', () => {
    expect(() => ownopsPlugin.getExtension('api:ownops')).not.toThrow();
    expect(() =>
      ownopsPlugin.getExtension('api:not-ownops' as 'api:ownops'),
    ).toThrow();
  });
});
