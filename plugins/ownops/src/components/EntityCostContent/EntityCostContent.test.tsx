import { renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EntityCostQuery } from '@ownops/backstage-plugin-common';
import { deployment } from '../../__testUtils__/fixtures';
import {
  budgetStatus,
  CHECKOUT_REF,
  checkoutSeries,
  checkoutService,
  CostProviders,
  entityCost,
  MockOwnopsApi,
  mockOwnopsApi,
  TEAM_REF,
  teamCheckout,
} from '../cost/__testUtils__/costFixtures';
import { EntityCostContent } from './EntityCostContent';

/** The backend's answers: the default range, one environment, the month. */
function answerLikeTheBackend(
  api: MockOwnopsApi,
  overrides: Parameters<typeof entityCost>[0] = {},
) {
  api.getEntityCost.mockImplementation(
    async (entityRef: string, query: EntityCostQuery = {}) => {
      if (query.from === '2026-11-01' && query.to === '2026-12-01') {
        return entityCost({
          entityRef,
          from: '2026-11-01',
          to: '2026-12-01',
          totals: [
            { currency: 'USD', billedCost: '287.5', effectiveCost: '277.5' },
          ],
          ...overrides,
        });
      }
      if (query.environment === 'staging') {
        return entityCost({
          entityRef,
          environment: 'staging',
          series: checkoutSeries(undefined, undefined, 'staging'),
          totals: [
            { currency: 'USD', billedCost: '45.00', effectiveCost: '45.00' },
          ],
          ...overrides,
        });
      }
      return entityCost({
        entityRef,
        ...(query.from ? { from: query.from, to: query.to! } : {}),
        ...overrides,
      });
    },
  );
}

async function renderTab(api: MockOwnopsApi, entity = checkoutService) {
  await renderInTestApp(
    <CostProviders api={api} entity={entity}>
      <EntityCostContent />
    </CostProviders>,
  );
  return screen.findByTestId('ownops-cost-tab');
}

