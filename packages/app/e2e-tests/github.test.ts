import { expect, test } from '@playwright/test';
import { signIn } from './signIn';

// inventory-github-e2e (examples/e2e/github-service.yaml) deploys through the
// GitHub module's target github-e2e (app-config.e2e.yaml), which talks to the
// fake GitHub Enterprise Server that globalSetup starts on localhost:7290
// (scripts/e2e/fakeGithub.ts). The guest owns it through team-checkout.
const FAKE_GITHUB = 'http://localhost:7290';
const SERVICE = 'inventory-github-e2e';
const VERSION = 'v2.3.0';

interface FakeGithubState {
  dispatches: Array<{
    workflow: string;
    ref: string;
    inputs: Record<string, unknown>;
    returnRunDetails: boolean;
    runId: number;
  }>;
  unauthorized: number;
}

async function fakeGithubState(): Promise<FakeGithubState> {
  const response = await fetch(`${FAKE_GITHUB}/__test/dispatches`);
  expect(response.status).toBe(200);
  return response.json();
}

test.beforeEach(async () => {
  // A retried test starts from the fake's first state again.
  const response = await fetch(`${FAKE_GITHUB}/__test/reset`, {
    method: 'POST',
  });
  expect(response.status).toBe(204);
});

test('an owner deploys a service with a GitHub Actions workflow', async ({
  page,
}) => {
  await signIn(page);
  await page.goto(`/catalog/default/component/${SERVICE}/deployments`);

  await page.getByRole('button', { name: 'Deploy to staging' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('heading')).toHaveText(
    `Deploy ${SERVICE} to staging`,
  );
  // versions: none, so the version is typed rather than chosen from a list.
  await dialog.getByLabel('Version').fill(VERSION);
  await dialog.getByLabel('Reason').fill(`e2e: deploy ${VERSION} with GitHub`);
  await dialog.getByRole('button', { name: 'Deploy', exact: true }).click();

  const status = dialog.getByLabel('Deployment status');
  const log = dialog.getByRole('log', { name: 'Deployment logs' });
  // Wait for the end either way, so a failure shows the deploy log at once.
  await expect(status).toHaveText(/^(succeeded|failed)$/, { timeout: 60_000 });
  expect((await status.innerText()).trim(), await log.innerText()).toBe(
    'succeeded',
  );

  const { dispatches, unauthorized } = await fakeGithubState();
  expect(unauthorized).toBe(0);
  expect(dispatches).toHaveLength(1);
  const [dispatch] = dispatches;
  expect(dispatch).toMatchObject({
    workflow: 'deploy.yml',
    ref: 'main',
    inputs: { version: VERSION, environment: 'staging' },
    returnRunDetails: true,
  });
  const runUrl = `${FAKE_GITHUB}/acme/inventory/actions/runs/${dispatch.runId}`;

  await expect(log).toContainText(
    `Dispatching deploy.yml in acme/inventory with version ${VERSION} for staging`,
  );
  await expect(log).toContainText(`Dispatched deploy.yml on main: ${runUrl}`);
  // The progress of the run as Ownops followed it.
  await expect(log).toContainText('Workflow run #562 in_progress');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('current-version-staging')).toHaveText(VERSION);

  // The target's own history, read from GitHub's deployments of staging,
  // now has the deployment the workflow recorded next to one made by hand.
  await page.reload();
  const recorded = page
    .getByRole('region', { name: 'Target history for staging' })
    .filter({ hasText: 'github-e2e' });
  await expect(recorded).toContainText('staging · github-e2e');
  const workflowRow = recorded
    .getByRole('row')
    .filter({ hasText: 'github-actions[bot]' });
  await expect(workflowRow).toHaveCount(1);
  await expect(workflowRow).toContainText('succeeded');
  await expect(workflowRow.getByRole('link', { name: 'Open' })).toHaveAttribute(
    'href',
    runUrl,
  );
  const manualRow = recorded.getByRole('row').filter({ hasText: 'octocat' });
  await expect(manualRow).toContainText('v2.2.0');
  await expect(manualRow).toContainText('succeeded');
});
