import { configApiRef } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { createFieldValidation } from '@backstage/plugin-scaffolder-react/alpha';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
  TestApiRegistry,
} from '@backstage/test-utils';
import { JsonObject } from '@backstage/types';
import { screen, waitFor, within } from '@testing-library/react';
import { catalogEntities } from '../../__testUtils__/fixtures';
import { OwnerTagsField } from './OwnerTagsField';
import { OwnerTagsFieldProps } from './schema';
import { validateOwnerTagsField } from './validation';

const defaultForm = {
  name: 'checkout-service',
  owner: 'group:default/team-checkout',
  environments: ['staging', 'production'],
};

function apis(config: JsonObject = {}) {
  return [
    [catalogApiRef, catalogApiMock({ entities: catalogEntities })],
    [configApiRef, mockApis.config({ data: config })],
  ] as const;
}

async function renderField(options: {
  formData?: JsonObject;
  config?: JsonObject;
  uiOptions?: JsonObject;
  value?: unknown;
}) {
  const onChange = jest.fn();
  const props = {
    name: 'ownerTags',
    schema: { type: 'object', title: 'Owner tags' },
    uiSchema: { 'ui:options': options.uiOptions ?? {} },
    idSchema: { $id: 'root_ownerTags' },
    formData: options.value,
    formContext: { formData: options.formData ?? defaultForm },
    onChange,
    onBlur: jest.fn(),
    onFocus: jest.fn(),
    rawErrors: [],
    disabled: false,
    readonly: false,
    registry: {},
  } as unknown as OwnerTagsFieldProps;
  await renderInTestApp(
    <TestApiProvider apis={apis(options.config)}>
      <OwnerTagsField {...props} />
    </TestApiProvider>,
  );
  return { onChange };
}

async function validate(formData: JsonObject, config: JsonObject = {}) {
  const validation = createFieldValidation();
  await validateOwnerTagsField({ tags: {} }, validation, {
    apiHolder: TestApiRegistry.from(...apis(config)),
    formData: { ...formData, ownerTags: { tags: {} } },
    schema: { type: 'object' },
    uiSchema: {},
  });
  return validation.__errors;
}

