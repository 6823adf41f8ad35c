/*
 * FOCUS ingestion benchmark: generates a FOCUS export of N rows (default
 * 1,000,000) with examples/cost/generate.mjs as gzip CSV, writes the same
 * rows as snappy Parquet (typed costs and times, Tags as a map, as AWS writes
 * it), then measures in
 * separate processes, on the same files:
 *
 *   parse-csv        – with --row-reader: reading every record of the CSV
 *                      row by row (the reader ingestion falls back to);
 *   ingest-csv       – the full ingestion of the CSV: read, attribute, roll
 *                      up and replace the billing periods in a database
 *                      (SQLite file, or PostgreSQL with --postgres <url>);
 *   ingest-parquet   – the same from the Parquet files;
 *   reference-csv    – the practical limit: DuckDB's own SQL (2 threads)
 *   reference-parquet  aggregating the same files into the same daily
 *                      groups (day × entity × owner × cost center ×
 *                      environment × category × currency, exact DECIMAL sums).
 *
 * It prints rows per second and peak memory (max RSS) of each pass, and the
 * ratio of each ingestion to its reference. Not a test: nothing is asserted.
 *
 *   yarn bench:focus [--rows 1000000] [--row-reader] [--postgres postgresql://postgres@127.0.0.1:5432]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { knex, Knex } from 'knex';
import { DEFAULT_OWNER_TAG_KEYS } from '@ownops/backstage-plugin-common';
import { CostIngestion } from '../plugins/ownops-backend/src/cost/ingest/CostIngestion';
import { readFocusFile } from '../plugins/ownops-backend/src/cost/focus/readFocusFile';
import { FocusFilesCostSource } from '../plugins/ownops-backend/src/cost/sources/FocusFilesCostSource';
import {
  DUCKDB_OPTIONS,
  quoteString,
} from '../plugins/ownops-backend/src/cost/focus/duckdb';
import { writeParquet } from '../plugins/ownops-backend/src/cost/focus/__testUtils__/writeParquet';
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

/** The reference: DuckDB's SQL over the files, into the same daily groups. */
async function reference(format: 'csv' | 'parquet', folder: string) {
  const instance = await DuckDBInstance.create(':memory:', {
    threads: '2',
    ...DUCKDB_OPTIONS,
  });
  const connection = await instance.connect();
  try {
    const tag = (key: string) =>
      format === 'csv'
        ? `json_extract_string(Tags, '$."${key}"')`
        : `Tags['${key}']`;
    const from =
      format === 'csv'
        ? `read_csv(${quoteString(
            `${folder}/*.csv.gz`,
          )}, header = true, types = {'BilledCost': 'DECIMAL(38,10)', 'EffectiveCost': 'DECIMAL(38,10)', 'Tags': 'VARCHAR', 'ChargePeriodStart': 'VARCHAR'})`
        : `read_parquet(${quoteString(`${folder}/*.parquet`)})`;
    const reader = await connection.runAndReadAll(`
      SELECT count(*) AS groups, sum(n) AS rows FROM (
        SELECT CAST(substr(CAST(ChargePeriodStart AS VARCHAR), 1, 10) AS DATE) AS day,
          ${tag('backstage-entity')} AS entity, ${tag('owner')} AS owner,
          ${tag('cost-center')} AS cost_center, ${tag(
      'environment',
    )} AS environment,
          ServiceCategory, BillingCurrency,
          sum(CAST(BilledCost AS DECIMAL(38,10))) AS billed,
          sum(CAST(EffectiveCost AS DECIMAL(38,10))) AS effective,
          count(*) AS n
        FROM ${from}
        GROUP BY ALL)`);
    const [[groups, rows]] = reader.getRows();
    return { groups: Number(groups), rows: Number(rows) };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function runPass(pass: string, folder: string): Promise<PassResult> {
  const [kind, format] = pass.split('-') as [string, 'csv' | 'parquet'];
  const files = join(folder, format);
  const source = new FocusFilesCostSource('bench', files);
  const started = process.hrtime.bigint();
  let rows = 0;
  let detail: string | undefined;
  if (kind === 'parse') {
    for (const file of await source.files()) {
      for await (const _record of readFocusFile(file)) {
        rows += 1;
      }
    }
  } else if (kind === 'reference') {
    const result = await reference(format, files);
    rows = result.rows;
    detail = `${result.groups} daily groups`;
  } else {
    const postgres = option('postgres');
    const database = postgres
      ? `ownops_bench_${process.pid}`
      : join(folder, `bench-${format}.sqlite`);
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

/** Every gzip CSV file of `from` as a snappy Parquet file in `to`. */
async function toParquet(from: string, to: string) {
  mkdirSync(to, { recursive: true });
  for (const file of readdirSync(from).sort()) {
    await writeParquet(
      join(from, file),
      join(to, file.replace(/\.csv\.gz$/, '.parquet')),
      { tags: 'map', compression: 'snappy', typed: true },
    );
  }
}

async function main() {
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
        join(folder, 'csv'),
        '--gzip',
      ],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    if (generated.status !== 0) {
      throw new Error('the generator failed');
    }
    console.log('Writing the same rows as snappy Parquet …');
    await toParquet(join(folder, 'csv'), join(folder, 'parquet'));
    const results: PassResult[] = [];
    for (const pass of [
      ...(process.argv.includes('--row-reader') ? ['parse-csv'] : []),
      'ingest-csv',
      'reference-csv',
      'ingest-parquet',
      'reference-parquet',
    ]) {
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
    const byPass = new Map(results.map(r => [r.pass, r]));
    const rate = (r: PassResult) => r.rows / r.seconds;
    console.log('');
    console.log(
      '| pass | rows | seconds | rows/s | peak memory (max RSS) | detail |',
    );
    console.log('| --- | ---: | ---: | ---: | ---: | --- |');
    for (const r of results) {
      console.log(
        `| ${r.pass} | ${r.rows.toLocaleString('en-US')} | ${r.seconds.toFixed(
          1,
        )} | ${Math.round(rate(r)).toLocaleString(
          'en-US',
        )} | ${r.maxRssMiB.toFixed(0)} MiB | ${r.detail ?? ''} |`,
      );
    }
    console.log('');
    for (const format of ['csv', 'parquet']) {
      const ingest = byPass.get(`ingest-${format}`)!;
      const limit = byPass.get(`reference-${format}`)!;
      console.log(
        `${format}: ingestion at ${(rate(ingest) / rate(limit)).toFixed(
          3,
        )}× the reference (goal ≥ 0.5×)`,
      );
    }
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
  main().catch(error => {
    console.error(error);
    process.exit(1);
  });
}
