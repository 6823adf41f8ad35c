import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  CostProviders,
  MockOwnopsApi,
  mockOwnopsApi,
} from '../cost/__testUtils__/costFixtures';
import { FinancePage } from './FinancePage';

async function renderPage(api: MockOwnopsApi) {
  await renderInTestApp(
    <CostProviders api={api}>
      <FinancePage />
    </CostProviders>,
    {
      routeEntries: ['/ownops/finance'],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
  return screen.findByTestId('ownops-finance-table');
}

/** The texts of the first cell of each body row of a core-components Table. */
function firstColumn(table: HTMLElement): string[] {
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map(row => within(row).getAllByRole('cell')[0]?.textContent ?? '');
}

// Whole-repo runs share two cores, and these tests type into forms and
// render charts and tables.
jest.setTimeout(30_000);
describe('FinancePage', () => {
  it('groups by owner with links to the Cost tab, changes and budgets', async () => {
    const api = mockOwnopsApi();
    const table = await renderPage(api);
    expect(api.getCostBreakdown).toHaveBeenCalledWith({ groupBy: 'owner' });
    expect(screen.getByTestId('ownops-finance-page')).toBeInTheDocument();

    const checkout = within(table).getByRole('link', { name: 'Team Checkout' });
    expect(checkout).toHaveAttribute(
      'href',
      '/catalog/default/group/team-checkout/cost',
    );
    expect(firstColumn(table)).toEqual([
      'Team Checkout',
      'Team Payments',
      'Unallocated (no owner tags)',
    ]);
    const checkoutRow = checkout.closest('tr')!;
    expect(checkoutRow).toHaveTextContent('USD 5,000.12');
    expect(checkoutRow).toHaveTextContent('USD 5,210.00');
    expect(checkoutRow).toHaveTextContent('USD 4,000.00');
    expect(within(checkoutRow).getByText('+25.0%')).toHaveAttribute(
      'data-change',
      'up',
    );
    expect(checkoutRow).toHaveTextContent('USD 6,000.00');
    expect(checkoutRow).toHaveTextContent('83.3%');
    const paymentsRow = within(table)
      .getByRole('link', { name: 'Team Payments' })
      .closest('tr')!;
    expect(within(paymentsRow).getByText('-24.9%')).toHaveAttribute(
      'data-change',
      'down',
    );
    expect(paymentsRow).toHaveTextContent('150.1%');
    expect(within(table).getByText('new')).toHaveAttribute(
      'data-change',
      'new',
    );

    expect(screen.getByTestId('ownops-finance-totals')).toHaveTextContent(
      'USD 5,850.61billed USD 6,109.99 · unallocated USD 99.99',
    );
    const chart = screen.getByTestId('ownops-finance-chart');
    expect(within(chart).getByText('Team Checkout')).toBeInTheDocument();
    expect(within(chart).getByText('Team Payments')).toBeInTheDocument();
  });

  it('sorts the table by a money column, exactly', async () => {
    const api = mockOwnopsApi();
    const table = await renderPage(api);
    await userEvent.click(within(table).getByText('Effective cost'));
    await waitFor(() =>
      expect(firstColumn(table)).toEqual([
        'Unallocated (no owner tags)',
        'Team Payments',
        'Team Checkout',
      ]),
    );
    await userEvent.click(within(table).getByText('Effective cost'));
    await waitFor(() =>
      expect(firstColumn(table)).toEqual([
        'Team Checkout',
        'Team Payments',
        'Unallocated (no owner tags)',
      ]),
    );
  });

  it('groups by cost center and filters by one', async () => {
    const api = mockOwnopsApi();
    await renderPage(api);
    await userEvent.selectOptions(
      screen.getByTestId('ownops-finance-group-by'),
      'costCenter',
    );
    await waitFor(() =>
      expect(firstColumn(screen.getByTestId('ownops-finance-table'))).toEqual([
        'cc-1001owners',
        'cc-2002owners',
      ]),
    );
    expect(api.getCostBreakdown).toHaveBeenLastCalledWith({
      groupBy: 'costCenter',
    });

    const filter = screen.getByTestId('ownops-finance-cost-center-filter');
    expect(
      within(filter)
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual(['All cost centers', 'cc-1001', 'cc-2002']);
    await userEvent.selectOptions(filter, 'cc-2002');
    await waitFor(() =>
      expect(api.getCostBreakdown).toHaveBeenLastCalledWith({
        groupBy: 'costCenter',
        costCenter: 'cc-2002',
      }),
    );
    await waitFor(() =>
      expect(firstColumn(screen.getByTestId('ownops-finance-table'))).toEqual([
        'cc-2002owners',
      ]),
    );

    // Drill down: the owners of cc-2002.
    await userEvent.click(
      screen.getByRole('button', { name: 'Show the owners of cc-2002' }),
    );
    await waitFor(() =>
      expect(api.getCostBreakdown).toHaveBeenLastCalledWith({
        groupBy: 'owner',
        costCenter: 'cc-2002',
      }),
    );
  });

  it('filters by owner', async () => {
    const api = mockOwnopsApi();
    await renderPage(api);
    await userEvent.type(
      screen.getByTestId('ownops-finance-owner-filter'),
      'team-checkout{Enter}',
    );
    await waitFor(() =>
      expect(api.getCostBreakdown).toHaveBeenLastCalledWith({
        groupBy: 'owner',
        owner: 'group:default/team-checkout',
      }),
    );
  });

  it('exports the same query as a CSV file', async () => {
    const api = mockOwnopsApi();
    api.getCostBreakdownCsv.mockResolvedValue(
      'key,currency,effectiveCost\ngroup:default/team-checkout,USD,5000.1234\n',
    );
    const blobs: Blob[] = [];
    const createObjectURL = jest.fn((blob: Blob) => {
      blobs.push(blob);
      return 'blob:ownops-test';
    });
    const revokeObjectURL = jest.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const downloads: string[] = [];
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function record(this: HTMLAnchorElement) {
        downloads.push(`${this.download} ${this.href}`);
      });
    try {
      await renderPage(api);
      fireEvent.change(screen.getByTestId('ownops-finance-from'), {
        target: { value: '2026-11-01' },
      });
      await waitFor(() =>
        expect(api.getCostBreakdown).toHaveBeenLastCalledWith({
          groupBy: 'owner',
          from: '2026-11-01',
          to: '2026-11-21',
        }),
      );
      fireEvent.change(screen.getByTestId('ownops-finance-to'), {
        target: { value: '2026-11-15' },
      });
      await waitFor(() =>
        expect(api.getCostBreakdown).toHaveBeenLastCalledWith({
          groupBy: 'owner',
          from: '2026-11-01',
          to: '2026-11-16',
        }),
      );
      expect(screen.getByTestId('ownops-finance-range')).toHaveValue('custom');

      await userEvent.click(screen.getByTestId('ownops-finance-export'));
      await waitFor(() => expect(downloads).toHaveLength(1));
      expect(api.getCostBreakdownCsv).toHaveBeenCalledWith({
        groupBy: 'owner',
        from: '2026-11-01',
        to: '2026-11-16',
      });
      expect(downloads[0]).toBe(
        'ownops-cost-owner-2026-11-01-2026-11-16.csv blob:ownops-test',
      );
      expect(blobs[0].type).toBe('text/csv;charset=utf-8');
      expect(blobs[0].size).toBe(
        'key,currency,effectiveCost\ngroup:default/team-checkout,USD,5000.1234\n'
          .length,
      );
    } finally {
      click.mockRestore();
    }
  });

  it('lists the budgets and the unallocated spend', async () => {
    const api = mockOwnopsApi();
    await renderPage(api);
    const budgets = screen.getByTestId('ownops-finance-budgets');
    const payments = await within(budgets).findByRole('link', {
      name: 'Team Payments',
    });
    expect(payments).toHaveAttribute(
      'href',
      '/catalog/default/group/team-payments/cost',
    );
    const paymentsRow = payments.closest('tr')!;
    expect(paymentsRow).toHaveTextContent('USD 500.00');
    expect(paymentsRow).toHaveTextContent('USD 612.40');
    expect(paymentsRow).toHaveTextContent('USD 900.00');
    expect(paymentsRow).toHaveTextContent('122.5%');
    expect(paymentsRow).toHaveTextContent('over budget');
    expect(paymentsRow).toHaveTextContent('annotation');
    expect(
      within(budgets).getByRole('link', { name: 'Checkout Service' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout-service/cost',
    );
    // Over budget first.
    expect(firstColumn(budgets)).toEqual(['Team Payments', 'Checkout Service']);

    const unallocated = screen.getByTestId('ownops-finance-unallocated');
    expect(
      await within(unallocated).findByText('arn:aws:s3:::orphan-logs'),
    ).toBeInTheDocument();
    expect(
      within(unallocated).getByTestId('ownops-finance-unallocated-totals'),
    ).toHaveTextContent('USD 99.991.7% of all USD spend');
    expect(within(unallocated).getByText('no owner tags')).toBeInTheDocument();
    expect(
      within(unallocated).getByText('entity tag names no catalog entity'),
    ).toBeInTheDocument();
    expect(api.getUnallocatedCost).toHaveBeenCalledWith({});
  });

  it('shows the ingestion status and starts an ingestion', async () => {
    const api = mockOwnopsApi();
    api.startCostIngestion.mockResolvedValue({
      runs: [
        {
          id: 8,
          source: 'focus-files',
          trigger: 'manual',
          requestedBy: 'user:default/finance-lead',
          status: 'running',
          startedAt: '2026-11-21T09:00:00.000Z',
          rowsRead: 0,
          rowsRejected: 0,
          billingPeriods: [],
          unallocatedShare: [],
        },
      ],
    });
    await renderPage(api);
    const ingestion = screen.getByTestId('ownops-finance-ingestion');
    expect(
      await within(ingestion).findByText(
        'november.csv line 17 column 4: BilledCost is not a number',
      ),
    ).toBeInTheDocument();
    const row = within(ingestion).getByText('focus-files').closest('tr')!;
    expect(row).toHaveTextContent('failed');
    expect(row).toHaveTextContent('1,200');
    expect(row).toHaveTextContent('2026-11');
    expect(row).toHaveTextContent('2026-11-21 02:00:04 UTC');
    expect(row).toHaveTextContent('1.7% USD');

    const button = within(ingestion).getByRole('button', {
      name: 'Ingest now',
    });
    await waitFor(() => expect(button).toBeEnabled());
    await userEvent.click(button);
    expect(
      await within(ingestion).findByTestId('ownops-finance-ingest-result'),
    ).toHaveTextContent('Started 1 run: focus-files (#8, running)');
    expect(api.startCostIngestion).toHaveBeenCalledTimes(1);
    await waitFor(() =>
      expect(api.getCostIngestionStatus).toHaveBeenCalledTimes(2),
    );
  });

  it('warns, naming where it looked, when a source found no billing rows, and says which found nothing new', async () => {
    const api = mockOwnopsApi();
    api.getCostIngestionStatus.mockResolvedValue({
      sources: [
        {
          id: 'aws-focus',
          location: 'folder /var/billing/focus',
          lastRun: {
            id: 3,
            source: 'aws-focus',
            trigger: 'schedule',
            status: 'succeeded',
            startedAt: '2026-11-21T02:00:00.000Z',
            finishedAt: '2026-11-21T02:00:01.000Z',
            rowsRead: 0,
            rowsRejected: 0,
            billingPeriods: [],
            unallocatedShare: [],
          },
          warning:
            'The last run of aws-focus found no billing rows in folder /var/billing/focus',
        },
        {
          id: 'azure-focus',
          location: 'https://bills.blob.core.windows.net/focus',
          lastRun: {
            id: 4,
            source: 'azure-focus',
            trigger: 'schedule',
            status: 'succeeded',
            startedAt: '2026-11-21T02:00:02.000Z',
            finishedAt: '2026-11-21T02:00:03.000Z',
            rowsRead: 0,
            rowsRejected: 0,
            unchangedDeliveries: 2,
            billingPeriods: [],
            unallocatedShare: [],
          },
        },
      ],
    });
    await renderPage(api);
    const ingestion = screen.getByTestId('ownops-finance-ingestion');
    expect(
      await within(ingestion).findByTestId('ownops-finance-ingest-warning'),
    ).toHaveTextContent(
      'The last run of aws-focus found no billing rows in folder /var/billing/focus',
    );
    const row = within(ingestion).getByText('aws-focus').closest('tr')!;
    expect(row).toHaveTextContent('folder /var/billing/focus');
    expect(row).toHaveTextContent('succeeded');
    // Nothing changed there since the last run: no warning, and it says so.
    expect(
      within(ingestion).getAllByTestId('ownops-finance-ingest-warning'),
    ).toHaveLength(1);
    const unchanged = within(ingestion).getByText('azure-focus').closest('tr')!;
    expect(unchanged).toHaveTextContent(
      '2 unchanged deliveries not read again',
    );
  });

  it('explains a 403 from the backend instead of failing', async () => {
    const api = mockOwnopsApi();
    api.getCostBreakdown.mockRejectedValue(
      Object.assign(new Error('Request failed with 403 Forbidden'), {
        statusCode: 403,
        body: { error: { name: 'NotAllowedError', message: 'Unauthorized' } },
      }),
    );
    await renderInTestApp(
      <CostProviders api={api}>
        <FinancePage />
      </CostProviders>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(
      await screen.findByTestId('ownops-finance-forbidden'),
    ).toHaveTextContent(
      "Only finance (ownops.cost.readAll) can see the organisation's cost; your own services' cost is on their Cost tab",
    );
  });
});
