import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { EntitySummary } from '@ownops/backstage-plugin-common';
import { ownopsApiRef } from '../../api';
import { OwnopsSummaryCard } from './OwnopsSummaryCard';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout-service', namespace: 'default' },
  spec: { type: 'service', owner: 'group:default/team-checkout' },
};

const okSummary: EntitySummary = {
  entityRef: 'component:default/checkout-service',
  generatedAt: '2026-11-27T03:00:00.000Z',
  deployments: {
    status: 'ok',
    data: [
      {
        environment: 'production',
        currentVersion: '1.4.2',
        lastDeployment: {
          id: 7,
          version: '1.4.3',
          status: 'failed',
          kind: 'deploy',
          finishedAt: '2026-11-26T12:00:00.000Z',
          requestedBy: 'user:default/alice',
        },
      },
      { environment: 'staging', currentVersion: null },
    ],
  },
  cost: {
    status: 'ok',
    data: {
      month: '2026-11',
      monthToDate: [
        { currency: 'USD', billedCost: '1200.50', effectiveCost: '1100.25' },
      ],
      budgetStatus: {
        budget: {
          entityRef: 'component:default/checkout-service',
          amount: '1500.00',
          currency: 'USD',
          thresholds: [50, 80, 100],
          updatedBy: 'user:default/alice',
          updatedAt: '2026-11-20T10:00:00.000Z',
        },
        budgetSource: 'annotation',
        month: '2026-11',
        monthToDate: '1100.25',
        forecast: '1600.00',
        dataThrough: '2026-11-26',
        percentUsed: 73.4,
        forecastPercent: 106.7,
        thresholdsReached: [50],
        state: 'at-risk',
        otherCurrencies: [],
      },
    },
  },
  oncall: {
    status: 'ok',
    data: {
      provider: 'built-in',
      now: [
        {
          person: { name: 'Alice', userEntityRef: 'user:default/alice' },
          start: '2026-11-23T00:00:00.000Z',
          escalationLevel: 1,
        },
      ],
    },
  },
};

async function renderCard(summary: EntitySummary) {
  const api = { getEntitySummary: jest.fn(async () => summary) };
  await renderInTestApp(
    <TestApiProvider apis={[[ownopsApiRef, api as any]]}>
      <EntityProvider entity={entity}>
        <OwnopsSummaryCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  await screen.findByTestId('ownops-summary-oncall');
  return api;
}

describe('OwnopsSummaryCard', () => {
  it('shows deployments, cost with the budget state and who is on call', async () => {
    const api = await renderCard(okSummary);
    expect(api.getEntitySummary).toHaveBeenCalledWith(
      'component:default/checkout-service',
    );
    expect(screen.getByTestId('ownops-summary-card')).toBeInTheDocument();
    const deployments = screen.getByTestId('ownops-summary-deployments');
    expect(deployments).toHaveTextContent('production');
    expect(deployments).toHaveTextContent('1.4.2');
    expect(deployments).toHaveTextContent('failed');
    expect(deployments).toHaveTextContent('by alice');
    expect(deployments).toHaveTextContent('never deployed');
    const cost = screen.getByTestId('ownops-summary-cost');
    expect(cost).toHaveTextContent('USD 1,100.25');
    expect(cost).toHaveTextContent('Forecast USD 1,600.00 of USD 1,500.00');
    expect(screen.getByTestId('ownops-summary-budget-state')).toHaveTextContent(
      'at risk',
    );
    expect(screen.getByTestId('ownops-summary-oncall')).toHaveTextContent(
      'Alice',
    );
  });

  it('shows a failing section inline and keeps the others', async () => {
    await renderCard({
      ...okSummary,
      cost: {
        status: 'error',
        error:
          'cost failed: You may not read the cost of component:default/checkout-service',
      },
    });
    expect(screen.getByTestId('ownops-summary-cost-error')).toHaveTextContent(
      'cost failed: You may not read the cost',
    );
    expect(screen.getByTestId('ownops-summary-deployments')).toHaveTextContent(
      '1.4.2',
    );
    expect(screen.getByTestId('ownops-summary-oncall')).toHaveTextContent(
      'Alice',
    );
  });

  it('shows a section that timed out', async () => {
    await renderCard({
      ...okSummary,
      oncall: { status: 'timeout', error: 'oncall did not answer in 3000 ms' },
    });
    expect(
      screen.getByTestId('ownops-summary-oncall-timeout'),
    ).toHaveTextContent('Did not answer in time');
    expect(screen.getByTestId('ownops-summary-cost')).toHaveTextContent(
      'USD 1,100.25',
    );
  });
});
