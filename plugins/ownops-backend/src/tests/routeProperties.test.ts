import fc from 'fast-check';
import request from 'supertest';
import { readFileSync } from 'fs';
import { resolve } from 'path';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import {
  deeplyNested,
  hostileJson,
  hostileRecord,
  hostileString,
  propertyParameters,
} from '../__testUtils__/hostileInput';
import {
  authorizationOf,
  OwnopsTestBackend,
  PEOPLE,
  seedOwnopsTestBackend,
  settle,
  snapshotTables,
  startOwnopsTestBackend,
} from '../__testUtils__/startOwnopsTestBackend';
import { registeredRoutes } from '../__testUtils__/registeredRoutes';

jest.setTimeout(600_000);

const API = '/api/ownops';

interface HostileRequest {
  path: string;
  query: string;
  body?: unknown;
  rawBody?: { text: string; type: string; encoding?: string };
  headers: Record<string, string>;
  as: string;
}

/** A URL path segment: usually one that exists, sometimes hostile or malformed. */
function segment(...valid: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...valid) },
    { weight: 2, arbitrary: hostileString.map(encodeSegment) },
    { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%00', '..', '.') },
  );
}

function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80'; // a lone surrogate, as its UTF-8 bytes
  }
}

/** A query string of known keys (plausible or hostile values), bogus keys, repeats and brackets. */
function queryOf(
  known: Record<string, fc.Arbitrary<string>> = {},
): fc.Arbitrary<string> {
  const knownPairs = Object.entries(known).map(([key, plausible]) =>
    fc.option(
      fc.oneof(
        { weight: 3, arbitrary: plausible.map(v => [[key, v]]) },
        { weight: 2, arbitrary: hostileString.map(v => [[key, v]]) },
        {
          weight: 1,
          arbitrary: fc.tuple(plausible, hostileString).map(([a, b]) => [
            [key, a],
            [key, b],
          ]),
        },
        {
          weight: 1,
          arbitrary: hostileString.map(v => [[`${key}[__proto__]`, v]]),
        },
      ),
      { freq: 3 },
    ),
  );
  const bogus = fc.option(fc.tuple(hostileString, hostileString), {
    freq: 3,
  });
  return fc
    .tuple(fc.tuple(...knownPairs), bogus)
    .map(([pairs, extra]) =>
      [...pairs.flatMap(p => p ?? []), ...(extra ? [extra] : [])]
        .map(([k, v]) => `${encodeSegment(k)}=${encodeSegment(v)}`)
        .join('&'),
    );
}

/** A request body: the route's fields plausible or hostile, any JSON, or a raw body that is not what it claims. */
function bodyOf(
  fields: Record<string, fc.Arbitrary<unknown>>,
): fc.Arbitrary<Pick<HostileRequest, 'body' | 'rawBody'>> {
  return fc.oneof(
    { weight: 5, arbitrary: hostileRecord(fields).map(body => ({ body })) },
    { weight: 2, arbitrary: hostileJson.map(body => ({ body })) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          { text: '{"environment":', type: 'application/json' },
          { text: 'null', type: 'application/json' },
          { text: '"text"', type: 'application/json' },
          {
            text: JSON.stringify({ reason: 'x'.repeat(20_000) }),
            type: 'application/json',
          },
          {
            text: `${'['.repeat(5000)}${']'.repeat(5000)}`,
            type: 'application/json',
          },
          {
            text: JSON.stringify(deeplyNested(2000)),
            type: 'application/json',
          },
          { text: 'environment=staging', type: 'text/plain' },
          { text: '{}', type: 'application/json; charset=utf-7' },
          { text: '{"a":1}', type: 'application/json', encoding: 'gzip' },
          { text: '\u0000\u0001', type: 'application/octet-stream' },
        )
        .map(rawBody => ({ rawBody })),
    },
  );
}

const principal = fc.constantFrom(
  PEOPLE.owner,
  PEOPLE.owner,
  PEOPLE.owner,
  PEOPLE.secondOwner,
  PEOPLE.finance,
  'service',
);

const isoDay = fc
  .date({
    min: new Date('2000-01-01T00:00:00Z'),
    max: new Date('2100-01-01T00:00:00Z'),
    noInvalidDate: true,
  })
  .map(d => d.toISOString().slice(0, 10));
const isoInstant = fc
  .date({
    min: new Date('2000-01-01T00:00:00Z'),
    max: new Date('2100-01-01T00:00:00Z'),
    noInvalidDate: true,
  })
  .map(d => d.toISOString());
const smallNumber = fc.integer({ min: -5, max: 1000 }).map(String);

const entity = {
  kind: segment('component', 'Component', 'group', 'api'),
  namespace: segment('default'),
  name: segment('checkout', 'team-checkout'),
};
const group = { namespace: segment('default'), name: segment('team-checkout') };
const environment = fc.constantFrom('staging', 'production');

/** Every route with the shape of a plausible request; the properties mix hostile values in. */
interface RouteCase {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  params?: Record<string, fc.Arbitrary<string>>;
  query?: Record<string, fc.Arbitrary<string>>;
  body?: Record<string, fc.Arbitrary<unknown>>;
  headers?: fc.Arbitrary<Record<string, string>>;
}

