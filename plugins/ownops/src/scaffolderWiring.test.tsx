import { ApiBlueprint } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import { formFieldsApiRef } from '@backstage/plugin-scaffolder-react/alpha';
import ownopsPlugin from './alpha';

describe('the OwnopsOwnerTags field in the scaffolder of the new frontend system', () => {
  it('is loaded by the scaffolder form fields API', async () => {
    const tester = createExtensionTester(
      scaffolderPlugin.getExtension('api:scaffolder/form-fields'),
    ).add(ownopsPlugin.getExtension('scaffolder-form-field:ownops/owner-tags'));
    const factory = tester.get(ApiBlueprint.dataRefs.factory);
    expect(factory.api.id).toBe(formFieldsApiRef.id);
    const api = factory.factory({
      appTreeApi: { getTree: () => ({ tree: { nodes: new Map() } }) },
    }) as typeof formFieldsApiRef.T;
    const fields = (await api.loadFormFields()) as unknown as {
      name: string;
    }[];
    expect(fields.map(f => f.name)).toContain('OwnopsOwnerTags');
  });
});
