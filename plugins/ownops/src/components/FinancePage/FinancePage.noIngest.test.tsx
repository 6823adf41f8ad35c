import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import {
  CostProviders,
  mockOwnopsApi,
} from '../cost/__testUtils__/costFixtures';
import { FinancePage } from './FinancePage';

// In its own file: usePermission caches decisions per module instance.
describe('FinancePage without ownops.cost.ingest', () => {
  it('shows the figures but disables Ingest now with the reason', async () => {
    const api = mockOwnopsApi();
    await renderInTestApp(
      <CostProviders api={api} deny={['ownops.cost.ingest']}>
        <FinancePage />
      </CostProviders>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(await screen.findByTestId('ownops-finance-table')).toHaveTextContent(
      'Team Checkout',
    );
    const ingestion = screen.getByTestId('ownops-finance-ingestion');
    await waitFor(() =>
      expect(
        within(ingestion).getByTestId('ownops-finance-ingest-reason'),
      ).toHaveTextContent(
        'Only those allowed to ingest cost (ownops.cost.ingest) can start an ingestion.',
      ),
    );
    expect(
      within(ingestion).getByRole('button', { name: 'Ingest now' }),
    ).toBeDisabled();
    expect(api.startCostIngestion).not.toHaveBeenCalled();
  });
});