const ROUTES: RouteCase[] = [
  {
    method: 'get',
    path: '/entities/:kind/:namespace/:name/environments',
    params: entity,
  },
  {
    method: 'get',
    path: '/entities/:kind/:namespace/:name/environments/:environment/versions',
    params: { ...entity, environment: segment('staging', 'production') },
  },
  {
    method: 'get',
    path: '/entities/:kind/:namespace/:name/environments/:environment/external-deployments',
    params: { ...entity, environment: segment('staging', 'production') },
  },
  {
    method: 'get',
    path: '/entities/:kind/:namespace/:name/deployments',
    params: entity,
    query: {
      environment,
      status: fc.constantFrom('succeeded', 'failed', 'running'),
      limit: smallNumber,
      cursor: smallNumber,
    },
  },
  {
    method: 'get',
    path: '/entities/:kind/:namespace/:name/deployment-stats',
    params: entity,
    query: { days: smallNumber },
  },
  {
    method: 'post',
    path: '/entities/:kind/:namespace/:name/deployments',
    params: entity,
    body: {
      environment,
      version: fc.constantFrom('1.0.0', '1.1.0', '9.9.9', '../1.0.0'),
      reason: fc.string({ maxLength: 100 }),
    },
    headers: fc
      .option(
        fc.constantFrom(
          'key-1',
          'x'.repeat(300),
          'with space',
          'é',
          '${{ x }}',
          '\t',
        ),
        { nil: undefined },
      )
      .map(
        (key): Record<string, string> =>
          key === undefined ? {} : { 'Idempotency-Key': key },
      ),
  },
  {
    method: 'get',
    path: '/deployments/:id',
    params: { id: segment('1', '2', '3', '4') },
  },
  {
    method: 'get',
    path: '/deployments/:id/logs',
    params: { id: segment('1', '2', '3', '4') },
    query: { after: smallNumber },
  },
  {
    method: 'post',
    path: '/deployments/:id/rollback',
    params: { id: segment('1', '2', '3', '4') },
    body: { reason: fc.string({ maxLength: 100 }) },
  },
  {
    method: 'post',
    path: '/deployments/:id/approve',
    params: { id: segment('1', '2', '3', '4') },
    body: {},
  },
  {
    method: 'post',
    path: '/deployments/:id/cancel',
    params: { id: segment('1', '2', '3', '4') },
    body: {},
  },
  { method: 'get', path: '/deploy-targets' },
  { method: 'get', path: '/health' },
  {
    method: 'get',
    path: '/budgets',
    query: { month: fc.constantFrom('2026-11', '2026-12', '1999-01') },
  },
  {
    method: 'get',
    path: '/entities/:kind/:namespace/:name/budget',
    params: entity,
  },
  {
    method: 'put',
    path: '/entities/:kind/:namespace/:name/budget',
    params: entity,
    body: {
      amount: fc.oneof(
        fc.constantFrom('1500.00', '0', '-1', '1e3', '0.00001'),
        fc.double().map(String),
      ),
      currency: fc.constantFrom('USD', 'EUR', 'usd', 'XXX'),
      thresholds: fc.array(fc.integer({ min: -10, max: 1000 }), {
        maxLength: 25,
      }),
    },
  },
  {
    method: 'get',
    path: '/entities/:kind/:namespace/:name/cost',
    params: entity,
    query: { from: isoDay, to: isoDay, environment },
  },
  {
    method: 'get',
    path: '/cost/breakdown',
    query: {
      groupBy: fc.constantFrom('owner', 'costCenter', 'service', 'environment'),
      from: isoDay,
      to: isoDay,
      costCenter: fc.constantFrom('cc-1001', 'CC-1001'),
      owner: fc.constantFrom('group:default/team-checkout', 'group:Default/X'),
      format: fc.constantFrom('json', 'csv'),
    },
  },
  {
    method: 'get',
    path: '/cost/unallocated',
    query: { from: isoDay, to: isoDay },
  },
  { method: 'get', path: '/cost/ingestion' },
  { method: 'post', path: '/cost/ingestion', body: {} },
  {
    method: 'get',
    path: '/entities/:kind/:namespace/:name/summary',
    params: entity,
  },
  { method: 'get', path: '/groups/:namespace/:name/summary', params: group },
  {
    method: 'get',
    path: '/entities/:kind/:namespace/:name/oncall',
    params: entity,
  },
  {
    method: 'get',
    path: '/groups/:namespace/:name/oncall-overrides',
    params: group,
    query: { from: isoInstant, to: isoInstant },
  },
  {
    method: 'post',
    path: '/groups/:namespace/:name/oncall-overrides',
    params: group,
    body: {
      userRef: fc.constantFrom(
        PEOPLE.owner,
        PEOPLE.secondOwner,
        PEOPLE.otherTeam,
        'user:default/nobody',
      ),
      start: isoInstant,
      end: isoInstant,
      reason: fc.string({ maxLength: 100 }),
    },
  },
  {
    method: 'delete',
    path: '/groups/:namespace/:name/oncall-overrides/:id',
    params: { ...group, id: segment('1', '2', '3') },
  },
];

