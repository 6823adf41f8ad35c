import { ApiBlueprint } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import { formFieldsApiRef } from '@backstage/plugin-scaffolder-react/alpha';
import {
  ScaffolderFieldExtensions,
  useCustomFieldExtensions,
} from '@backstage/plugin-scaffolder-react';
import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import ownopsPlugin from './alpha';
import {
  OwnopsDeployTargetPickerFieldExtension,
  OwnopsOwnerTagsFieldExtension,
} from './plugin';

describe('the Ownops fields in the scaffolder of the new frontend system', () => {
  it('are loaded by the scaffolder form fields API', async () => {
    const tester = createExtensionTester(
      scaffolderPlugin.getExtension('api:scaffolder/form-fields'),
    )
      .add(ownopsPlugin.getExtension('scaffolder-form-field:ownops/owner-tags'))
      .add(
        ownopsPlugin.getExtension(
          'scaffolder-form-field:ownops/deploy-target-picker',
        ),
      );
    const factory = tester.get(ApiBlueprint.dataRefs.factory);
    expect(factory.api.id).toBe(formFieldsApiRef.id);
    const api = factory.factory({
      appTreeApi: { getTree: () => ({ tree: { nodes: new Map() } }) },
    }) as typeof formFieldsApiRef.T;
    const fields = (await api.loadFormFields()) as unknown as {
      name: string;
    }[];
    expect(fields.map(f => f.name).sort()).toEqual([
      'OwnopsDeployTargetPicker',
      'OwnopsOwnerTags',
    ]);
  });
});

describe('the Ownops fields in the scaffolder of the legacy frontend system', () => {
  it('are found inside <ScaffolderFieldExtensions>', async () => {
    const outlet = (
      <ScaffolderFieldExtensions>
        <OwnopsOwnerTagsFieldExtension />
        <OwnopsDeployTargetPickerFieldExtension />
      </ScaffolderFieldExtensions>
    );
    function FieldNames() {
      const fields = useCustomFieldExtensions(outlet);
      return (
        <ul>
          {fields.map(field => (
            <li key={field.name}>
              {field.name}
              {field.validation ? ' (validated)' : ''}
            </li>
          ))}
        </ul>
      );
    }
    await renderInTestApp(<FieldNames />);
    expect(
      screen.getAllByRole('listitem').map(item => item.textContent),
    ).toEqual([
      'OwnopsOwnerTags (validated)',
      'OwnopsDeployTargetPicker (validated)',
    ]);
  });
});
