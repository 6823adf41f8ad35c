import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { GroupSummary } from '@ownops/backstage-plugin-common';
import { ownopsApiRef } from '../../api';
import { GroupSummaryCard } from './GroupSummaryCard';

const group: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team-checkout', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

const okSummary: GroupSummary = {
  groupRef: 'group:default/team-checkout',
  generatedAt: '2026-11-27T03:00:00.000Z',
  entities: 2,
  services: [
    { entityRef: 'component:default/checkout-service', title: 'Checkout' },
    { entityRef: 'component:default/cart-service' },
  ],
  deployments: {
    status: 'ok',
    data: {
      since: '2026-11-20T03:00:00.000Z',
      deploymentsThisWeek: 5,
      failedDeploymentsThisWeek: 1,
      perService: [
        {
          entityRef: 'component:default/checkout-service',
          deployments: 4,
          failed: 1,
        },
      ],
    },
  },
  cost: {
    status: 'ok',
    data: {
      month: '2026-11',
      currencies: [
        {
          currency: 'USD',
          monthToDate: '2000.00',
          groupBudget: '3000.00',
          componentBudgets: '1500.00',
          componentsMonthToDate: '1100.25',
          componentsWithBudget: 1,
        },
        { currency: 'EUR', monthToDate: '10.50', componentsWithBudget: 0 },
      ],
      groupBudgetStatus: null,
      componentsUnreadable: [],
    },
  },
  oncall: {
    status: 'ok',
    data: {
      provider: 'built-in',
      now: [
        {
          person: { name: 'Guest' },
          start: '2026-11-23T00:00:00.000Z',
          escalationLevel: 1,
        },
      ],
    },
  },
};

async function renderCard(summary: GroupSummary) {
  const api = { getGroupSummary: jest.fn(async () => summary) };
  await renderInTestApp(
    <TestApiProvider apis={[[ownopsApiRef, api as any]]}>
      <EntityProvider entity={group}>
        <GroupSummaryCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  await screen.findByTestId('ownops-group-summary-oncall');
  return api;
}

describe('GroupSummaryCard', () => {
  it('shows deploys, cost per currency, on call and the services', async () => {
    const api = await renderCard(okSummary);
    expect(api.getGroupSummary).toHaveBeenCalledWith(
      'group:default/team-checkout',
    );
    expect(screen.getByTestId('ownops-group-summary-card')).toBeInTheDocument();
    const deploys = screen.getByTestId('ownops-group-summary-deploys');
    expect(deploys).toHaveTextContent('Deploys this week: 5');
    expect(deploys).toHaveTextContent('Failed: 1');
    const cost = screen.getByTestId('ownops-group-summary-cost');
    expect(cost).toHaveTextContent('USD 2,000.00 this month of USD 3,000.00');
    expect(cost).toHaveTextContent('EUR 10.50');
    expect(screen.getByTestId('ownops-group-summary-oncall')).toHaveTextContent(
      'Guest',
    );
    const services = screen.getByTestId('ownops-group-summary-services');
    const link = within(services).getByRole('link', { name: 'Checkout' });
    expect(link).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout-service',
    );
    expect(
      within(services).getByRole('link', { name: /cart-service/ }),
    ).toBeInTheDocument();
  });

  it('shows a failing section inline and keeps the others', async () => {
    await renderCard({
      ...okSummary,
      deployments: { status: 'error', error: 'deployments failed: boom' },
    });
    expect(
      screen.getByTestId('ownops-group-summary-deploys-error'),
    ).toHaveTextContent('deployments failed: boom');
    expect(screen.getByTestId('ownops-group-summary-cost')).toHaveTextContent(
      'USD 2,000.00',
    );
    expect(
      screen.getByTestId('ownops-group-summary-services'),
    ).toHaveTextContent('Checkout');
  });

  it('shows a section that timed out', async () => {
    await renderCard({
      ...okSummary,
      cost: { status: 'timeout', error: 'cost did not answer in 3000 ms' },
    });
    expect(
      screen.getByTestId('ownops-group-summary-cost-timeout'),
    ).toHaveTextContent('Did not answer in time');
    expect(screen.getByTestId('ownops-group-summary-oncall')).toHaveTextContent(
      'Guest',
    );
  });
});
