/**
 * Helpers for tests that prove a secret appears nowhere: a root logger that
 * keeps every line, every text inside a value, and every row of a database.
 *
 * @packageDocumentation
 */

import { RootLoggerService } from '@backstage/backend-plugin-api';
import { inspect } from 'node:util';

/**
 * Every string inside a value, as one text: nested fields, array items,
 * error messages, stacks and causes, and hidden fields such as an SDK
 * error's `$response`.
 *
 * @public
 */
export function everyText(value: unknown): string {
  return inspect(value, {
    depth: Infinity,
    maxArrayLength: Infinity,
    maxStringLength: Infinity,
    breakLength: Infinity,
    showHidden: true,
  });
}

/**
 * A root logger (and its children) that keeps every line at every level,
 * with its fields, in `lines`.
 *
 * @public
 */
export class CapturingRootLogger implements RootLoggerService {
  constructor(
    readonly lines: string[] = [],
    private readonly fields: object = {},
  ) {}
  error(message: string, meta?: unknown) {
    this.write('error', message, meta);
  }
  warn(message: string, meta?: unknown) {
    this.write('warn', message, meta);
  }
  info(message: string, meta?: unknown) {
    this.write('info', message, meta);
  }
  debug(message: string, meta?: unknown) {
    this.write('debug', message, meta);
  }
  child(meta: object) {
    return new CapturingRootLogger(this.lines, { ...this.fields, ...meta });
  }
  private write(level: string, message: string, meta: unknown) {
    this.lines.push(
      `${level} ${everyText(this.fields)} ${message} ${everyText(meta)}`,
    );
  }
}

/**
 * The knex client of a test database, as far as {@link everyRow} needs it.
 *
 * @public
 */
export interface RawQueryClient {
  client: { config: { client?: unknown } };
  raw(sql: string): PromiseLike<unknown>;
}

/**
 * Every row of every table of a SQLite or PostgreSQL test database, by
 * table, as one text (see {@link everyText}).
 *
 * @public
 */
export async function everyRow(
  database: RawQueryClient,
): Promise<{ tables: string[]; text: string }> {
  const postgres = database.client.config.client === 'pg';
  const rowsOf = async (sql: string) => {
    const result = (await database.raw(sql)) as
      | { rows: Array<Record<string, unknown>> }
      | Array<Record<string, unknown>>;
    return Array.isArray(result) ? result : result.rows;
  };
  const tables = (
    await rowsOf(
      postgres
        ? 'select tablename as name from pg_tables where schemaname = current_schema()'
        : "select name from sqlite_master where type = 'table'",
    )
  ).map(row => String(row.name));
  const dump: Record<string, unknown[]> = {};
  for (const table of tables) {
    dump[table] = await rowsOf(`select * from "${table.replace(/"/g, '""')}"`);
  }
  return { tables, text: everyText(dump) };
}

/**
 * A function that gives the answers in turn, the last one from then on,
 * and counts how often it was asked: a provider that fails, then recovers.
 *
 * @public
 */
export function inTurn<A extends unknown[], R>(
  ...answers: Array<(...args: A) => R>
): ((...args: A) => R) & { readonly calls: number } {
  let calls = 0;
  const next = (...args: A) => {
    const answer = answers[Math.min(calls, answers.length - 1)];
    calls += 1;
    return answer(...args);
  };
  return Object.defineProperty(next, 'calls', { get: () => calls }) as ((
    ...args: A
  ) => R) & { readonly calls: number };
}

/**
 * The names of the places whose text contains the secret, for example
 * `expect(placesHolding(canary, { logs, responses })).toEqual([])`.
 *
 * @public
 */
export function placesHolding(
  secret: string,
  places: Record<string, string>,
): string[] {
  return Object.entries(places)
    .filter(([, text]) => text.includes(secret))
    .map(([place]) => place);
}

/**
 * The errors a refused call may end in: Backstage's errors that answer 4xx.
 *
 * @public
 */
export const CLIENT_ERROR_NAMES: readonly string[] = [
  'InputError',
  'NotAllowedError',
  'NotFoundError',
  'ConflictError',
];

/**
 * `Name: message` of an error that is not one of {@link CLIENT_ERROR_NAMES},
 * else undefined: `expect(unlessClientError(error)).toBeUndefined()` fails
 * naming the server error.
 *
 * @public
 */
export function unlessClientError(
  error: Error | undefined,
): string | undefined {
  return error && !CLIENT_ERROR_NAMES.includes(error.name)
    ? `${error.name}: ${error.message}`
    : undefined;
}
