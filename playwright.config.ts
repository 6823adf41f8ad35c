import { defineConfig } from '@playwright/test';
import { resolve } from 'node:path';
import { E2E_COST_AS_OF } from './packages/app/e2e-tests/exampleBill';

/**
 * Browser tests run in Chromium (the system's, /usr/bin/chromium by default)
 * against a portal started for the run with a throwaway database
 * (app-config.e2e.yaml), so they never touch the data of `./scripts/start`,
 * and an example bill made for a fixed day that the portal reads cost as of
 * (packages/app/e2e-tests/exampleBill.ts), so no test depends on the calendar.
 * The web server waits for the app on :3000; globalSetup then waits for the
 * backend's readiness on :7007 and for the example catalog.
 */
const chromium = process.env.OWNOPS_CHROMIUM ?? '/usr/bin/chromium';
const config = (file: string) => `--config ${resolve(__dirname, file)}`;

export default defineConfig({
  timeout: 120_000,
  expect: { timeout: 30_000 },
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: 'e2e-test-report' }],
  ],
  globalSetup: require.resolve('./scripts/e2e/globalSetup'),
  globalTeardown: require.resolve('./scripts/e2e/globalTeardown'),
  webServer: [
    {
      command: [
        'rm -rf .ownops/e2e',
        'mkdir -p .ownops/e2e/data',
        `node examples/cost/generate.mjs --today ${E2E_COST_AS_OF} --out .ownops/e2e/cost`,
        `yarn start ${config('app-config.yaml')} ${config(
          'app-config.e2e.yaml',
        )}`,
      ].join(' && '),
      env: { OWNOPS_E2E_COST_AS_OF: E2E_COST_AS_OF },
      url: 'http://localhost:3000',
      reuseExistingServer: false,
      timeout: 240_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
  use: {
    baseURL: 'http://localhost:3000',
    actionTimeout: 30_000,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  outputDir: 'node_modules/.cache/e2e-test-results',
  // One project, written out rather than generateProjects() from
  // @backstage/e2e-test-utils, so it can use the system's Chromium.
  projects: [
    {
      name: 'chromium',
      testDir: 'packages',
      testMatch: '*/e2e-tests/**/*.test.ts',
      use: { browserName: 'chromium' },
    },
  ],
});