// Whole-repo runs share two cores, and these tests type into forms and
// render charts and tables.
jest.setTimeout(30_000);
describe('EntityCostContent', () => {
  it('shows the totals, this month against the budget and deploy markers', async () => {
    const api = mockOwnopsApi();
    answerLikeTheBackend(api);
    api.listDeployments.mockResolvedValue({
      items: [
        deployment({
          id: 11,
          version: '1.2.0',
          environment: 'production',
          finishedAt: '2026-11-05T10:00:00.000Z',
        }),
        deployment({
          id: 12,
          kind: 'rollback',
          version: '1.1.0',
          environment: 'staging',
          finishedAt: '2026-11-12T10:00:00.000Z',
        }),
        deployment({
          id: 13,
          version: '1.3.0',
          status: 'failed',
          finishedAt: '2026-11-15T10:00:00.000Z',
        }),
        deployment({
          id: 1,
          version: '0.9.0',
          finishedAt: '2026-08-01T10:00:00.000Z',
        }),
      ],
    });
    await renderTab(api);

    const totals = await screen.findByTestId('ownops-cost-totals');
    expect(totals).toHaveTextContent('USD 277.50');
    expect(totals).toHaveTextContent('billed USD 287.50');
    expect(totals).toHaveTextContent('EUR 11.50');
    expect(
      screen.getByText(/22 Oct 2026 – 20 Nov 2026 \(30 days\)/),
    ).toBeInTheDocument();

    expect(screen.getByTestId('ownops-cost-mtd')).toHaveTextContent(
      'USD 277.50',
    );
    expect(screen.getByTestId('ownops-cost-forecast')).toHaveTextContent(
      'USD 416.25',
    );
    expect(screen.getByTestId('ownops-cost-budget')).toHaveTextContent(
      'USD 400.00',
    );
    expect(screen.getByTestId('ownops-cost-percent-used')).toHaveTextContent(
      '69.4%',
    );
    expect(screen.getByTestId('ownops-cost-budget-state')).toHaveTextContent(
      'at risk',
    );
    expect(screen.getByTestId('ownops-cost-thresholds')).toHaveTextContent(
      '50% reached (alerts at 50%, 80%, 100%)',
    );

    const chart = screen.getByTestId('ownops-cost-chart');
    expect(within(chart).getByText('Compute')).toBeInTheDocument();
    expect(within(chart).getByText('Storage')).toBeInTheDocument();
    expect(
      await screen.findByTestId('ownops-cost-deploy-markers'),
    ).toHaveTextContent(
      'Dashed lines: deployments — 1.2.0 on 2026-11-05; rollback to 1.1.0 on 2026-11-12',
    );
    expect(within(chart).getByText('1.2.0')).toBeInTheDocument();
    expect(within(chart).queryByText('1.3.0')).not.toBeInTheDocument();
    expect(api.listDeployments).toHaveBeenCalledWith(CHECKOUT_REF, {
      limit: 100,
    });

    // The month's cumulative chart, over every environment.
    expect(api.getEntityCost).toHaveBeenCalledWith(CHECKOUT_REF, {
      from: '2026-11-01',
      to: '2026-12-01',
    });
    expect(
      await screen.findByTestId('ownops-cost-mtd-chart'),
    ).toHaveTextContent('Budget USD 400.00');

    await userEvent.hover(
      screen.getByRole('button', { name: 'How the forecast is computed' }),
    );
    expect(
      await screen.findByText(
        'Month-to-date plus the average daily cost of the 7 days up to the last day with billing data (never below zero), times the days of the month after it',
      ),
    ).toBeInTheDocument();
  });

  it('asks again for one environment and a preset range', async () => {
    const api = mockOwnopsApi();
    answerLikeTheBackend(api);
    api.listDeployments.mockResolvedValue({
      items: [
        deployment({
          version: '1.2.0',
          environment: 'production',
          finishedAt: '2026-11-05T10:00:00.000Z',
        }),
      ],
    });
    await renderTab(api);
    expect(await screen.findByTestId('ownops-cost-totals')).toHaveTextContent(
      'USD 277.50',
    );
    const filter = screen.getByTestId('ownops-cost-environment-filter');
    expect(
      within(filter)
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual(['All', 'production', 'staging']);

    await userEvent.selectOptions(filter, 'staging');
    await waitFor(() =>
      expect(screen.getByTestId('ownops-cost-totals')).toHaveTextContent(
        'USD 45.00',
      ),
    );
    expect(api.getEntityCost).toHaveBeenCalledWith(CHECKOUT_REF, {
      environment: 'staging',
    });
    // Production's deploy is not a marker of staging's cost.
    expect(
      screen.queryByTestId('ownops-cost-deploy-markers'),
    ).not.toBeInTheDocument();
    expect(screen.getByTestId('ownops-cost-chart')).toHaveTextContent(
      'Compute',
    );
    expect(screen.getByTestId('ownops-cost-chart')).not.toHaveTextContent(
      'Storage',
    );

    await userEvent.selectOptions(
      screen.getByTestId('ownops-cost-range'),
      'last90',
    );
    const tomorrow = new Date(Date.now() + 86_400_000)
      .toISOString()
      .slice(0, 10);
    const ninetyBefore = new Date(Date.now() - 89 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    await waitFor(() =>
      expect(api.getEntityCost).toHaveBeenCalledWith(CHECKOUT_REF, {
        from: ninetyBefore,
        to: tomorrow,
        environment: 'staging',
      }),
    );
  });

  it('names the owner tags and says how to set a budget when there is no cost data', async () => {
    const api = mockOwnopsApi();
    answerLikeTheBackend(api, {
      series: [],
      totals: [],
      environments: [],
      dataRange: null,
      budgetStatus: null,
    });
    await renderTab(api);
    const empty = await screen.findByTestId('ownops-cost-empty');
    expect(empty).toHaveTextContent(
      'backstage-entity names the component (component:default/checkout-service) and owner the owner group',
    );
    expect(empty).toHaveTextContent('finance can run the cost ingestion');
    expect(screen.getByTestId('ownops-cost-budget')).toHaveTextContent(
      'No budget set',
    );
    expect(screen.getByTestId('ownops-cost-no-budget')).toHaveTextContent(
      'Set budget button above, in the "Service with owner tags" template, or with the ownops.io/budget annotation in catalog-info.yaml, e.g. "1500.00 USD | 50,80,100"',
    );
    expect(screen.queryByTestId('ownops-cost-chart')).not.toBeInTheDocument();
  });

  it('validates the budget form and saves the budget', async () => {
    const api = mockOwnopsApi();
    answerLikeTheBackend(api);
    api.setBudget.mockResolvedValue({
      budget: {
        ...budgetStatus().budget,
        amount: '1500.00',
        currency: 'EUR',
        thresholds: [50, 90],
      },
    });
    await renderTab(api);
    const button = await screen.findByRole('button', { name: 'Set budget' });
    await waitFor(() => expect(button).toBeEnabled());
    await userEvent.click(button);

    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByRole('heading', {
        name: 'Monthly budget of checkout-service',
      }),
    ).toBeInTheDocument();
    const amount = within(dialog).getByLabelText(/Amount per month/);
    const currency = within(dialog).getByLabelText(/Currency/);
    const thresholds = within(dialog).getByLabelText(/Alert thresholds/);
    expect(amount).toHaveValue('400.00');
    expect(thresholds).toHaveValue('50, 80, 100');

    await userEvent.clear(amount);
    await userEvent.type(amount, '12.345678');
    await userEvent.clear(currency);
    await userEvent.type(currency, 'US');
    await userEvent.clear(thresholds);
    await userEvent.type(thresholds, '50, 50');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Save budget' }),
    );
    expect(
      within(dialog).getByText(
        'amount must be a non-negative number with at most 12 digits before the point and 4 after, e.g. "1500.00"',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        'currency must be a three-letter ISO 4217 code, e.g. "USD"',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('thresholds must not repeat'),
    ).toBeInTheDocument();
    expect(api.setBudget).not.toHaveBeenCalled();

    await userEvent.clear(amount);
    await userEvent.type(amount, '1500.00');
    await userEvent.clear(currency);
    await userEvent.type(currency, 'eur');
    await userEvent.clear(thresholds);
    await userEvent.type(thresholds, '90, 50');
    const calls = api.getEntityCost.mock.calls.length;
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Save budget' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.setBudget).toHaveBeenCalledWith(CHECKOUT_REF, {
      amount: '1500.00',
      currency: 'EUR',
      thresholds: [50, 90],
    });
    await waitFor(() =>
      expect(api.getEntityCost.mock.calls.length).toBeGreaterThan(calls),
    );
  });

  it('shows the backend refusal of a budget that comes from the annotation', async () => {
    const api = mockOwnopsApi();
    answerLikeTheBackend(api, { budgetStatus: null });
    api.setBudget.mockRejectedValue(
      Object.assign(new Error('Request failed with 409 Conflict'), {
        statusCode: 409,
        body: {
          error: {
            name: 'ConflictError',
            message:
              'component:default/checkout-service has its budget in the ownops.io/budget annotation',
          },
        },
      }),
    );
    await renderTab(api);
    const button = await screen.findByRole('button', { name: 'Set budget' });
    await waitFor(() => expect(button).toBeEnabled());
    await userEvent.click(button);
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByLabelText(/Amount per month/),
      '100',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Save budget' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'change it there',
    );
  });

  it('disables Set budget when the budget comes from the annotation', async () => {
    const api = mockOwnopsApi();
    answerLikeTheBackend(api, {
      budgetStatus: budgetStatus({ budgetSource: 'annotation' }),
    });
    await renderTab(api);
    const button = await screen.findByRole('button', { name: 'Set budget' });
    await waitFor(() =>
      expect(
        screen.getByText(
          'The budget of checkout-service comes from the ownops.io/budget annotation in its catalog-info.yaml; change it there.',
        ),
      ).toBeInTheDocument(),
    );
    expect(button).toBeDisabled();
    expect(screen.getByTestId('ownops-cost-budget')).toHaveTextContent(
      'USD 400.00',
    );
    expect(
      screen.getByText('from the ownops.io/budget annotation'),
    ).toBeInTheDocument();
  });

  it('says who may see the cost when the backend answers 403', async () => {
    const api = mockOwnopsApi();
    api.getEntityCost.mockRejectedValue(
      Object.assign(new Error('Request failed with 403 Forbidden'), {
        statusCode: 403,
        body: { error: { name: 'NotAllowedError', message: 'Unauthorized' } },
      }),
    );
    await renderTab(api);
    expect(
      await screen.findByText('You may not see the cost of checkout-service'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/owners of a component or group \(ownops.cost.read\)/),
    ).toBeInTheDocument();
  });

  it('keeps the filters when a new query fails', async () => {
    const api = mockOwnopsApi();
    answerLikeTheBackend(api);
    await renderTab(api);
    expect(await screen.findByTestId('ownops-cost-totals')).toHaveTextContent(
      'USD 277.50',
    );
    api.getEntityCost.mockRejectedValueOnce(new Error('backend is restarting'));
    await userEvent.selectOptions(
      screen.getByTestId('ownops-cost-environment-filter'),
      'production',
    );
    expect(
      await screen.findAllByText(/backend is restarting/),
    ).not.toHaveLength(0);
    expect(
      screen.getByTestId('ownops-cost-environment-filter'),
    ).toBeInTheDocument();
    await userEvent.selectOptions(
      screen.getByTestId('ownops-cost-environment-filter'),
      'staging',
    );
    await waitFor(() =>
      expect(screen.getByTestId('ownops-cost-totals')).toHaveTextContent(
        'USD 45.00',
      ),
    );
    expect(screen.queryAllByText(/backend is restarting/)).toHaveLength(0);
  });

  it("asks for a group's cost by its ref and draws no deploy markers", async () => {
    const api = mockOwnopsApi();
    answerLikeTheBackend(api);
    await renderTab(api, teamCheckout);
    expect(await screen.findByTestId('ownops-cost-totals')).toHaveTextContent(
      'USD 277.50',
    );
    expect(api.getEntityCost).toHaveBeenCalledWith(TEAM_REF, {});
    expect(api.listDeployments).not.toHaveBeenCalled();
  });
});
