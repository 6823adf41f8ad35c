import { renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import {
  checkoutService,
  CostProviders,
  entityCost,
  mockOwnopsApi,
} from '../cost/__testUtils__/costFixtures';
import { EntityCostContent } from './EntityCostContent';

// In its own file: usePermission caches decisions per module instance.
describe('EntityCostContent without ownops.budget.update', () => {
  it('shows the cost but disables Set budget with the reason', async () => {
    const api = mockOwnopsApi();
    api.getEntityCost.mockResolvedValue(entityCost());
    await renderInTestApp(
      <CostProviders
        api={api}
        entity={checkoutService}
        deny={['ownops.budget.update']}
      >
        <EntityCostContent />
      </CostProviders>,
    );
    expect(await screen.findByTestId('ownops-cost-mtd')).toHaveTextContent(
      'USD 277.50',
    );
    const button = screen.getByRole('button', { name: 'Set budget' });
    await waitFor(() =>
      expect(
        screen.getByText(
          'Only the owners of checkout-service and finance can change its budget (ownops.budget.update).',
        ),
      ).toBeInTheDocument(),
    );
    expect(button).toBeDisabled();
  });
});
