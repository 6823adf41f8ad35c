/*
 * The Finance page with the large organisation, in real Chromium: the
 * production app bundle (packages/app/dist, built first when missing) served
 * by the benchmark backend, signed in as the guest. Each load measures, in
 * the page's own clock from the start of navigation, when the breakdown
 * table shows its rows and the chart has drawn, and then how long a click on
 * "group by" takes to show the regrouped table. The first load (cold cache)
 * is reported apart from the warm ones. Not a test: nothing is asserted.
 *
 *   yarn bench finance-page [--postgres <url> [--template <seeded database>]]
 *     [--reuse] [--keep-catalog] [--runs 7] [--group-by owner]
 *     [--cpu-profile <file.cpuprofile>: the page's CPU profile of the last load]
 */
import { chromium } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { summarize } from '../org/stats';
import { option, startBenchBackend } from './backend';

const REPO = resolve(__dirname, '../..');
const CHROMIUM = process.env.OWNOPS_CHROMIUM ?? '/usr/bin/chromium';

function ensureAppBuilt() {
  if (existsSync(resolve(REPO, 'packages/app/dist/index.html'))) {
    return;
  }
  console.error('Building the app bundle (yarn workspace app build)…');
  const build = spawnSync('yarn', ['workspace', 'app', 'build'], {
    cwd: REPO,
    stdio: 'inherit',
  });
  if (build.status !== 0) {
    throw new Error('yarn workspace app build failed');
  }
}

/** In-page milliseconds since navigation start when table rows and chart are there. */
function ready(): number | false {
  const table = document.querySelector('[data-testid="ownops-finance-table"]');
  const rows = table ? table.querySelectorAll('tbody tr').length : 0;
  // Not the first svg.recharts-surface: the legend's icons are ones too.
  const bars = document.querySelectorAll(
    '[data-testid="ownops-finance-chart"] .recharts-bar-rectangle',
  ).length;
  return rows > 1 && bars > 0 ? performance.now() : false;
}

async function main() {
  const runs = Number(option('runs') ?? 7);
  const groupBy = option('group-by') ?? 'owner';
  ensureAppBuilt();
  const backend = await startBenchBackend({
    postgres: option('postgres'),
    seed: !process.argv.includes('--no-seed'),
    reuse: process.argv.includes('--reuse'),
    template: option('template'),
    keepCatalog: process.argv.includes('--keep-catalog'),
    serveApp: true,
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = await browser.newPage({
      viewport: { width: 1440, height: 900 },
    });
    page.setDefaultTimeout(120_000);
    page.on('console', message => {
      if (message.type() === 'error') console.error(`[page] ${message.text()}`);
    });
    await page.goto(backend.baseUrl);
    try {
      await page
        .getByRole('button', { name: 'Enter' })
        .click({ timeout: 30_000 });
    } catch (error) {
      await page.screenshot({ path: '/tmp/ownops-finance-page-signin.png' });
      const text = await page.locator('body').innerText();
      console.error(`Sign-in page not shown; it says: ${text.slice(0, 500)}`);
      throw error;
    }
    await page.waitForTimeout(2000);
    await page.screenshot({ path: '/tmp/ownops-finance-page-home.png' });

    const describe = () =>
      page.evaluate(() => {
        const table = document.querySelector(
          '[data-testid="ownops-finance-table"]',
        );
        const chart = document.querySelector(
          '[data-testid="ownops-finance-chart"]',
        );
        return JSON.stringify({
          tableRows: table?.querySelectorAll('tbody tr').length ?? null,
          chart: chart ? chart.innerHTML.slice(0, 600) : null,
          text: document.body.innerText.slice(0, 600),
        });
      });
    const waterfall = () =>
      page.evaluate(() => {
        const nav = performance.getEntriesByType(
          'navigation',
        )[0] as PerformanceNavigationTiming;
        const lines = [
          `document: response end ${nav.responseEnd.toFixed(
            0,
          )} ms, DOMContentLoaded ${nav.domContentLoadedEventEnd.toFixed(
            0,
          )} ms`,
        ];
        for (const entry of performance.getEntriesByType(
          'resource',
        ) as PerformanceResourceTiming[]) {
          const path = new URL(entry.name).pathname;
          if (!path.startsWith('/api/') && !path.endsWith('.js')) continue;
          lines.push(
            `${entry.startTime.toFixed(0).padStart(6)} → ${entry.responseEnd
              .toFixed(0)
              .padStart(6)} ms  ${(entry.encodedBodySize / 1024)
              .toFixed(0)
              .padStart(5)} KiB  ${path}`,
          );
        }
        return lines.join('\n');
      });
    const url = `${backend.baseUrl}/ownops/finance?groupBy=${groupBy}`;
    const loads: number[] = [];
    const regroups: number[] = [];
    const profileFile = option('cpu-profile');
    const cdp = profileFile ? await page.context().newCDPSession(page) : null;
    for (let run = 0; run <= runs; run++) {
      const profiled = cdp && run === runs;
      if (profiled) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
        await cdp.send('Profiler.start');
      }
      await page.goto(url);
      const handle = await page
        .waitForFunction(ready, undefined, { polling: 'raf' })
        .catch(async error => {
          await page.screenshot({ path: '/tmp/ownops-finance-page-load.png' });
          console.error(`Not ready; the page shows: ${await describe()}`);
          throw error;
        });
      loads.push(Number(await handle.jsonValue()));
      if (profiled) {
        const { profile } = await cdp.send('Profiler.stop');
        writeFileSync(profileFile!, JSON.stringify(profile));
        console.error(`CPU profile of the last load written to ${profileFile}`);
      }
      if (run === runs) {
        // The last load's requests, in the page's clock: where the time went.
        console.error(await waterfall());
      }
      console.error(
        `load ${run}: table and chart after ${loads[loads.length - 1].toFixed(
          0,
        )} ms`,
      );
      try {
        const rowsBefore = await page
          .getByTestId('ownops-finance-table')
          .locator('tbody tr')
          .count();
        const clicked = Date.now();
        await page
          .getByTestId('ownops-finance-group-by')
          .selectOption(groupBy === 'costCenter' ? 'owner' : 'costCenter', {
            timeout: 10_000,
          });
        await page.waitForFunction(
          `(before) => {
            const rows = document.querySelectorAll('[data-testid="ownops-finance-table"] tbody tr').length;
            return rows > 1 && rows !== before;
          }`,
          rowsBefore,
          { polling: 'raf' },
        );
        regroups.push(Date.now() - clicked);
      } catch (error) {
        await page.screenshot({ path: '/tmp/ownops-finance-page-regroup.png' });
        console.error(`regroup not measured: ${(error as Error).message}`);
      }
    }
    const [cold, ...warm] = loads;
    const table = (name: string, values: number[]) => {
      const { runs, median, p95, max } = summarize(values);
      return `| ${name} | ${runs} | ${median.toFixed(0)} | ${p95.toFixed(
        0,
      )} | ${max.toFixed(0)} |`;
    };
    console.log('');
    console.log(
      `Finance page, ${backend.components} components, ${
        backend.database
      }, group by ${groupBy}${
        backend.seeded ? '' : ' (EMPTY ownops database)'
      }`,
    );
    console.log('| measure | runs | median ms | p95 ms | max ms |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    console.log(table('first load (cold cache) to table + chart', [cold]));
    console.log(table('warm load to table + chart', warm));
    if (regroups.length > 1) {
      console.log(table('regroup click to new table', regroups.slice(1)));
    }
  } finally {
    await browser.close();
    await backend.stop();
  }
  // The backend's scheduled tasks would keep the process alive.
  process.exit(0);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
