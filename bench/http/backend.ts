/*
 * A real Backstage backend for the HTTP benchmarks, started in-process on a
 * loopback port: createBackend() from @backstage/backend-defaults with the
 * catalog (entities from the benchmark organisation, through an entity
 * provider), the permission backend with an allow-all policy, auth with the
 * guest provider (user tokens) and a static external-access token (service
 * calls), signals, notifications and the Ownops plugin with a no-op deploy
 * target `bench` that records when it is called.
 *
 * Database: one SQLite file per plugin in a fresh directory, or PostgreSQL
 * (one database per plugin, named ownops_bench_http_<plugin>, dropped first).
 * The Ownops database is seeded before start with bench/org/seedDatabase.ts.
 */
import { createBackend } from '@backstage/backend-defaults';
import {
  coreServices,
  createBackendModule,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { Entity } from '@backstage/catalog-model';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  DeployRequest,
  ownopsDeployTargetsExtensionPoint,
} from '@ownops/backstage-plugin-node';
import { NotFoundError } from '@backstage/errors';
import Router from 'express-promise-router';
import { knex, Knex } from 'knex';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse as parseYaml } from 'yaml';
import {
  BUSY_COMPONENT,
  componentName,
  groupName,
  orgEntities,
} from '../org/entities';
import { seedOwnopsDatabase } from '../org/seedDatabase';

export const STATIC_TOKEN = 'ownops-bench-static-token-0123456789';
const DB_PREFIX = 'ownops_bench_http_';
const PLUGINS = [
  'app',
  // Its plugin token keys live in its database.
  'bench-entity',
  'auth',
  'catalog',
  'permission',
  'ownops',
  'notifications',
  'signals',
];

export { BUSY_COMPONENT, componentName, groupName };

/** When the no-op target's deploy() was called, by `<entityRef> <version>`. */
export const deployCalls = new Map<string, { at: number; wall: number }>();
let deployListener: ((key: string) => void) | undefined;

/** Resolves when deploy() is called for the entity and version. */
export function waitForDeployCall(
  entityRef: string,
  version: string,
  timeoutMs = 30_000,
): Promise<number> {
  const key = `${entityRef} ${version}`;
  const seen = deployCalls.get(key);
  if (seen) return Promise.resolve(seen.at);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`deploy() not called for ${key}`)),
      timeoutMs,
    );
    const previous = deployListener;
    deployListener = k => {
      previous?.(k);
      if (k === key) {
        clearTimeout(timer);
        resolve(deployCalls.get(key)!.at);
      }
    };
  });
}

const benchTargetModule = createBackendModule({
  pluginId: 'ownops',
  moduleId: 'bench-target',
  register(reg) {
    reg.registerInit({
      deps: { targets: ownopsDeployTargetsExtensionPoint },
      async init({ targets }) {
        targets.addDeployTarget({
          id: 'bench',
          type: 'bench',
          title: 'Benchmark no-op target',
          async deploy(request: DeployRequest) {
            const key = `${request.entityRef} ${request.version}`;
            deployCalls.set(key, { at: performance.now(), wall: Date.now() });
            deployListener?.(key);
            return { state: 'succeeded' };
          },
        });
      },
    });
  },
});

/**
 * The least any plugin route that reads an entity from the catalog with the
 * caller's credentials does: GET /api/bench-entity/<kind>/<namespace>/<name>
 * answers the entity read through the catalog service (a plugin token, an
 * HTTP request to the catalog, its JSON). The floor under the summary.
 */
const entityThroughPluginPlugin = createBackendPlugin({
  pluginId: 'bench-entity',
  register(reg) {
    reg.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        catalog: catalogServiceRef,
      },
      async init({ httpRouter, httpAuth, catalog }) {
        const router = Router();
        router.get('/:kind/:namespace/:name', async (req, res) => {
          const credentials = await httpAuth.credentials(req);
          const { kind, namespace, name } = req.params;
          const entity = await catalog.getEntityByRef(
            { kind, namespace, name },
            { credentials },
          );
          if (!entity) throw new NotFoundError(`${kind}:${namespace}/${name}`);
          res.json(entity);
        });
        httpRouter.use(router);
      },
    });
  },
});

const allowAllPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'bench-allow-all',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy({
          async handle() {
            return { result: AuthorizeResult.ALLOW };
          },
        });
      },
    });
  },
});

