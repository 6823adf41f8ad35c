import { configApiRef } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { Stepper } from '@backstage/plugin-scaffolder-react/alpha';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { JsonValue } from '@backstage/types';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { catalogEntities } from '../../__testUtils__/fixtures';
import { OwnerTagsField } from './OwnerTagsField';
import { OWNER_TAGS_FIELD_NAME } from './schema';
import { validateOwnerTagsField } from './validation';

// The parameters of the "Service with owner tags" template, in two steps to
// show the field reads values of earlier steps too.
const manifest = {
  title: 'Service with owner tags',
  steps: [
    {
      title: 'Service',
      schema: {
        type: 'object',
        required: ['name', 'owner'],
        properties: {
          name: { type: 'string', title: 'Name' },
          owner: { type: 'string', title: 'Owner' },
          costCenter: { type: 'string', title: 'Cost center' },
        },
      },
    },
    {
      title: 'Tags',
      schema: {
        type: 'object',
        properties: {
          environments: {
            type: 'array',
            title: 'Environments',
            items: { type: 'string' },
            default: ['staging', 'production'],
          },
          ownerTags: {
            title: 'Owner tags',
            type: 'object',
            'ui:field': OWNER_TAGS_FIELD_NAME,
          },
        },
      },
    },
  ],
};

async function renderForm(
  onCreate: (values: Record<string, JsonValue>) => Promise<void>,
) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [catalogApiRef, catalogApiMock({ entities: catalogEntities })],
        [configApiRef, mockApis.config()],
      ]}
    >
      <Stepper
        manifest={manifest}
        extensions={[
          {
            name: OWNER_TAGS_FIELD_NAME,
            component: OwnerTagsField,
            validation: validateOwnerTagsField,
          },
        ]}
        onCreate={onCreate}
      />
    </TestApiProvider>,
  );
}

async function fillFirstStep(owner: string) {
  await userEvent.type(
    await screen.findByRole('textbox', { name: 'Name' }),
    'cart-service',
  );
  await userEvent.type(screen.getByRole('textbox', { name: 'Owner' }), owner);
  await userEvent.click(screen.getByRole('button', { name: 'Next' }));
}

// Whole scaffolder forms render slowly when the repo's suites share two cores.
jest.setTimeout(30_000);

describe('OwnopsOwnerTags in the scaffolder form', () => {
  beforeAll(() => {
    // The stepper scrolls to the top on every step; jsdom cannot.
    jest.spyOn(window, 'scrollTo').mockImplementation(() => {});
  });

  it('shows the tags from values of the earlier step and lets the run start', async () => {
    const onCreate = jest.fn(async () => {});
    await renderForm(onCreate);
    await fillFirstStep('group:default/team-checkout');

    expect(
      await screen.findByTestId('owner-tag-cost-center-production'),
    ).toHaveTextContent('cc-1001');
    expect(
      screen.getByTestId('owner-tag-backstage-entity-staging'),
    ).toHaveTextContent('component.default.cart-service');

    await userEvent.click(screen.getByRole('button', { name: 'Review' }));
    await userEvent.click(
      await screen.findByRole('button', { name: 'Create' }),
    );
    await waitFor(() => expect(onCreate).toHaveBeenCalled());
    expect(onCreate).toHaveBeenCalledWith(
      expect.objectContaining({
        name: 'cart-service',
        owner: 'group:default/team-checkout',
        ownerTags: expect.objectContaining({ costCenter: 'cc-1001' }),
      }),
    );
  });

  it('blocks the form while the owner is a User', async () => {
    const onCreate = jest.fn(async () => {});
    await renderForm(onCreate);
    await fillFirstStep('user:default/alice');

    const message =
      'owner: user:default/alice is a User, but a service must be owned by a Group';
    expect(await screen.findByRole('alert')).toHaveTextContent(message);
    await userEvent.click(screen.getByRole('button', { name: 'Review' }));
    // rjsf lists the validation error; the form stays on this step.
    await waitFor(() =>
      expect(
        screen.getAllByText(message, { exact: false }).length,
      ).toBeGreaterThan(1),
    );
    expect(
      screen.queryByRole('button', { name: 'Create' }),
    ).not.toBeInTheDocument();
    expect(onCreate).not.toHaveBeenCalled();
  });
});
