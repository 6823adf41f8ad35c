import { Entity } from '@backstage/catalog-model';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
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

  it('provides the Ownops API', () => {
    expect(() => ownopsPlugin.getExtension('api:ownops')).not.toThrow();
    expect(() =>
      ownopsPlugin.getExtension('api:not-ownops' as 'api:ownops'),
    ).toThrow();
  });
});
