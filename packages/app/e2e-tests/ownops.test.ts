import { expect, Page, test } from '@playwright/test';
import { signIn } from './signIn';

// The guest user is a member of team-checkout (examples/org.yaml): it owns
// checkout-service but not payments-api.

async function deploy(
  page: Page,
  environment: string,
  version: string,
  { service = 'checkout-service', outcome = 'succeeded' } = {},
) {
  await page.getByRole('button', { name: `Deploy to ${environment}` }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('heading')).toHaveText(
    `Deploy ${service} to ${environment}`,
  );
  await dialog.getByRole('button', { name: /Version/ }).click();
  await page
    .getByRole('option', {
      name: new RegExp(`^${version.replace(/\./g, '\\.')} `),
    })
    .click();
  await dialog.getByLabel('Reason').fill(`e2e: deploy ${version}`);
  await dialog.getByRole('button', { name: 'Deploy', exact: true }).click();
  await expect(dialog.getByLabel('Deployment status')).toHaveText(outcome, {
    timeout: 60_000,
  });
  await expect(
    dialog.getByRole('log', { name: 'Deployment logs' }),
  ).toContainText(`Started ${service} ${version}`);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
}

test('an owner deploys two versions and rolls back to the first', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/catalog/default/component/checkout-service');
  const current = page.getByTestId('current-version-staging');
  await expect(current).toHaveText('never deployed');

  await deploy(page, 'staging', '1.1.0');
  await expect(current).toHaveText('1.1.0');

  await deploy(page, 'staging', '1.2.0');
  await expect(current).toHaveText('1.2.0');

  await page.getByRole('button', { name: 'Roll back staging' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('heading')).toHaveText(
    'Roll back checkout-service in staging',
  );
  await expect(
    dialog.getByRole('button', { name: /Restore version/ }),
  ).toContainText('1.1.0');
  await dialog.getByRole('button', { name: 'Roll back', exact: true }).click();
  await expect(dialog.getByLabel('Deployment status')).toHaveText('succeeded', {
    timeout: 60_000,
  });
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(current).toHaveText('1.1.0');

  await page.goto('/catalog/default/component/checkout-service/deployments');
  const history = page.getByRole('table').filter({ hasText: 'Requested by' });
  await expect(history).toContainText('rollback of #');
  await expect(page.getByLabel('Change failure rate').first()).toHaveText('0%');
});

test('a version that fails its health check is rolled back automatically', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/catalog/default/component/cart-service');
  const current = page.getByTestId('current-version-staging');
  const service = 'cart-service';

  await deploy(page, 'staging', '1.1.0', { service });
  await expect(current).toHaveText('1.1.0');

  await deploy(page, 'staging', '1.1.1-broken', { service, outcome: 'failed' });
  // Ownops restores the last good version on its own.
  await expect(page.getByText('rollback to 1.1.0 (#').first()).toBeVisible({
    timeout: 60_000,
  });
  await expect(current).toHaveText('1.1.0');

  await page.goto('/catalog/default/component/cart-service/deployments');
  const history = page.getByRole('table').filter({ hasText: 'Requested by' });
  await expect(history).toContainText(
    'health check of http://localhost:7103/health failed',
  );
  await expect(history).toContainText('ownops:system');
});

test('production waits for approval by someone other than the requester', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/catalog/default/component/checkout-service');
  await page.getByRole('button', { name: 'Deploy to production' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(
    'Production is protected: this deployment waits for approval by someone other than you.',
  );
  await dialog.getByRole('button', { name: 'Deploy', exact: true }).click();
  await expect(dialog.getByLabel('Deployment status')).toHaveText(
    'awaiting approval',
  );
  await dialog.getByRole('button', { name: 'Close' }).click();

  const approve = page.getByRole('button', { name: /^Approve deployment #/ });
  await expect(approve).toBeDisabled();
  await expect(
    page.getByRole('button', { name: 'Deploy to production' }),
  ).toBeDisabled();
  await page.getByRole('button', { name: /^Cancel deployment #/ }).click();
  await expect(
    page.getByRole('button', { name: 'Deploy to production' }),
  ).toBeEnabled();
});

test('someone outside the owning team sees the buttons disabled, with the reason', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/catalog/default/component/payments-api');
  const deployButton = page.getByRole('button', { name: 'Deploy to staging' });
  await expect(deployButton).toBeDisabled();
  await expect(
    page.getByRole('button', { name: 'Roll back staging' }),
  ).toBeDisabled();
  await expect(
    page
      .getByText(
        'Only the owners of payments-api can deploy (owner: group:default/team-payments)',
      )
      .first(),
  ).toBeVisible();
});

test('an entity without Ownops annotations says which to add', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/catalog/default/component/shop-website');
  await expect(page.getByText('ownops.io/environments').first()).toBeVisible();
});
