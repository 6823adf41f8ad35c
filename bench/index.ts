/*
 * `yarn bench <name> [options]` runs one benchmark in its own process;
 * `yarn bench` lists them. Benchmarks measure and print; they assert nothing
 * and are not part of the test suite. BENCHMARKS.md has the figures and the
 * command behind each.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const BENCHMARKS: Record<string, { file: string; what: string }> = {
  seed: {
    file: 'org/seed.ts',
    what: 'writes the large organisation (deployments, daily cost) into SQLite and/or PostgreSQL',
  },
  summary: {
    file: 'http/summary-vs-catalog.ts',
    what: "entity summary vs the catalog's by-name read under load (autocannon, 1/16/64 connections)",
  },
  'deploy-start': {
    file: 'http/deploy-start.ts',
    what: 'a deploy from the POST to the target being called',
  },
  history: {
    file: 'deployment-history.ts',
    what: "one busy entity's deployment history, page by page",
  },
  finance: {
    file: 'finance-breakdown.ts',
    what: 'the finance breakdown by cost center (90 days) and by owner (a year)',
  },
  'finance-page': {
    file: 'http/finance-page.ts',
    what: 'the Finance page in Chromium: time until the table and chart are interactive',
  },
  focus: {
    file: 'focus-ingest.ts',
    what: 'FOCUS ingestion against a parse-only pass of the same files: rows/s and peak memory',
  },
  'profile-top': {
    file: 'cpu-profile-top.ts',
    what: 'the heaviest packages and functions of a --cpu-profile file (not a benchmark)',
  },
};

function list() {
  console.log('yarn bench <name> [options]\n');
  for (const [name, { what, file }] of Object.entries(BENCHMARKS)) {
    const ready = existsSync(resolve(__dirname, file)) ? '' : ' (not built)';
    console.log(`  ${name.padEnd(13)} ${what}${ready}`);
  }
}

const [name, ...args] = process.argv.slice(2);
if (!name || name === '--help' || name === '-h') {
  list();
  process.exit(0);
}
const benchmark = BENCHMARKS[name];
if (!benchmark || !existsSync(resolve(__dirname, benchmark.file))) {
  console.error(`Unknown benchmark "${name}".\n`);
  list();
  process.exit(2);
}
const result = spawnSync(
  process.execPath,
  [
    '--require',
    require.resolve('@backstage/cli/config/nodeTransform.cjs'),
    '--expose-gc',
    resolve(__dirname, benchmark.file),
    ...args,
  ],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
