import { createFieldValidation } from '@backstage/plugin-scaffolder-react/alpha';
import {
  registerMswTestHooks,
  renderInTestApp,
  TestApiProvider,
  TestApiRegistry,
} from '@backstage/test-utils';
import { OwnopsClient } from '@ownops/backstage-plugin-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { BASE_URL } from '../../__testUtils__/fixtures';
import { ownopsApiRef } from '../../api';
import { DeployTargetPicker } from './DeployTargetPicker';
import { DeployTargetPickerProps } from './schema';
import { validateDeployTargetPicker } from './validation';

const server = setupServer();
registerMswTestHooks(server);

const NO_TARGETS =
  'No deploy targets are configured; add one under ownops.commandTargets in app-config or install a provider module';

const client = new OwnopsClient({
  discoveryApi: { getBaseUrl: async () => BASE_URL },
  fetchApi: { fetch: (input, init) => fetch(input, init) },
});

function targetsAre(targets: { id: string; title?: string }[]) {
  server.use(
    http.get(`${BASE_URL}/deploy-targets`, () =>
      HttpResponse.json({ targets }),
    ),
  );
}

function targetsFail() {
  server.use(
    http.get(`${BASE_URL}/deploy-targets`, () =>
      HttpResponse.json(
        { error: { name: 'Error', message: 'database unavailable' } },
        { status: 503, statusText: 'Service Unavailable' },
      ),
    ),
  );
}

async function renderField(options: { value?: string; default?: string }) {
  const onChange = jest.fn();
  const props = {
    name: 'deployTarget',
    schema: {
      type: 'string',
      title: 'Deploy target',
      description: 'Where the service is deployed',
      ...(options.default !== undefined && { default: options.default }),
    },
    uiSchema: {},
    idSchema: { $id: 'root_deployTarget' },
    formData: options.value,
    formContext: { formData: {} },
    onChange,
    onBlur: jest.fn(),
    onFocus: jest.fn(),
    rawErrors: [],
    required: false,
    disabled: false,
    readonly: false,
    registry: {},
  } as unknown as DeployTargetPickerProps;
  const result = await renderInTestApp(
    <TestApiProvider apis={[[ownopsApiRef, client]]}>
      <DeployTargetPicker {...props} />
    </TestApiProvider>,
  );
  const rerender = async (value: string) =>
    result.rerender(
      <TestApiProvider apis={[[ownopsApiRef, client]]}>
        <DeployTargetPicker {...props} formData={value} />
      </TestApiProvider>,
    );
  return { onChange, rerender };
}

async function validate(value: string | undefined) {
  const validation = createFieldValidation();
  await validateDeployTargetPicker(value as string, validation, {
    apiHolder: TestApiRegistry.from([ownopsApiRef, client]),
    formData: { deployTarget: value },
    schema: { type: 'string' },
    uiSchema: {},
  });
  return validation.__errors;
}

