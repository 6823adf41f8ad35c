/*
 * FOCUS ingestion benchmark: generates a FOCUS export of N rows (default
 * 1,000,000) with examples/cost/generate.mjs, then measures in separate
 * processes, on the same files and with the same reader:
 *
 *   parse   – reading every record (CSV, decimals, timestamps, tags);
 *   ingest  – the full ingestion: read, attribute, roll up and replace the
 *             billing periods in a database (SQLite file, or PostgreSQL with
 *             --postgres <connection string>).
 *
 * It prints rows per second and peak memory (max RSS) of each pass, and the
 * ratio ingest/parse. Not a test: nothing is asserted.
 *
 *   yarn bench:focus [--rows 1000000] [--gzip] [--postgres postgresql://postgres@127.0.0.1:5432]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { knex, Knex } from 'knex';
import { DEFAULT_OWNER_TAG_KEYS } from '@ownops/backstage-plugin-common';
import { CostIngestion } from '../plugins/ownops-backend/src/cost/ingest/CostIngestion';
import { readFocusFile } from '../plugins/ownops-backend/src/cost/focus/readFocusFile';
import { FocusFilesCostSource } from '../plugins/ownops-backend/src/cost/sources/FocusFilesCostSource';
import { option } from './org/seed';
import { DatabaseCostStore } from '../plugins/ownops-backend/src/database/DatabaseCostStore';

const REPO = resolve(__dirname, '..');

interface PassResult {
  pass: string;
  rows: number;
  seconds: number;
  maxRssMiB: number;
  detail?: string;
}

async function runPass(pass: string, folder: string): Promise<PassResult> {
  const source = new FocusFilesCostSource('bench', folder);
  const started = process.hrtime.bigint();
  let rows = 0;
  let detail: string | undefined;
  if (pass === 'parse') {
    for (const file of await source.files()) {
      for await (const _record of readFocusFile(file)) {
        rows += 1;
      }
    }
  } else {
    const postgres = option('postgres');
    const database = postgres
      ? `ownops_bench_${process.pid}`
      : join(folder, 'bench.sqlite');
    let admin: Knex | undefined;
    if (postgres) {
      admin = knex({ client: 'pg', connection: postgres });
      await admin.raw(`CREATE DATABASE ${database}`);
    }
    const db = knex(
      postgres
        ? {
            client: 'pg',
            connection: `${postgres.replace(/\/$/, '')}/${database}`,
          }
        : {
            client: 'better-sqlite3',
            connection: { filename: database },
            useNullAsDefault: true,
          },
    );
    try {
      const store = await DatabaseCostStore.createForTest(db);
      const silent = {
        info() {},
        warn() {},
        error() {},
        debug() {},
        child() {
          return silent;
        },
      };
      const ingestion = new CostIngestion({
        sources: [source],
        store,
        keys: DEFAULT_OWNER_TAG_KEYS,
        logger: silent as any,
        auditor: {
          createEvent: async () => ({
            success: async () => {},
            fail: async () => {},
          }),
        } as any,
        options: {
          topUnallocated: 100,
          lookbackMonths: 3,
          staleAfterMs: 600_000,
          heartbeatMs: 15_000,
        },
      });
      const [run] = await ingestion.runAll();
      if (run.status !== 'succeeded') {
        throw new Error(`ingestion failed: ${run.error}`);
      }
      rows = run.rowsRead;
      const [{ count }] = await db('ownops_cost_daily').count({ count: '*' });
      detail = `${count} daily rollups in ${
        run.billingPeriods.length
      } billing periods on ${postgres ? 'PostgreSQL' : 'SQLite'}`;
    } finally {
      await db.destroy();
      if (admin) {
        await admin.raw(`DROP DATABASE IF EXISTS ${database}`);
        await admin.destroy();
      }
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    pass,
    rows,
    seconds,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    detail,
  };
}

function main() {
  const rows = Number(option('rows') ?? 1_000_000);
  const folder = mkdtempSync(join(tmpdir(), 'ownops-bench-focus-'));
  try {
    console.log(
      `Generating ${rows.toLocaleString('en-US')} FOCUS rows in ${folder} …`,
    );
    const generated = spawnSync(
      process.execPath,
      [
        join(REPO, 'examples/cost/generate.mjs'),
        // A fixed day, so every run reads the same three whole months.
        '--today',
        '2026-12-01',
        '--rows',
        String(rows),
        '--out',
        folder,
        ...(process.argv.includes('--gzip') ? ['--gzip'] : []),
      ],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    if (generated.status !== 0) {
      throw new Error('the generator failed');
    }
    const results: PassResult[] = [];
    for (const pass of ['parse', 'ingest']) {
      const child = spawnSync(
        process.execPath,
        [
          '--require',
          require.resolve('@backstage/cli/config/nodeTransform.cjs'),
          __filename,
          '--pass',
          pass,
          '--folder',
          folder,
          ...process.argv.slice(2),
        ],
        {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'inherit'],
          maxBuffer: 1e7,
        },
      );
      if (child.status !== 0) {
        throw new Error(`the ${pass} pass failed:\n${child.stdout}`);
      }
      results.push(JSON.parse(child.stdout.trim().split('\n').pop()!));
    }
    const [parse, ingest] = results;
    const rate = (r: PassResult) => r.rows / r.seconds;
    console.log('');
    console.log('| pass | rows | seconds | rows/s | peak memory (max RSS) |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    for (const r of results) {
      console.log(
        `| ${r.pass} | ${r.rows.toLocaleString('en-US')} | ${r.seconds.toFixed(
          1,
        )} | ${Math.round(rate(r)).toLocaleString(
          'en-US',
        )} | ${r.maxRssMiB.toFixed(0)} MiB |`,
      );
    }
    console.log('');
    console.log(
      `ingest / parse rate: ${(rate(ingest) / rate(parse)).toFixed(2)}`,
    );
    if (ingest.detail) console.log(`ingest: ${ingest.detail}`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const pass = option('pass');
if (pass) {
  runPass(pass, option('folder')!)
    .then(result => {
      process.stdout.write(`${JSON.stringify(result)}\n`);
    })
    .catch(error => {
      console.error(error);
      process.exit(1);
    });
} else {
  main();
}
