/*
 * Two (or more) real Backstage backends as child processes on loopback
 * ports, sharing one throwaway PostgreSQL database (one schema per plugin),
 * for the replica tests. Each replica runs replicaBackend.ts through the
 * Backstage CLI's Node transform with its own generated config file.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { knex, Knex } from 'knex';
import { waitFor } from './waitFor';

const PACKAGE_DIR = resolve(__dirname, '..');
export const SERVICE_TOKEN = 'ownops-replica-tests-service-token-0123456789';

/** The admin connection: any database of the server, user with CREATEDB. */
export const POSTGRES_URL =
  process.env.OWNOPS_REPLICAS_POSTGRES ??
  'postgresql://postgres@127.0.0.1:5432/postgres';

/** One line of a replica's JSON log. */
export type LogLine = Record<string, unknown> & {
  message?: string;
  level?: string;
};

export interface Replica {
  name: string;
  baseUrl: string;
  logs: LogLine[];
  process: ChildProcess;
  exited: Promise<void>;
}

export interface ClusterOptions {
  /** Working directory for config, fixtures and counters; must exist. */
  directory: string;
  /** The `ownops` section of the replicas' config. */
  ownops: Record<string, unknown>;
  /** Where the `replica-external` target keeps its runs. */
  externalDir: string;
}

export class ReplicaCluster {
  readonly replicas = new Map<string, Replica>();
  /** Every log line of every replica started, killed ones included. */
  readonly logs: Array<LogLine & { replica: string }> = [];
  /** When the last replica to start began serving requests (epoch ms). */
  lastStartedAt = 0;
  private readonly db: Knex;

  private constructor(
    readonly databaseName: string,
    readonly databaseUrl: string,
    private readonly options: ClusterOptions,
  ) {
    this.db = knex({
      client: 'pg',
      connection: databaseUrl,
      searchPath: ['ownops'],
      pool: { min: 0, max: 2 },
    });
  }

  /** Creates a fresh database; fails when PostgreSQL is unreachable. */
  static async create(options: ClusterOptions): Promise<ReplicaCluster> {
    const name = `ownops_replicas_${Date.now()}_${process.pid}`;
    await withAdmin(admin => admin.raw(`CREATE DATABASE ${name}`));
    const url = new URL(POSTGRES_URL);
    url.pathname = `/${name}`;
    return new ReplicaCluster(name, url.toString(), options);
  }

  /** Starts a replica and waits until it serves requests. */
  async start(name: string): Promise<Replica> {
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const configFile = join(this.options.directory, `${name}.config.json`);
    writeFileSync(configFile, JSON.stringify(this.config(baseUrl, port)));
    const logs: LogLine[] = [];
    const child = spawn(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        join(__dirname, 'replicaBackend.ts'),
        '--config',
        configFile,
      ],
      {
        cwd: PACKAGE_DIR,
        env: {
          ...process.env,
          NODE_ENV: 'production',
          OWNOPS_REPLICA_PARENT_PID: String(process.pid),
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const logFile = join(this.options.directory, `${name}.log`);
    collectLines(child, line => {
      writeFileSync(logFile, `${line}\n`, { flag: 'a' });
      let parsed: LogLine;
      try {
        parsed = JSON.parse(line);
      } catch {
        parsed = { message: line };
      }
      logs.push(parsed);
      this.logs.push({ ...parsed, replica: name });
    });
    const exited = new Promise<void>(done => child.once('exit', () => done()));
    const replica = { name, baseUrl, logs, process: child, exited };
    this.replicas.set(name, replica);
    let gone = false;
    exited.then(() => (gone = true));
    await waitFor(
      `replica ${name} to serve requests (log: ${logFile})`,
      async () => {
        if (gone || logs.some(line => line.name === 'BackendStartupError')) {
          throw new Error(`replica ${name} did not start; see ${logFile}`);
        }
        const res = await fetch(`${baseUrl}/.backstage/health/v1/readiness`)
          .then(r => r.status)
          .catch(() => 0);
        return res === 200;
      },
      180_000,
    );
    this.lastStartedAt = Date.now();
    return replica;
  }

  replica(name: string): Replica {
    const replica = this.replicas.get(name);
    if (!replica) {
      throw new Error(`No replica ${name}`);
    }
    return replica;
  }

  /** Kills a replica with a signal and waits until it is gone. */
  async kill(name: string, signal: NodeJS.Signals) {
    const replica = this.replica(name);
    replica.process.kill(signal);
    await replica.exited;
    this.replicas.delete(name);
  }

  /** Runs SQL in the test database, in the `ownops` plugin's schema. */
  async query<T extends Record<string, unknown>>(
    sql: string,
    params: unknown[] = [],
  ): Promise<T[]> {
    // The first query after a cut may meet a connection the pool has not
    // yet noticed is gone.
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.db.raw(sql, params as Knex.RawBinding[]);
        return result.rows as T[];
      } catch (error) {
        if (attempt >= 3 || !/terminat|connection/i.test(String(error))) {
          throw error;
        }
      }
    }
  }