describe('DeployTargetPicker', () => {
  it('lists the targets as "title (id)" and lets the user choose one', async () => {
    targetsAre([{ id: 'local', title: 'Local script' }, { id: 'staging-vm' }]);
    const { onChange } = await renderField({
      value: 'local',
      default: 'local',
    });

    const select = await screen.findByLabelText('Deploy target');
    expect(select).toHaveTextContent(/^Local script \(local\)$/);
    expect(
      screen.getByText('Where the service is deployed'),
    ).toBeInTheDocument();
    expect(onChange).not.toHaveBeenCalled();

    await userEvent.click(select);
    const list = await screen.findByRole('listbox');
    expect(
      within(list)
        .getAllByRole('option')
        .map(option => option.textContent),
    ).toEqual(['Local script (local)', 'staging-vm']);
    await userEvent.click(
      within(list).getByRole('option', { name: 'staging-vm' }),
    );
    expect(onChange).toHaveBeenLastCalledWith('staging-vm');
  });

  it('is labelled by the schema title', async () => {
    targetsAre([{ id: 'local', title: 'Local script' }]);
    await renderField({ value: 'local', default: 'local' });
    const select = await screen.findByLabelText('Deploy target');
    expect(select).toHaveAttribute('role', 'button');
    expect(select).toHaveAttribute('aria-haspopup', 'listbox');
    expect(select).toHaveTextContent(/^Local script \(local\)$/);
  });

  it('shows progress while the targets load', async () => {
    server.use(
      http.get(`${BASE_URL}/deploy-targets`, async () => {
        await new Promise(resolve => setTimeout(resolve, 1000));
        return HttpResponse.json({ targets: [{ id: 'local' }] });
      }),
    );
    await renderField({ value: 'local', default: 'local' });
    expect(
      await screen.findByRole('progressbar', {
        name: 'Loading deploy targets',
      }),
    ).toBeInTheDocument();
    expect(await screen.findByLabelText('Deploy target')).toHaveTextContent(
      /^local$/,
    );
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
  });

  it('selects the schema default when the backend has it', async () => {
    targetsAre([{ id: 'local', title: 'Local script' }, { id: 'staging-vm' }]);
    const { onChange, rerender } = await renderField({
      default: 'staging-vm',
    });
    await waitFor(() => expect(onChange).toHaveBeenCalledWith('staging-vm'));
    expect(onChange).toHaveBeenCalledTimes(1);
    await rerender('staging-vm');
    expect(screen.getByLabelText('Deploy target')).toHaveTextContent(
      /^staging-vm$/,
    );
  });

  it('selects the first target without a default the backend has', async () => {
    targetsAre([{ id: 'vm-1', title: 'First VM' }, { id: 'vm-2' }]);
    const { onChange } = await renderField({});
    await waitFor(() => expect(onChange).toHaveBeenCalledWith('vm-1'));
  });

  it('replaces a filled-in default the backend does not have by the first target', async () => {
    targetsAre([{ id: 'vm-1' }, { id: 'vm-2' }]);
    const { onChange } = await renderField({
      value: 'local',
      default: 'local',
    });
    await waitFor(() => expect(onChange).toHaveBeenCalledWith('vm-1'));
  });

  it("keeps the user's choice", async () => {
    targetsAre([{ id: 'local' }, { id: 'vm-2' }]);
    const { onChange } = await renderField({ value: 'vm-2', default: 'local' });
    expect(await screen.findByLabelText('Deploy target')).toHaveTextContent(
      /^vm-2$/,
    );
    expect(onChange).not.toHaveBeenCalled();
  });

  it('flags a value that is no target, e.g. from the URL', async () => {
    targetsAre([{ id: 'local' }, { id: 'vm-2' }]);
    await renderField({ value: 'gone', default: 'local' });
    expect(
      await screen.findByText(
        '"gone" is not a deploy target of this portal (known: local, vm-2)',
      ),
    ).toBeInTheDocument();
  });

  it('says how to add a target when there is none', async () => {
    targetsAre([]);
    const { onChange } = await renderField({
      value: 'local',
      default: 'local',
    });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      new RegExp(`^${NO_TARGETS}$`),
    );
    expect(screen.queryByLabelText('Deploy target')).not.toBeInTheDocument();
    expect(onChange).not.toHaveBeenCalled();
  });

  it('lets the user type a well-formed id when the list cannot be loaded', async () => {
    targetsFail();
    const { onChange, rerender } = await renderField({
      value: 'local',
      default: 'local',
    });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      /^Could not list deploy targets: Request failed with 503 Service Unavailable\. Type the target's id instead; it is checked when the service is created\.$/,
    );
    const input = screen.getByRole('textbox', { name: 'Deploy target' });
    expect(input).toHaveValue('local');
    expect(
      screen.getByText('Where the service is deployed'),
    ).toBeInTheDocument();

    await userEvent.type(input, 'x');
    expect(onChange).toHaveBeenLastCalledWith('localx');
    await rerender('Bad Target');
    expect(
      screen.getByText(
        '"Bad Target" is not a deploy target id: lower-case letters, digits and "-", starting with a letter or digit, at most 63 characters',
      ),
    ).toBeInTheDocument();
    expect(input).toHaveAttribute('aria-invalid', 'true');
  });
});

describe('validateDeployTargetPicker', () => {
  it('passes a listed target', async () => {
    targetsAre([{ id: 'local', title: 'Local script' }, { id: 'staging-vm' }]);
    expect(await validate('local')).toEqual([]);
    expect(await validate('staging-vm')).toEqual([]);
  });

  it('refuses an id the backend does not list, and no id', async () => {
    targetsAre([{ id: 'local', title: 'Local script' }, { id: 'staging-vm' }]);
    expect(await validate('production-k8s')).toEqual([
      '"production-k8s" is not a deploy target of this portal (known: local, staging-vm)',
    ]);
    expect(await validate('')).toEqual(['Choose a deploy target']);
    expect(await validate(undefined)).toEqual(['Choose a deploy target']);
  });

  it('refuses everything when no target is configured', async () => {
    targetsAre([]);
    expect(await validate('local')).toEqual([NO_TARGETS]);
  });

  it('checks only the shape of the id when the list cannot be loaded', async () => {
    targetsFail();
    expect(await validate('local')).toEqual([]);
    expect(await validate('-local')).toEqual([
      '"-local" is not a deploy target id: lower-case letters, digits and "-", starting with a letter or digit, at most 63 characters',
    ]);
  });

  it('refuses without the Ownops API', async () => {
    const validation = createFieldValidation();
    await validateDeployTargetPicker('local', validation, {
      apiHolder: TestApiRegistry.from(),
      formData: {},
      schema: { type: 'string' },
      uiSchema: {},
    });
    expect(validation.__errors).toEqual([
      'The deploy target cannot be checked: the Ownops API is not available',
    ]);
  });
});
