import { expect, test } from '@playwright/test';
import { E2E_BILL_FROM, E2E_COST_AS_OF, E2E_THIS_MONTH } from './exampleBill';
import { signIn } from './signIn';

// The guest user is a member of team-checkout and of finance (examples/org.yaml),
// so it reads all cost. The portal ingests the example bill made for a fixed
// day (exampleBill.ts) a few seconds after start-up and reads
// cost as of that day, so every figure below is the same on any day.
const RANGE = `from=${E2E_BILL_FROM}&to=${E2E_COST_AS_OF}`;
/** checkout-service's month to date, data through the day before E2E_COST_AS_OF. */
const CHECKOUT_MONTH_TO_DATE = '1,907.04';

test('finance filters cost by cost center and drills into a service', async ({
  page,
}) => {
  await signIn(page);
  await page.goto(`/ownops/finance?groupBy=costCenter&${RANGE}`);
  const financePage = page.getByTestId('ownops-finance-page');
  const ingestion = page.getByTestId('ownops-finance-ingestion');
  // The first ingestion may still be running when the page opens.
  await expect(async () => {
    await page.reload();
    await expect(ingestion).toContainText('succeeded', { timeout: 5_000 });
  }).toPass({ timeout: 90_000 });
  await expect(ingestion).toContainText('example-focus');

  const table = page.getByTestId('ownops-finance-table');
  await expect(table).toContainText('cc-1001');
  await expect(table).toContainText('cc-1002');
  await expect(page.getByTestId('ownops-finance-chart')).toBeVisible();
  await expect(page.getByTestId('ownops-finance-unallocated')).toContainText(
    /NAT/i,
  );

  // This month's budgets: checkout-service's launch took it over its budget.
  const budgets = page.getByTestId('ownops-finance-budgets');
  await expect(budgets).toContainText('Budgets, October 2026');
  const checkoutBudget = budgets.getByRole('row', {
    name: /checkout-service/,
  });
  await expect(checkoutBudget).toContainText(CHECKOUT_MONTH_TO_DATE);
  await expect(checkoutBudget).toContainText('over budget');

  // Only Team Checkout's cost center, per service.
  await page
    .getByTestId('ownops-finance-cost-center-filter')
    .selectOption('cc-1001');
  await page.getByTestId('ownops-finance-group-by').selectOption('entity');
  await expect(page).toHaveURL(/costCenter=cc-1001/);
  await expect(table).toContainText('checkout-service');
  await expect(table).toContainText('cart-service');
  await expect(table).not.toContainText('payments-api');
  await expect(financePage.getByTestId('ownops-finance-export')).toBeEnabled();

  await table.getByRole('link', { name: 'checkout-service' }).click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/component\/checkout-service\/cost/,
  );
  const costTab = page.getByTestId('ownops-cost-tab');
  await expect(costTab).toBeVisible();
  await expect(page.getByTestId('ownops-cost-chart')).toBeVisible();
  // The budget comes from the ownops.io/budget annotation (examples/entities.yaml).
  await expect(page.getByTestId('ownops-cost-budget')).toContainText(
    '1,500.00',
  );
  // This month (the month of E2E_COST_AS_OF), with its month to date.
  await expect(costTab).toContainText(E2E_THIS_MONTH);
  await expect(page.getByTestId('ownops-cost-mtd').first()).toContainText(
    CHECKOUT_MONTH_TO_DATE,
  );
  await expect(page.getByTestId('ownops-cost-thresholds')).toContainText(
    /100\s*% reached/,
  );
  await page
    .getByTestId('ownops-cost-environment-filter')
    .selectOption('production');
  await expect(page.getByTestId('ownops-cost-chart')).toBeVisible();
  await expect(costTab).toContainText('USD');
});