  /** Closes every connection to the test database, as a network cut would. */
  async terminateConnections(): Promise<number> {
    const result = await withAdmin(admin =>
      admin.raw(
        'SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()',
        [this.databaseName],
      ),
    );
    return (result.rows as Array<{ terminated: boolean }>).filter(
      row => row.terminated,
    ).length;
  }

  /** Refuses (or allows again) every new connection to the test database. */
  async allowConnections(allow: boolean) {
    await withAdmin(admin =>
      admin.raw(
        `ALTER DATABASE ${this.databaseName} ALLOW_CONNECTIONS ${allow}`,
      ),
    );
  }

  /** Stops every replica and drops the database. */
  async destroy() {
    for (const name of [...this.replicas.keys()]) {
      await this.kill(name, 'SIGTERM');
    }
    await this.db.destroy();
    await withAdmin(admin =>
      admin.raw(`DROP DATABASE IF EXISTS ${this.databaseName} WITH (FORCE)`),
    );
  }

  private config(baseUrl: string, port: number) {
    const { directory } = this.options;
    mkdirSync(directory, { recursive: true });
    return {
      app: { baseUrl, title: 'Ownops replica tests' },
      organization: { name: 'Replica tests' },
      backend: {
        baseUrl,
        listen: { host: '127.0.0.1', port },
        database: {
          client: 'pg',
          connection: this.databaseUrl,
          pluginDivisionMode: 'schema',
        },
        auth: {
          externalAccess: [
            {
              type: 'static',
              options: { token: SERVICE_TOKEN, subject: 'replica-tests' },
            },
          ],
        },
      },
      auth: {
        environment: 'development',
        providers: {
          guest: {
            userEntityRef: 'user:default/guest',
            dangerouslyAllowOutsideDevelopment: true,
          },
        },
      },
      permission: { enabled: true },
      catalog: {
        rules: [{ allow: ['Component', 'Group', 'User', 'Location'] }],
        locations: [
          { type: 'file', target: join(__dirname, 'fixtures/entities.yaml') },
        ],
      },
      ownops: this.options.ownops,
      replicaTests: { externalDir: this.options.externalDir },
    };
  }
}

async function withAdmin<T>(work: (admin: Knex) => Promise<T>): Promise<T> {
  const admin = knex({
    client: 'pg',
    connection: POSTGRES_URL,
    pool: { min: 0, max: 1 },
  });
  try {
    await admin.raw('select 1').catch(error => {
      throw new Error(
        `The replica tests need PostgreSQL at ${POSTGRES_URL} (set OWNOPS_REPLICAS_POSTGRES): ${error}`,
      );
    });
    return await work(admin);
  } finally {
    await admin.destroy();
  }
}

function collectLines(child: ChildProcess, onLine: (line: string) => void) {
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      lines.filter(Boolean).forEach(onLine);
    });
  }
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? done(address.port)
          : fail(new Error('no free port')),
      );
    });
  });
}
