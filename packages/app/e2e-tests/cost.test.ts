import { expect, test } from '@playwright/test';
import { signIn } from './signIn';

// The guest user is a member of team-checkout and of finance (examples/org.yaml),
// so it reads all cost. The portal ingests examples/cost/data (September to
// November 2026) a few seconds after start-up; the range below is fixed so the
// figures do not depend on today's date.
const RANGE = 'from=2026-09-01&to=2026-12-01';

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
  await page
    .getByTestId('ownops-cost-environment-filter')
    .selectOption('production');
  await expect(page.getByTestId('ownops-cost-chart')).toBeVisible();
  await expect(costTab).toContainText('USD');
});