function orgProviderModule(entities: Entity[]) {
  return createBackendModule({
    pluginId: 'catalog',
    moduleId: 'bench-org',
    register(reg) {
      reg.registerInit({
        deps: { catalog: catalogProcessingExtensionPoint },
        async init({ catalog }) {
          const provider: EntityProvider = {
            getProviderName: () => 'bench-org',
            async connect(connection: EntityProviderConnection) {
              await connection.applyMutation({
                type: 'full',
                entities: entities.map(entity => ({
                  entity: {
                    ...entity,
                    metadata: {
                      ...entity.metadata,
                      annotations: {
                        'backstage.io/managed-by-location': 'bench:org',
                        'backstage.io/managed-by-origin-location': 'bench:org',
                        ...entity.metadata.annotations,
                      },
                    },
                  },
                  locationKey: 'bench-org',
                })),
              });
            },
          };
          catalog.addEntityProvider(provider);
        },
      });
    },
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

export interface BenchBackendOptions {
  /** PostgreSQL connection string; SQLite files otherwise. */
  postgres?: string;
  /** Work directory for SQLite files. */
  directory?: string;
  /** Organisation size (default: bench/org's 10,000 components, 200 groups). */
  components?: number;
  groups?: number;
  /** Seed the Ownops database (default true). */
  seed?: boolean;
  /**
   * Keep the Ownops database of an earlier run with the same directory (or
   * PostgreSQL server) instead of seeding again; the others start empty.
   */
  reuse?: boolean;
  /**
   * PostgreSQL: copy the Ownops database from this seeded database
   * (CREATE DATABASE … TEMPLATE; nobody may be connected to it).
   */
  template?: string;
  /**
   * Keep the other plugins' databases (catalog, auth, …) of an earlier run
   * with the same directory or PostgreSQL server: the catalog then serves
   * the organisation at once instead of processing it again (60–150 s).
   */
  keepCatalog?: boolean;
  /** Serve the built app (packages/app/dist) at the base URL. */
  serveApp?: boolean;
  log?: (line: string) => void;
}

export interface BenchBackend {
  baseUrl: string;
  database: 'sqlite' | 'postgres';
  seeded: boolean;
  components: number;
  /** A user token (guest provider) for routes that need a user. */
  userToken: string;
  /** Headers with the static external-access token. */
  serviceHeaders: Record<string, string>;
  stop(): Promise<void>;
}

/** Starts the backend and waits until the catalog has processed the organisation. */
export async function startBenchBackend(
  options: BenchBackendOptions = {},
): Promise<BenchBackend> {
  const log = options.log ?? ((line: string) => console.error(line));
  process.env.LOG_LEVEL ??= 'warn';
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const entities = orgEntities({
    ...(options.components && { components: options.components }),
    ...(options.groups && { groups: options.groups }),
  });
  const components = entities.filter(e => e.kind === 'Component').length;

  let databaseConfig: JsonObject;
  let ownopsKnex: Knex;
  if (options.postgres) {
    const admin = knex({ client: 'pg', connection: options.postgres });
    for (const plugin of PLUGINS) {
      if (plugin === 'ownops' ? !options.reuse : !options.keepCatalog) {
        await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [
          `${DB_PREFIX}${plugin}`,
        ]);
      }
    }
    if (options.template) {
      await admin.raw(
        `CREATE DATABASE ${DB_PREFIX}ownops TEMPLATE ${options.template}`,
      );
    } else if (!options.reuse) {
      await admin.raw(`CREATE DATABASE ${DB_PREFIX}ownops`);
    }
    await admin.destroy();
    databaseConfig = {
      client: 'pg',
      connection: options.postgres,
      prefix: DB_PREFIX,
    };
    const url = new URL(options.postgres);
    url.pathname = `/${DB_PREFIX}ownops`;
    ownopsKnex = knex({ client: 'pg', connection: url.toString() });
  } else {
    const directory = options.directory ?? '/tmp/ownops-bench/http/sqlite';
    mkdirSync(directory, { recursive: true });
    for (const plugin of PLUGINS) {
      if (plugin === 'ownops' ? !options.reuse : !options.keepCatalog) {
        rmSync(join(directory, `${plugin}.sqlite`), { force: true });
      }
    }
    databaseConfig = { client: 'better-sqlite3', connection: { directory } };
    ownopsKnex = knex({
      client: 'better-sqlite3',
      connection: { filename: join(directory, 'ownops.sqlite') },
      useNullAsDefault: true,
    });
  }

  let seeded = false;
  if (options.template) {
    seeded = true;
    log(`ownops database copied from the seeded database ${options.template}`);
  } else if (options.reuse) {
    log('reusing the ownops database of an earlier run');
  } else if (options.seed ?? true) {
    const started = performance.now();
    await seedOwnopsDatabase(ownopsKnex, {
      ...(options.components && { components: options.components }),
      ...(options.groups && { groups: options.groups }),
      log,
    });
    seeded = true;
    log(
      `seeded the ownops database in ${(
        (performance.now() - started) /
        1000
      ).toFixed(1)} s`,
    );
  }
  if (options.template || options.reuse) {
    // A reused database may have been emptied by a run without seeding.
    seeded = await hasRows(ownopsKnex, 'ownops_deployments');
    log(`the ownops database is ${seeded ? 'seeded' : 'EMPTY'}`);
  }
  await ownopsKnex.destroy();

  const config = new ConfigReader({
    app: {
      // The served bundle needs the portal's frontend config: without
      // `app.packages` it loads none of the discovered plugins.
      ...(options.serveApp && portalAppConfig()),
      baseUrl,
      title: 'Ownops benchmark',
    },
    organization: { name: 'Benchmark' },
    backend: {
      baseUrl,
      listen: { host: '127.0.0.1', port },
      database: databaseConfig,
      auth: {
        externalAccess: [
          {
            type: 'static',
            options: { token: STATIC_TOKEN, subject: 'bench' },
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
      rules: [
        {
          allow: [
            'Component',
            'Group',
            'User',
            'System',
            'API',
            'Resource',
            'Location',
            'Domain',
          ],
        },
      ],
    },
  });

  const backend = createBackend();
  backend.add(
    createServiceFactory({
      service: coreServices.rootConfig,
      deps: {},
      factory: () => config,
    }),
  );
  if (options.serveApp) {
    backend.add(import('@backstage/plugin-app-backend'));
  }
  backend.add(import('@backstage/plugin-auth-backend'));
  backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
  backend.add(import('@backstage/plugin-catalog-backend'));
  backend.add(orgProviderModule(entities));
  backend.add(import('@backstage/plugin-permission-backend'));
  backend.add(allowAllPolicyModule);
  backend.add(import('@backstage/plugin-notifications-backend'));
  backend.add(import('@backstage/plugin-signals-backend'));
  backend.add(import('@ownops/backstage-plugin-backend'));
  backend.add(benchTargetModule);
  backend.add(entityThroughPluginPlugin);

  const started = performance.now();
  await backend.start();
  log(
    `backend started on ${baseUrl} in ${(
      (performance.now() - started) /
      1000
    ).toFixed(1)} s`,
  );

  const serviceHeaders = { authorization: `Bearer ${STATIC_TOKEN}` };
  const lastComponent = componentName(components);
  const last = (kind: string) =>
    entities.filter(e => e.kind === kind).pop()?.metadata.name;
  const catalogStarted = performance.now();
  for (const path of [
    `/api/catalog/entities/by-name/component/default/${lastComponent}`,
    `/api/catalog/entities/by-name/group/default/${last('Group')}`,
    ...(last('User')
      ? [`/api/catalog/entities/by-name/user/default/${last('User')}`]
      : []),
  ]) {
    for (;;) {
      if (await hasRelations(baseUrl + path, serviceHeaders)) break;
      if (performance.now() - catalogStarted > 30 * 60_000) {
        throw new Error(`catalog did not serve ${path} within 30 minutes`);
      }
      await new Promise(r => setTimeout(r, 1000));
    }
  }
  log(
    `catalog processed ${entities.length} entities in ${(
      (performance.now() - catalogStarted) /
      1000
    ).toFixed(1)} s (after start)`,
  );

  const refresh = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  if (!refresh.ok) {
    throw new Error(
      `guest sign-in failed: ${refresh.status} ${await refresh.text()}`,
    );
  }
  const session = (await refresh.json()) as {
    backstageIdentity: { token: string };
  };

  return {
    baseUrl,
    database: options.postgres ? 'postgres' : 'sqlite',
    seeded,
    components,
    userToken: session.backstageIdentity.token,
    serviceHeaders,
    stop: () => backend.stop(),
  };
}

/** The `app` block of the example portal's app-config.yaml. */
function portalAppConfig(): JsonObject {
  const file = resolve(__dirname, '../../app-config.yaml');
  return (parseYaml(readFileSync(file, 'utf8')) as { app: JsonObject }).app;
}

/** Whether the catalog serves the entity with its relations; false on a network error. */
async function hasRelations(
  url: string,
  headers: Record<string, string>,
): Promise<boolean> {
  try {
    const res = await fetch(url, { headers });
    if (res.status !== 200) {
      await res.arrayBuffer();
      return false;
    }
    const entity = (await res.json()) as Entity;
    return (entity.relations ?? []).length > 0;
  } catch {
    // A busy backend may drop the connection while it starts.
    return false;
  }
}

async function hasRows(db: Knex, table: string): Promise<boolean> {
  if (!(await db.schema.hasTable(table))) return false;
  return (await db(table).first()) !== undefined;
}

export { option } from '../org/seed';
