/*
 * Seeds the large organisation's Ownops database:
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/org/seed.ts \
 *     [--sqlite <dir>] [--postgres <url> [--database backstage_plugin_ownops]] \
 *     [--components 10000] [--groups 200] [--deployments 1000000] \
 *     [--cost-days 365] [--categories 3]
 *
 * --sqlite writes <dir>/ownops.sqlite, the file the backend uses for plugin
 * `ownops` with backend.database.connection.directory = <dir> (replaced).
 * --postgres drops and creates the database (default backstage_plugin_ownops,
 * the name Backstage gives plugin `ownops`).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { knex, Knex } from 'knex';
import { seedOwnopsDatabase } from './seedDatabase';

export function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

function numberOption(name: string): number | undefined {
  const value = option(name);
  return value === undefined ? undefined : Number(value.replace(/_/g, ''));
}

/**
 * Runs `measure` on the databases named on the command line (`--sqlite <dir>`
 * and/or `--postgres <url> [--database <name>]`), each opened and closed in
 * turn.
 */
export async function eachDatabase(
  measure: (database: 'sqlite' | 'postgres', db: Knex) => Promise<void>,
): Promise<void> {
  const sqliteDir = option('sqlite');
  const postgres = option('postgres');
  if (!sqliteDir && !postgres) {
    throw new Error('Give --sqlite <dir> and/or --postgres <url>');
  }
  const opened: Array<['sqlite' | 'postgres', () => Promise<Knex>]> = [];
  if (sqliteDir) opened.push(['sqlite', async () => openSqlite(sqliteDir)]);
  if (postgres) {
    opened.push([
      'postgres',
      () =>
        openPostgres(postgres, option('database') ?? 'backstage_plugin_ownops'),
    ]);
  }
  for (const [database, open] of opened) {
    const db = await open();
    try {
      await measure(database, db);
    } finally {
      await db.destroy();
    }
  }
}

/** A knex client over `<dir>/ownops.sqlite`, optionally recreating the file. */
export function openSqlite(dir: string, recreate = false): Knex {
  const filename = join(dir, 'ownops.sqlite');
  if (recreate) {
    mkdirSync(dir, { recursive: true });
    for (const suffix of ['', '-wal', '-shm', '-journal']) {
      rmSync(filename + suffix, { force: true });
    }
  }
  return knex({
    client: 'better-sqlite3',
    connection: { filename },
    useNullAsDefault: true,
  });
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** A knex client over a PostgreSQL database, optionally recreating it. */
export async function openPostgres(
  url: string,
  database = 'backstage_plugin_ownops',
  recreate = false,
): Promise<Knex> {
  if (recreate) {
    const admin = knex({
      client: 'pg',
      connection: withDatabase(url, 'postgres'),
    });
    try {
      await admin.raw(`DROP DATABASE IF EXISTS ?? WITH (FORCE)`, [database]);
      await admin.raw(`CREATE DATABASE ??`, [database]);
    } finally {
      await admin.destroy();
    }
  }
  return knex({
    client: 'pg',
    connection: withDatabase(url, database),
    pool: { min: 0, max: 10 },
  });
}

async function main() {
  const sqliteDir = option('sqlite');
  const postgres = option('postgres');
  if (!sqliteDir && !postgres) {
    throw new Error('Give --sqlite <dir> and/or --postgres <url>');
  }
  const seedOptions = {
    components: numberOption('components'),
    groups: numberOption('groups'),
    deployments: numberOption('deployments'),
    costDays: numberOption('cost-days'),
    categories: numberOption('categories'),
  };
  const defined = Object.fromEntries(
    Object.entries(seedOptions).filter(([, v]) => v !== undefined),
  );
  const targets: Array<() => Promise<Knex>> = [];
  if (sqliteDir) targets.push(async () => openSqlite(sqliteDir, true));
  if (postgres) {
    targets.push(() => openPostgres(postgres, option('database'), true));
  }
  for (const open of targets) {
    const db = await open();
    try {
      const result = await seedOwnopsDatabase(db, defined);
      console.log(JSON.stringify(result));
    } finally {
      await db.destroy();
    }
  }
}

if (require.main === module) {
  main().catch(error => {
    console.error(error);
    process.exit(1);
  });
}
