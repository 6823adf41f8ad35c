import { Stepper } from '@backstage/plugin-scaffolder-react/alpha';
import {
  registerMswTestHooks,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { JsonValue } from '@backstage/types';
import { OwnopsClient } from '@ownops/backstage-plugin-common';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { BASE_URL } from '../../__testUtils__/fixtures';
import { ownopsApiRef } from '../../api';
import { DeployTargetPicker } from './DeployTargetPicker';
import { DEPLOY_TARGET_PICKER_FIELD_NAME } from './schema';
import { validateDeployTargetPicker } from './validation';

const server = setupServer();
registerMswTestHooks(server);

// The deploy target of the "Service with owner tags" template.
const manifest = {
  title: 'Service with owner tags',
  steps: [
    {
      title: 'Cost and deployment',
      schema: {
        type: 'object',
        required: ['deployTarget'],
        properties: {
          deployTarget: {
            title: 'Deploy target',
            description:
              'An Ownops deploy target configured in app-config (ownops.commandTargets or a provider module)',
            type: 'string',
            default: 'local',
            pattern: '^[a-z0-9][a-z0-9-]{0,62}$',
            'ui:field': DEPLOY_TARGET_PICKER_FIELD_NAME,
          },
        },
      },
    },
  ],
};

function targetsAre(targets: { id: string; title?: string }[]) {
  server.use(
    http.get(`${BASE_URL}/deploy-targets`, () =>
      HttpResponse.json({ targets }),
    ),
  );
}

async function renderForm(
  onCreate: (values: Record<string, JsonValue>) => Promise<void>,
) {
  const client = new OwnopsClient({
    discoveryApi: { getBaseUrl: async () => BASE_URL },
    fetchApi: { fetch: (input, init) => fetch(input, init) },
  });
  await renderInTestApp(
    <TestApiProvider apis={[[ownopsApiRef, client]]}>
      <Stepper
        manifest={manifest}
        extensions={[
          {
            name: DEPLOY_TARGET_PICKER_FIELD_NAME,
            component: DeployTargetPicker,
            validation: validateDeployTargetPicker,
          },
        ]}
        onCreate={onCreate}
      />
    </TestApiProvider>,
  );
}

// Whole scaffolder forms render slowly when the repo's suites share two cores.
jest.setTimeout(30_000);

describe('OwnopsDeployTargetPicker in the scaffolder form', () => {
  beforeAll(() => {
    // The stepper scrolls to the top on every step; jsdom cannot.
    jest.spyOn(window, 'scrollTo').mockImplementation(() => {});
  });

  it('keeps the default target when the user does not touch the field', async () => {
    targetsAre([{ id: 'local', title: 'Local script' }, { id: 'staging-vm' }]);
    const onCreate = jest.fn(async () => {});
    await renderForm(onCreate);

    expect(await screen.findByLabelText(/^Deploy target/)).toHaveTextContent(
      /^Local script \(local\)$/,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Review' }));
    await userEvent.click(
      await screen.findByRole('button', { name: 'Create' }),
    );
    await waitFor(() =>
      expect(onCreate).toHaveBeenCalledWith({ deployTarget: 'local' }),
    );
  });

  it('blocks the form when no target is configured', async () => {
    targetsAre([]);
    const onCreate = jest.fn(async () => {});
    await renderForm(onCreate);

    const message =
      'No deploy targets are configured; add one under ownops.commandTargets in app-config or install a provider module';
    expect(await screen.findByRole('alert')).toHaveTextContent(
      new RegExp(`^${message}$`),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Review' }));
    // rjsf lists the validation error above the form and under the field;
    // the form stays on this step.
    expect(
      await screen.findByText(`'Deploy target' ${message}`),
    ).toBeInTheDocument();
    expect(screen.getAllByText(message)).toHaveLength(2); // alert, field error
    expect(
      screen.queryByRole('button', { name: 'Create' }),
    ).not.toBeInTheDocument();
    expect(onCreate).not.toHaveBeenCalled();
  });
});
