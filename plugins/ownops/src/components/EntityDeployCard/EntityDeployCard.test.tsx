import { EntityProvider } from '@backstage/plugin-catalog-react';
import { registerMswTestHooks, renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  BASE_URL,
  deployment,
  entity,
  ENTITY_PATH,
  environments,
  Providers,
} from '../../__testUtils__/fixtures';
import { EntityDeployCard } from './EntityDeployCard';

const server = setupServer();
registerMswTestHooks(server);

// The deploy dialog also asks who is on call and for the budget status.
beforeEach(() =>
  server.use(
    http.get(`${ENTITY_PATH}/oncall`, () =>
      HttpResponse.json({
        entityRef: 'component:default/checkout-service',
        provider: null,
        now: [],
      }),
    ),
    http.get(`${ENTITY_PATH}/cost`, () =>
      HttpResponse.json({ budgetStatus: null }),
    ),
  ),
);

describe('EntityDeployCard', () => {
  it('names the missing annotations', async () => {
    await renderInTestApp(
      <Providers>
        <EntityProvider
          entity={{ ...entity, metadata: { name: 'bare', annotations: {} } }}
        >
          <EntityDeployCard />
        </EntityProvider>
      </Providers>,
    );
    expect(
      await screen.findAllByText(/ownops.io\/environments/),
    ).not.toHaveLength(0);
    expect(screen.getAllByText(/ownops.io\/deploy-target/)).not.toHaveLength(0);
  });

  it('shows each environment with its current version', async () => {
    server.use(
      http.get(`${ENTITY_PATH}/environments`, () =>
        HttpResponse.json(environments()),
      ),
    );
    await renderInTestApp(
      <Providers>
        <EntityDeployCard />
      </Providers>,
    );
    expect(
      await screen.findByTestId('current-version-staging'),
    ).toHaveTextContent('1.1.0');
    expect(screen.getByTestId('current-version-production')).toHaveTextContent(
      'never deployed',
    );
    expect(
      screen.getByRole('button', { name: 'Deploy to staging' }),
    ).toBeEnabled();
    expect(
      screen.getByRole('button', { name: 'Roll back production' }),
    ).toBeDisabled();
    expect(
      screen.getByText('No earlier successful deployment to roll back to'),
    ).toBeInTheDocument();
  });

  it('deploys a chosen version with an idempotency key and shows the logs', async () => {
    const requests: { body: unknown; key: string | null }[] = [];
    server.use(
      http.get(`${ENTITY_PATH}/environments`, () =>
        HttpResponse.json(environments()),
      ),
      http.get(`${ENTITY_PATH}/environments/staging/versions`, () =>
        HttpResponse.json({
          listed: true,
          versions: [
            { version: '1.2.0', description: 'Faster' },
            { version: '1.1.0' },
          ],
        }),
      ),
      http.post(`${ENTITY_PATH}/deployments`, async ({ request }) => {
        requests.push({
          body: await request.json(),
          key: request.headers.get('Idempotency-Key'),
        });
        return HttpResponse.json(
          deployment({ id: 3, version: '1.2.0', status: 'queued' }),
          { status: 201 },
        );
      }),
      http.get(`${BASE_URL}/deployments/3`, () =>
        HttpResponse.json(deployment({ id: 3, version: '1.2.0' })),
      ),
      http.get(`${BASE_URL}/deployments/3/logs`, () =>
        HttpResponse.json({
          finished: true,
          lines: [
            {
              seq: 1,
              timestamp: '2026-11-20T10:00:01.000Z',
              stream: 'stdout',
              message: 'Started checkout-service 1.2.0',
            },
          ],
        }),
      ),
    );
    await renderInTestApp(
      <Providers>
        <EntityDeployCard />
      </Providers>,
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Deploy to staging' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText('Deploy checkout-service to staging'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(
        within(dialog).getByRole('button', { name: /Version/ }),
      ).toHaveTextContent('1.2.0'),
    );
    await userEvent.type(
      within(dialog).getByLabelText('Reason'),
      'faster page',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Deploy' }),
    );

    expect(
      await within(dialog).findByRole('log', { name: 'Deployment logs' }),
    ).toHaveTextContent('Started checkout-service 1.2.0');
    await waitFor(() =>
      expect(
        within(dialog).getByLabelText('Deployment status'),
      ).toHaveTextContent('succeeded'),
    );
    expect(requests).toEqual([
      {
        body: {
          environment: 'staging',
          version: '1.2.0',
          reason: 'faster page',
        },
        key: expect.stringMatching(/.+/),
      },
    ]);
  });

  it('shows the conflict message of a refused deploy; a retry keeps its idempotency key', async () => {
    const keys: { version: string; key: string | null }[] = [];
    server.use(
      http.get(`${ENTITY_PATH}/environments`, () =>
        HttpResponse.json(environments()),
      ),
      http.get(`${ENTITY_PATH}/environments/staging/versions`, () =>
        HttpResponse.json({ listed: false, versions: [] }),
      ),
      http.post(`${ENTITY_PATH}/deployments`, async ({ request }) => {
        const body = (await request.json()) as { version: string };
        keys.push({
          version: body.version,
          key: request.headers.get('Idempotency-Key'),
        });
        return HttpResponse.json(
          {
            error: {
              name: 'ConflictError',
              message: 'Deployment #9 of 1.0.0 to staging is running',
            },
            response: { statusCode: 409 },
          },
          { status: 409 },
        );
      }),
    );
    await renderInTestApp(
      <Providers>
        <EntityDeployCard />
      </Providers>,
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Deploy to staging' }),
    );
    const dialog = await screen.findByRole('dialog');
    const version = await within(dialog).findByLabelText('Version');
    const confirm = within(dialog).getByRole('button', { name: 'Deploy' });

    await userEvent.type(version, '1.0; rm -rf');
    expect(confirm).toBeDisabled();
    expect(
      within(dialog).getByText(/may only contain letters/),
    ).toBeInTheDocument();

    await userEvent.clear(version);
    await userEvent.type(version, '1.0.0');
    await userEvent.click(confirm);
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Deployment #9 of 1.0.0 to staging is running',
    );

    // The same request again is a retry: same key. Another version: new key.
    await waitFor(() => expect(confirm).toBeEnabled());
    await userEvent.click(confirm);
    await waitFor(() => expect(keys).toHaveLength(2));
    await waitFor(() => expect(confirm).toBeEnabled());
    await userEvent.clear(version);
    await userEvent.type(version, '1.0.1');
    await userEvent.click(confirm);
    await waitFor(() => expect(keys).toHaveLength(3));
    expect(keys.map(k => k.version)).toEqual(['1.0.0', '1.0.0', '1.0.1']);
    expect(keys[0].key).toMatch(/.+/);
    expect(keys[1].key).toBe(keys[0].key);
    expect(keys[2].key).not.toBe(keys[0].key);
  });

  it('rolls back to the chosen earlier deployment', async () => {
    let rolledBackTo: string | undefined;
    server.use(
      http.get(`${ENTITY_PATH}/environments`, () =>
        HttpResponse.json(environments()),
      ),
      http.post(`${BASE_URL}/deployments/:id/rollback`, ({ params }) => {
        rolledBackTo = String(params.id);
        return HttpResponse.json(
          deployment({
            id: 4,
            kind: 'rollback',
            version: '1.0.0',
            status: 'queued',
          }),
          { status: 201 },
        );
      }),
      http.get(`${BASE_URL}/deployments/4`, () =>
        HttpResponse.json(
          deployment({ id: 4, kind: 'rollback', version: '1.0.0' }),
        ),
      ),
      http.get(`${BASE_URL}/deployments/4/logs`, () =>
        HttpResponse.json({ finished: true, lines: [] }),
      ),
    );
    await renderInTestApp(
      <Providers>
        <EntityDeployCard />
      </Providers>,
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Roll back staging' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByRole('button', { name: /Restore version/ }),
    ).toHaveTextContent('1.0.0');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Roll back' }),
    );
    await waitFor(() => expect(rolledBackTo).toBe('1'));
    await waitFor(() =>
      expect(
        within(dialog).getByLabelText('Deployment status'),
      ).toHaveTextContent('succeeded'),
    );
  });

  it('lets another owner approve, but not the requester', async () => {
    const awaiting = deployment({
      id: 5,
      environment: 'production',
      status: 'awaiting_approval',
      requestedBy: 'user:default/alice',
    });
    const state = environments();
    state.environments[1] = {
      ...state.environments[1],
      active: awaiting,
      latest: awaiting,
    };
    server.use(
      http.get(`${ENTITY_PATH}/environments`, () => HttpResponse.json(state)),
    );
    await renderInTestApp(
      <Providers userEntityRef="user:default/alice">
        <EntityDeployCard />
      </Providers>,
    );
    expect(
      await screen.findByRole('button', { name: 'Approve deployment #5' }),
    ).toBeDisabled();
    expect(
      screen.getByRole('button', { name: 'Deploy to production' }),
    ).toBeDisabled();
    expect(
      screen.getByRole('button', { name: 'Cancel deployment #5' }),
    ).toBeEnabled();
  });
});