function requestOf(route: RouteCase): fc.Arbitrary<HostileRequest> {
  const params = Object.entries(route.params ?? {});
  return fc
    .record({
      values: fc.tuple(...params.map(([, arbitrary]) => arbitrary)),
      query: queryOf(route.query),
      body: route.body ? bodyOf(route.body) : fc.constant({}),
      headers: route.headers ?? fc.constant({}),
      as: principal,
    })
    .map(({ values, query, body, headers, as }) => ({
      path: params.reduce(
        (path, [name], i) => path.replace(`:${name}`, values[i]),
        route.path,
      ),
      query,
      headers,
      as,
      ...body,
    }));
}

async function send(
  backend: OwnopsTestBackend,
  method: RouteCase['method'],
  hostile: HostileRequest,
) {
  let call = request(backend.server)
    [method](`${API}${hostile.path}${hostile.query ? `?${hostile.query}` : ''}`)
    .set('Authorization', authorizationOf(hostile.as));
  for (const [name, value] of Object.entries(hostile.headers)) {
    call = call.set(name, value);
  }
  if (hostile.rawBody) {
    const { text, type, encoding } = hostile.rawBody;
    if (encoding) call = call.set('Content-Encoding', encoding);
    return call.type(type).send(text);
  }
  if (hostile.body !== undefined && method !== 'get') {
    return call.type('application/json').send(JSON.stringify(hostile.body));
  }
  return call;
}

/** Operations the OpenAPI document describes, as `method /path/:param`. */
function documentedRoutes(): string[] {
  const yaml = readFileSync(
    resolve(__dirname, '../schema/openapi.yaml'),
    'utf8',
  );
  const routes: string[] = [];
  let path: string | undefined;
  for (const line of yaml.split('\n')) {
    const pathMatch = line.match(/^ {2}(\/\S*):\s*$/);
    if (pathMatch) path = pathMatch[1].replace(/\{(\w+)\}/g, ':$1');
    const methodMatch = line.match(/^ {4}(get|post|put|delete|patch):\s*$/);
    if (path && methodMatch) routes.push(`${methodMatch[1]} ${path}`);
  }
  return routes.sort();
}

const covered = ROUTES.map(r => `${r.method} ${r.path}`).sort();

describe('every REST route under hostile input', () => {
  it('covers every route the router registers and the OpenAPI document describes', async () => {
    expect(await registeredRoutes()).toEqual(covered);
    expect(documentedRoutes()).toEqual(covered);
  });

  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let backend: OwnopsTestBackend;

    beforeAll(async () => {
      backend = await startOwnopsTestBackend(await databases.init(databaseId));
      await seedOwnopsTestBackend(backend);
    });

    it('answers 413 to a body over 16 kB and 400 to a deeply nested one, writing nothing', async () => {
      const before = await snapshotTables(backend.knex);
      const deploysBefore = backend.target.calls.length;
      const deploy = () =>
        request(backend.server)
          .post(`${API}/entities/component/default/checkout/deployments`)
          .set('Authorization', authorizationOf(PEOPLE.owner))
          .type('application/json');
      const huge = await deploy().send(
        JSON.stringify({
          environment: 'staging',
          version: '1.0.0',
          reason: 'x'.repeat(20_000),
        }),
      );
      const deep = await deploy().send(JSON.stringify(deeplyNested(3000)));
      expect([huge.status, deep.status]).toEqual([413, 400]);
      expect(deep.body.error.message).toMatch(/deployment request/);
      expect(backend.target.calls.length).toBe(deploysBefore);
      expect(await snapshotTables(backend.knex)).toEqual(before);
    });

    it.each(ROUTES.map(r => [`${r.method.toUpperCase()} ${r.path}`, r]))(
      '%s: never a 5xx, and a rejected request writes nothing and deploys nothing',
      async (_name, route) => {
        await fc.assert(
          fc.asyncProperty(requestOf(route as RouteCase), async hostile => {
            await settle(backend);
            const before = await snapshotTables(backend.knex);
            const deploysBefore = backend.target.calls.length;
            const response = await send(
              backend,
              (route as RouteCase).method,
              hostile,
            );
            expect(response.status).toBeLessThan(500);
            const rejected = response.status >= 400;
            // A path no route matches, an oversized body or header: the
            // server answers before any handler, without an error body.
            const explained =
              rejected && ![404, 413, 431].includes(response.status);
            expect({
              explainedWhenRejected:
                !explained || typeof response.body?.error?.message === 'string',
              deployCalls: rejected
                ? backend.target.calls.length - deploysBefore
                : 0,
              tables: rejected ? await snapshotTables(backend.knex) : before,
            }).toEqual({
              explainedWhenRejected: true,
              deployCalls: 0,
              tables: before,
            });
          }),
          propertyParameters(25),
        );
      },
    );
  });
});
