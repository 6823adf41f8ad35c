import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import {
  CostProviders,
  mockOwnopsApi,
} from '../cost/__testUtils__/costFixtures';
import { FinancePage } from './FinancePage';

// In its own file: usePermission caches decisions per module instance.
describe('FinancePage without ownops.cost.readAll', () => {
  it('explains who may see the organisation cost and asks nothing', async () => {
    const api = mockOwnopsApi();
    await renderInTestApp(
      <CostProviders api={api} deny={['ownops.cost.readAll']}>
        <FinancePage />
      </CostProviders>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(
      await screen.findByTestId('ownops-finance-forbidden'),
    ).toHaveTextContent(
      "Only finance (ownops.cost.readAll) can see the organisation's cost; your own services' cost is on their Cost tab",
    );
    expect(screen.getByTestId('ownops-finance-page')).toBeInTheDocument();
    expect(
      screen.queryByTestId('ownops-finance-table'),
    ).not.toBeInTheDocument();
    expect(api.getCostBreakdown).not.toHaveBeenCalled();
    expect(api.listBudgetStatuses).not.toHaveBeenCalled();
  });
});
