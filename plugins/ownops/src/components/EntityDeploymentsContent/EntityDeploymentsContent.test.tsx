import { registerMswTestHooks, renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  deployment,
  ENTITY_PATH,
  environments,
  Providers,
} from '../../__testUtils__/fixtures';
import { EntityDeploymentsContent } from './EntityDeploymentsContent';

const server = setupServer();
registerMswTestHooks(server);

describe('EntityDeploymentsContent', () => {
  it('shows DORA figures and filters the history', async () => {
    const queries: string[] = [];
    server.use(
      http.get(`${ENTITY_PATH}/environments`, () =>
        HttpResponse.json(environments()),
      ),
      http.get(`${ENTITY_PATH}/deployment-stats`, ({ request }) =>
        HttpResponse.json({
          entityRef: 'component:default/checkout-service',
          windowDays: Number(new URL(request.url).searchParams.get('days')),
          environments: [
            {
              environment: 'staging',
              windowDays: 30,
              deployments: 4,
              succeeded: 3,
              failed: 1,
              deploymentFrequencyPerDay: 0.1,
              changeFailureRate: 0.25,
              meanTimeToRestoreMs: 5_400_000,
            },
          ],
        }),
      ),
      http.get(
        `${ENTITY_PATH}/environments/:environment/external-deployments`,
        () =>
          HttpResponse.json({
            available: false,
            targetId: 'local',
            targetType: 'command',
            deployments: [],
          }),
      ),
      http.get(`${ENTITY_PATH}/deployments`, ({ request }) => {
        const url = new URL(request.url);
        queries.push(url.search);
        const items =
          url.searchParams.get('status') === 'failed'
            ? [deployment({ id: 3, status: 'failed', failureReason: 'boom' })]
            : [
                deployment({
                  id: 4,
                  kind: 'rollback',
                  rollbackOf: 3,
                  version: '1.0.0',
                }),
                deployment({ id: 3, status: 'failed', failureReason: 'boom' }),
              ];
        return HttpResponse.json({ items });
      }),
    );
    await renderInTestApp(
      <Providers>
        <EntityDeploymentsContent />
      </Providers>,
    );

    const staging = await screen.findByRole('region', {
      name: 'Figures for staging',
    });
    expect(
      within(staging).getByLabelText('Deployment frequency'),
    ).toHaveTextContent('0.7 per week');
    expect(
      within(staging).getByLabelText('Change failure rate'),
    ).toHaveTextContent('25%');
    expect(within(staging).getByLabelText('Time to restore')).toHaveTextContent(
      '1 hour 30 minutes',
    );

    expect(await screen.findByText('rollback of #3')).toBeInTheDocument();
    expect(screen.getByText('boom')).toBeInTheDocument();

    const statusFilter = screen
      .getAllByRole('button', { name: /^Status/ })
      .find(button => button.getAttribute('aria-haspopup') === 'listbox')!;
    await userEvent.click(statusFilter);
    await userEvent.click(
      await screen.findByRole('option', { name: 'failed' }),
    );
    expect(await screen.findByText('boom')).toBeInTheDocument();
    expect(screen.queryByText('rollback of #3')).not.toBeInTheDocument();
    expect(queries).toContain('?status=failed&limit=25');
    expect(
      screen.queryByText('Recorded by the deploy targets'),
    ).not.toBeInTheDocument();
  });

  it("shows what each environment's target records itself, and a target that failed to answer", async () => {
    server.use(
      http.get(`${ENTITY_PATH}/environments`, () =>
        HttpResponse.json(environments()),
      ),
      http.get(`${ENTITY_PATH}/deployment-stats`, () =>
        HttpResponse.json({
          entityRef: 'component:default/checkout-service',
          windowDays: 30,
          environments: [],
        }),
      ),
      http.get(`${ENTITY_PATH}/deployments`, () =>
        HttpResponse.json({ items: [] }),
      ),
      http.get(
        `${ENTITY_PATH}/environments/:environment/external-deployments`,
        ({ params }) =>
          params.environment === 'staging'
            ? HttpResponse.json({
                available: true,
                targetId: 'argocd-prod',
                targetType: 'argocd',
                deployments: [
                  {
                    id: '12',
                    version: '8f2c1e9',
                    status: 'succeeded',
                    startedAt: '2026-11-20T10:00:00Z',
                    initiatedBy: 'automated',
                    url: 'https://argocd.example.com/applications/argocd/checkout-staging',
                  },
                ],
              })
            : HttpResponse.json(
                {
                  error: {
                    name: 'Error',
                    message:
                      'Argo CD did not answer GET https://argocd.example.com/api/v1/applications/checkout within 10 s',
                  },
                },
                { status: 500 },
              ),
      ),
    );
    await renderInTestApp(
      <Providers>
        <EntityDeploymentsContent />
      </Providers>,
    );
    const staging = await screen.findByRole('region', {
      name: 'Target history for staging',
    });
    expect(
      within(staging).getByText('staging · argocd-prod (argocd)'),
    ).toBeInTheDocument();
    expect(within(staging).getByText('8f2c1e9')).toBeInTheDocument();
    expect(within(staging).getByText('automated')).toBeInTheDocument();
    expect(
      within(staging).getByRole('link', { name: /^Open/ }),
    ).toHaveAttribute(
      'href',
      'https://argocd.example.com/applications/argocd/checkout-staging',
    );
    const production = screen.getByRole('region', {
      name: 'Target history for production',
    });
    expect(production).toHaveTextContent(
      /production: could not read the target's history: .*did not answer/,
    );
  });
});
