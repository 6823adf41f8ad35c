import { expect, Page, test } from '@playwright/test';
import { signIn } from './signIn';

// The guest user is a member of team-checkout (cost center cc-1001 in
// examples/org.yaml), so it may create services that team owns.

async function fillServiceStep(page: Page, name: string) {
  await page.goto('/create/templates/default/ownops-service');
  await expect(
    page.getByRole('heading', { name: 'Service with owner tags' }),
  ).toBeVisible();
  await page.getByLabel('Name', { exact: false }).first().fill(name);
  await page
    .getByLabel('Description', { exact: false })
    .first()
    .fill('Created by the browser test');
  const owner = page.getByLabel('Owner', { exact: false }).first();
  await owner.click();
  await owner.fill('Checkout');
  await page
    .getByRole('option', { name: /Team Checkout/ })
    .first()
    .click();
}

test('a developer creates a service from the template and deploys it from its page', async ({
  page,
}) => {
  await signIn(page);
  await fillServiceStep(page, 'orders');
  await page.getByRole('button', { name: 'Next' }).click();

  // The owner tags every resource will carry, before anything runs.
  const preview = page.getByTestId('ownops-owner-tags-field');
  await expect(preview).toContainText('cc-1001');
  await expect(preview).toContainText('component.default.orders');
  await expect(preview).toContainText('group.default.team-checkout');
  await page.getByLabel('Monthly budget', { exact: false }).fill('1500');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  const open = page.getByRole('link', { name: 'Open in catalog' });
  await expect(open).toBeVisible({ timeout: 90_000 });
  await open.click();
  await expect(page).toHaveURL(/\/catalog\/default\/component\/orders/);

  await expect(page.getByText('Owner tags and budget')).toBeVisible();
  await expect(page.getByTestId('ownops-cost-center')).toHaveText('cc-1001');
  await expect(page.getByTestId('owner-tag-cost-center-production')).toHaveText(
    'cc-1001',
  );
  await expect(
    page.getByTestId('owner-tag-backstage-entity-staging'),
  ).toHaveText('component.default.orders');
  await expect(page.getByTestId('ownops-budget-amount')).toHaveText(
    'USD 1,500.00',
  );
  // Deployable from its page: the example deploy script gives it a port.
  await page.getByRole('button', { name: 'Deploy to staging' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: /Version/ }).click();
  await page.getByRole('option', { name: /^1\.2\.0 / }).click();
  await dialog.getByRole('button', { name: 'Deploy', exact: true }).click();
  await expect(dialog.getByLabel('Deployment status')).toHaveText('succeeded', {
    timeout: 60_000,
  });
  await expect(
    dialog.getByRole('log', { name: 'Deployment logs' }),
  ).toContainText('Assigned port 72');
});

test('the form refuses a name that is a path before anything runs', async ({
  page,
}) => {
  await signIn(page);
  await fillServiceStep(page, '../etc');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText(/must match pattern/i).first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Review' })).toBeHidden();
});

test('the actions refuse an owner the creator does not belong to, and nothing is created', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/create/templates/default/ownops-service');
  await page.getByLabel('Name', { exact: false }).first().fill('refunds');
  await page
    .getByLabel('Description', { exact: false })
    .first()
    .fill('Owned by a team the guest is not in');
  const owner = page.getByLabel('Owner', { exact: false }).first();
  await owner.click();
  await owner.fill('Payments');
  await page
    .getByRole('option', { name: /Team Payments/ })
    .first()
    .click();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('ownops-owner-tags-field')).toContainText(
    'cc-1002',
  );
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  await expect(
    page
      .getByText(
        'owner: user:default/guest is not a member of group:default/team-payments',
      )
      .first(),
  ).toBeVisible({ timeout: 60_000 });

  await page.goto('/catalog/default/component/refunds');
  await expect(page.getByText(/not found/i).first()).toBeVisible();
});