describe('OwnerTagsField', () => {
  it('shows the tags of every environment for a group with a cost center', async () => {
    const { onChange } = await renderField({});
    const table = await screen.findByRole('table', {
      name: 'Owner tags per environment',
    });
    expect(
      within(table).getByTestId('owner-tag-cost-center-staging'),
    ).toHaveTextContent('cc-1001');
    expect(
      within(table).getByTestId('owner-tag-backstage-entity-production'),
    ).toHaveTextContent('component.default.checkout-service');
    expect(
      within(table).getByTestId('owner-tag-owner-production'),
    ).toHaveTextContent('group.default.team-checkout');
    expect(
      within(table).getByTestId('owner-tag-environment-production'),
    ).toHaveTextContent('production');
    expect(screen.getByTestId('owner-tags-cost-center')).toHaveTextContent(
      'cc-1001',
    );
    expect(
      screen.getByText('(from group:default/team-checkout)', { exact: false }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    await waitFor(() =>
      expect(onChange).toHaveBeenLastCalledWith({
        costCenter: 'cc-1001',
        tags: {
          staging: {
            'backstage-entity': 'component.default.checkout-service',
            owner: 'group.default.team-checkout',
            'cost-center': 'cc-1001',
            environment: 'staging',
          },
          production: {
            'backstage-entity': 'component.default.checkout-service',
            owner: 'group.default.team-checkout',
            'cost-center': 'cc-1001',
            environment: 'production',
          },
        },
      }),
    );
  });

  it('uses the configured tag keys and sibling field names', async () => {
    await renderField({
      formData: {
        service: { id: 'cart' },
        team: 'team-checkout',
        envs: ['dev'],
      },
      uiOptions: {
        nameField: 'service.id',
        ownerField: 'team',
        environmentsField: 'envs',
      },
      config: {
        ownops: { tags: { keys: { costCenter: 'example.com/cost-center' } } },
      },
    });
    expect(
      await screen.findByTestId('owner-tag-example.com/cost-center-dev'),
    ).toHaveTextContent('cc-1001');
    expect(
      screen.getByTestId('owner-tag-backstage-entity-dev'),
    ).toHaveTextContent('component.default.cart');
  });

  it('flags an owner that is a User', async () => {
    const { onChange } = await renderField({
      formData: { ...defaultForm, owner: 'user:default/alice' },
    });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'owner: user:default/alice is a User, but a service must be owned by a Group',
    );
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    await waitFor(() =>
      expect(onChange).toHaveBeenLastCalledWith({ tags: {} }),
    );
  });

  it('flags an owner group without a cost center', async () => {
    await renderField({
      formData: { ...defaultForm, owner: 'group:default/team-nocc' },
    });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'costCenter: group:default/team-nocc has no ownops.io/cost-center annotation and the form gave none; add the annotation to the group',
    );
  });

  it('flags a cost center override the policy forbids', async () => {
    await renderField({
      formData: { ...defaultForm, costCenter: 'cc-2000' },
    });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      `costCenter: "cc-2000" differs from group:default/team-checkout's cost center "cc-1001", and the tag policy (ownops.tags.allowCostCenterOverride) does not allow overriding it; leave the cost center empty to use the group's`,
    );
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('uses an allowed override', async () => {
    await renderField({
      formData: { ...defaultForm, costCenter: 'cc-2000' },
      config: { ownops: { tags: { allowCostCenterOverride: true } } },
    });
    expect(
      await screen.findByTestId('owner-tag-cost-center-production'),
    ).toHaveTextContent('cc-2000');
    expect(
      screen.getByText('(from the form)', { exact: false }),
    ).toBeInTheDocument();
  });

  it('flags an invalid cost center', async () => {
    await renderField({
      formData: { ...defaultForm, costCenter: 'cc 2000; drop' },
      config: { ownops: { tags: { allowCostCenterOverride: true } } },
    });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'costCenter: "cc 2000; drop" may only contain letters, digits and "-" (at most 63 characters)',
    );
  });

  it('flags tag policy problems, naming the field', async () => {
    await renderField({
      formData: {
        ...defaultForm,
        name: 'a'.repeat(60),
        environments: ['Prod'],
      },
    });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      `name: entity "component:default/${'a'.repeat(60)}" is too long`,
    );
    expect(alert).toHaveTextContent(
      'environments: environment "Prod" must be a lower-case name such as "staging"',
    );
  });

  it('asks for an owner before showing tags', async () => {
    await renderField({ formData: { ...defaultForm, owner: undefined } });
    expect(await screen.findByRole('status')).toHaveTextContent(
      'owner: choose the group that owns the service',
    );
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });
});

describe('validateOwnerTagsField', () => {
  it('passes a group with a cost center', async () => {
    expect(await validate(defaultForm)).toEqual([]);
  });

  it('blocks every unresolvable owner', async () => {
    expect(await validate({ ...defaultForm, owner: '' })).toEqual([
      'owner: choose the group that owns the service',
    ]);
    expect(
      await validate({ ...defaultForm, owner: 'user:default/alice' }),
    ).toEqual([
      'owner: user:default/alice is a User, but a service must be owned by a Group',
    ]);
    expect(
      await validate({ ...defaultForm, owner: 'group:default/nobody' }),
    ).toEqual(['owner: group:default/nobody was not found in the catalog']);
  });

  it('blocks a missing, forbidden or invalid cost center', async () => {
    expect(
      await validate({ ...defaultForm, owner: 'group:default/team-nocc' }),
    ).toEqual([
      'costCenter: group:default/team-nocc has no ownops.io/cost-center annotation and the form gave none; add the annotation to the group',
    ]);
    expect(
      await validate({ ...defaultForm, costCenter: 'cc-2000' }),
    ).toHaveLength(1);
    expect(
      await validate(
        { ...defaultForm, costCenter: 'cc-2000' },
        { ownops: { tags: { allowCostCenterOverride: true } } },
      ),
    ).toEqual([]);
    expect(
      await validate(
        { ...defaultForm, costCenter: '-cc' },
        { ownops: { tags: { allowCostCenterOverride: true } } },
      ),
    ).toEqual([
      'costCenter: "-cc" may only contain letters, digits and "-" (at most 63 characters)',
    ]);
    // Giving the group's own cost center is no override.
    expect(await validate({ ...defaultForm, costCenter: 'cc-1001' })).toEqual(
      [],
    );
  });

  it('blocks missing environments and names', async () => {
    expect(
      await validate({ ...defaultForm, name: '', environments: [] }),
    ).toEqual([
      'name: enter the name of the service',
      'environments: choose at least one environment',
    ]);
  });
});
