import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { registeredRoutes } from '../__testUtils__/registeredRoutes';
import {
  auditTrail,
  authorizationOf,
  OwnopsTestBackend,
  PEOPLE,
  seedOwnopsTestBackend,
  settle,
  snapshotTables,
  startOwnopsTestBackend,
} from '../__testUtils__/startOwnopsTestBackend';

jest.setTimeout(300_000);

/**
 * Who may do what, decided by the example portal's real permission policy
 * (packages/backend OwnopsExamplePolicy: ownops.* on an entity for its
 * owners, ownops.cost.readAll and .ingest for the finance group), with the
 * permission framework's rule that a service principal is allowed (see
 * startOwnopsTestBackend). `checkout` is owned by team-checkout.
 *
 * - owner: alice, member of team-checkout
 * - other team: bob, member of team-other
 * - finance: frank, member of group:default/finance
 * - service: a backend plugin's token
 * - unauthenticated: no token at all
 * - requester: carol, team-checkout, who requested production deployment #3
 *
 * State before each route's rows: deployments #1 (1.0.0) and #2 (1.1.0)
 * succeeded on staging; #3 (1.0.0 to production, by carol) awaits approval;
 * on-call override #1 of team-checkout exists. Rows run in order on a
 * backend shared by routes whose changes do not meet (see backendOf); within
 * a route the one allowed change comes last. Every refused row leaves the
 * tables as they were and calls no deploy target.
 *
 * "audit" is the audit event the request records: `—` for none (reads, and
 * unauthenticated requests, which the backend's auth policy answers before
 * any route runs), else the event id and its outcome; a denial, a service
 * token on a change included, is `failed: NotAllowedError`.
 */
type Principal =
  | 'owner'
  | 'other team'
  | 'finance'
  | 'service'
  | 'unauthenticated'
  | 'requester';

const AS: Record<Principal, string> = {
  owner: PEOPLE.owner,
  'other team': PEOPLE.otherTeam,
  finance: PEOPLE.finance,
  service: 'service',
  unauthenticated: 'none',
  requester: PEOPLE.secondOwner,
};

/** The actor an action's audit event names. */
const ACTORS: Record<Principal, string> = {
  ...AS,
  service: `service ${
    (mockCredentials.service().principal as { subject: string }).subject
  }`,
  unauthenticated: 'unauthenticated',
};

/** The concrete request sent for each route. */
const REQUESTS: Record<string, { path: string; body?: object }> = {
  'get /entities/:kind/:namespace/:name/environments': {
    path: '/entities/component/default/checkout/environments',
  },
  'get /entities/:kind/:namespace/:name/environments/:environment/versions': {
    path: '/entities/component/default/checkout/environments/staging/versions',
  },
  'get /entities/:kind/:namespace/:name/environments/:environment/external-deployments':
    {
      path: '/entities/component/default/checkout/environments/staging/external-deployments',
    },
  'get /entities/:kind/:namespace/:name/deployments': {
    path: '/entities/component/default/checkout/deployments',
  },
  'get /entities/:kind/:namespace/:name/deployment-stats': {
    path: '/entities/component/default/checkout/deployment-stats',
  },
  'post /entities/:kind/:namespace/:name/deployments': {
    path: '/entities/component/default/checkout/deployments',
    body: { environment: 'staging', version: '1.0.0' },
  },
  'get /deployments/:id': { path: '/deployments/1' },
  'get /deployments/:id/logs': { path: '/deployments/1/logs' },
  'post /deployments/:id/rollback': {
    path: '/deployments/1/rollback',
    body: {},
  },
  'post /deployments/:id/approve': { path: '/deployments/3/approve', body: {} },
  'post /deployments/:id/cancel': { path: '/deployments/3/cancel', body: {} },
  'get /deploy-targets': { path: '/deploy-targets' },
  'get /health': { path: '/health' },
  'get /budgets': { path: '/budgets' },
  'get /entities/:kind/:namespace/:name/budget': {
    path: '/entities/component/default/checkout/budget',
  },
  'put /entities/:kind/:namespace/:name/budget': {
    path: '/entities/component/default/checkout/budget',
    body: { amount: '1500.00', currency: 'USD' },
  },
  'get /entities/:kind/:namespace/:name/cost': {
    path: '/entities/component/default/checkout/cost',
  },
  'get /cost/breakdown': { path: '/cost/breakdown?groupBy=owner' },
  'get /cost/unallocated': { path: '/cost/unallocated' },
  'get /cost/ingestion': { path: '/cost/ingestion' },
  'post /cost/ingestion': { path: '/cost/ingestion', body: {} },
  'get /entities/:kind/:namespace/:name/summary': {
    path: '/entities/component/default/checkout/summary',
  },
  'get /groups/:namespace/:name/summary': {
    path: '/groups/default/team-checkout/summary',
  },
  'get /entities/:kind/:namespace/:name/oncall': {
    path: '/entities/component/default/checkout/oncall',
  },
  'get /groups/:namespace/:name/oncall-overrides': {
    path: '/groups/default/team-checkout/oncall-overrides',
  },
  'post /groups/:namespace/:name/oncall-overrides': {
    path: '/groups/default/team-checkout/oncall-overrides',
    body: {
      userRef: PEOPLE.owner,
      start: '2099-02-01T00:00:00Z',
      end: '2099-02-02T00:00:00Z',
    },
  },
  'delete /groups/:namespace/:name/oncall-overrides/:id': {
    path: '/groups/default/team-checkout/oncall-overrides/1',
  },
};

/** Every principal but the owner, then the owner; for routes everyone signed in may read. */
const READ_BY_ALL = (route: string): MatrixRow[] => [
  [route, 'unauthenticated', 401, '—'],
  [route, 'service', 200, '—'],
  [route, 'other team', 200, '—'],
  [route, 'finance', 200, '—'],
  [route, 'owner', 200, '—'],
];

/** Routes whose allowed row starts a deployment on the target. */
const DEPLOYING_ROUTES = [
  'post /entities/:kind/:namespace/:name/deployments',
  'post /deployments/:id/rollback',
  'post /deployments/:id/approve',
];

type MatrixRow = [
  route: string,
  principal: Principal,
  status: number,
  audit: string,
];

// prettier-ignore
const MATRIX: MatrixRow[] = [
  // route                                                   principal          status  audit
  ...READ_BY_ALL('get /entities/:kind/:namespace/:name/environments'),
  ...READ_BY_ALL('get /entities/:kind/:namespace/:name/environments/:environment/versions'),
  ...READ_BY_ALL('get /entities/:kind/:namespace/:name/environments/:environment/external-deployments'),
  ...READ_BY_ALL('get /entities/:kind/:namespace/:name/deployments'),
  ...READ_BY_ALL('get /entities/:kind/:namespace/:name/deployment-stats'),
  ['post /entities/:kind/:namespace/:name/deployments',      'unauthenticated', 401, '—'],
  ['post /entities/:kind/:namespace/:name/deployments',      'service',         403, 'deployment-create: failed: NotAllowedError'],
  ['post /entities/:kind/:namespace/:name/deployments',      'other team',      403, 'deployment-create: failed: NotAllowedError'],
  ['post /entities/:kind/:namespace/:name/deployments',      'finance',         403, 'deployment-create: failed: NotAllowedError'],
  ['post /entities/:kind/:namespace/:name/deployments',      'owner',           201, 'deployment-create: succeeded'],
  ...READ_BY_ALL('get /deployments/:id'),
  ...READ_BY_ALL('get /deployments/:id/logs'),
  ['post /deployments/:id/rollback',                         'unauthenticated', 401, '—'],
  ['post /deployments/:id/rollback',                         'service',         403, 'deployment-rollback: failed: NotAllowedError'],
  ['post /deployments/:id/rollback',                         'other team',      403, 'deployment-rollback: failed: NotAllowedError'],
  ['post /deployments/:id/rollback',                         'finance',         403, 'deployment-rollback: failed: NotAllowedError'],
  ['post /deployments/:id/rollback',                         'owner',           201, 'deployment-rollback: succeeded'],
  ['post /deployments/:id/approve',                          'unauthenticated', 401, '—'],
  ['post /deployments/:id/approve',                          'service',         403, 'deployment-approve: failed: NotAllowedError'],
  ['post /deployments/:id/approve',                          'other team',      403, 'deployment-approve: failed: NotAllowedError'],
  ['post /deployments/:id/approve',                          'finance',         403, 'deployment-approve: failed: NotAllowedError'],
  ['post /deployments/:id/approve',                          'requester',       409, 'deployment-approve: failed: ConflictError'],
  ['post /deployments/:id/approve',                          'owner',           200, 'deployment-approve: succeeded'],
  ['post /deployments/:id/cancel',                           'unauthenticated', 401, '—'],
  ['post /deployments/:id/cancel',                           'service',         403, 'deployment-cancel: failed: NotAllowedError'],
  ['post /deployments/:id/cancel',                           'other team',      403, 'deployment-cancel: failed: NotAllowedError'],
  ['post /deployments/:id/cancel',                           'finance',         403, 'deployment-cancel: failed: NotAllowedError'],
  ['post /deployments/:id/cancel',                           'owner',           200, 'deployment-cancel: succeeded'],
  ...READ_BY_ALL('get /deploy-targets'),
  ...READ_BY_ALL('get /health'),
  ['get /budgets',                                           'unauthenticated', 401, '—'],
  ['get /budgets',                                           'service',         200, '—'],
  ['get /budgets',                                           'other team',      403, '—'],
  ['get /budgets',                                           'finance',         200, '—'],
  ['get /budgets',                                           'owner',           403, '—'],
  ['get /entities/:kind/:namespace/:name/budget',            'unauthenticated', 401, '—'],
  ['get /entities/:kind/:namespace/:name/budget',            'service',         200, '—'],
  ['get /entities/:kind/:namespace/:name/budget',            'other team',      403, '—'],
  ['get /entities/:kind/:namespace/:name/budget',            'finance',         200, '—'],
  ['get /entities/:kind/:namespace/:name/budget',            'owner',           200, '—'],
  ['put /entities/:kind/:namespace/:name/budget',            'unauthenticated', 401, '—'],
  ['put /entities/:kind/:namespace/:name/budget',            'service',         403, 'budget-update: failed: NotAllowedError'],
  ['put /entities/:kind/:namespace/:name/budget',            'other team',      403, 'budget-update: failed: NotAllowedError'],
  ['put /entities/:kind/:namespace/:name/budget',            'finance',         403, 'budget-update: failed: NotAllowedError'],
  ['put /entities/:kind/:namespace/:name/budget',            'owner',           200, 'budget-update: succeeded'],
  ['get /entities/:kind/:namespace/:name/cost',              'unauthenticated', 401, '—'],
  ['get /entities/:kind/:namespace/:name/cost',              'service',         200, '—'],
  ['get /entities/:kind/:namespace/:name/cost',              'other team',      403, '—'],
  ['get /entities/:kind/:namespace/:name/cost',              'finance',         200, '—'],
  ['get /entities/:kind/:namespace/:name/cost',              'owner',           200, '—'],
  ['get /cost/breakdown',                                    'unauthenticated', 401, '—'],
  ['get /cost/breakdown',                                    'service',         200, '—'],
  ['get /cost/breakdown',                                    'other team',      403, '—'],
  ['get /cost/breakdown',                                    'owner',           403, '—'],
  ['get /cost/breakdown',                                    'finance',         200, '—'],
  ['get /cost/unallocated',                                  'unauthenticated', 401, '—'],
  ['get /cost/unallocated',                                  'service',         200, '—'],
  ['get /cost/unallocated',                                  'other team',      403, '—'],
  ['get /cost/unallocated',                                  'owner',           403, '—'],
  ['get /cost/unallocated',                                  'finance',         200, '—'],
  ['get /cost/ingestion',                                    'unauthenticated', 401, '—'],
  ['get /cost/ingestion',                                    'service',         200, '—'],
  ['get /cost/ingestion',                                    'other team',      403, '—'],
  ['get /cost/ingestion',                                    'owner',           403, '—'],
  ['get /cost/ingestion',                                    'finance',         200, '—'],
  ['post /cost/ingestion',                                   'unauthenticated', 401, '—'],
  ['post /cost/ingestion',                                   'service',         403, 'cost-ingestion-start: failed: NotAllowedError'],
  ['post /cost/ingestion',                                   'other team',      403, 'cost-ingestion-start: failed: NotAllowedError'],
  ['post /cost/ingestion',                                   'owner',           403, 'cost-ingestion-start: failed: NotAllowedError'],
  ['post /cost/ingestion',                                   'finance',         202, 'cost-ingestion-start: succeeded'],
  ...READ_BY_ALL('get /entities/:kind/:namespace/:name/summary'),
  ...READ_BY_ALL('get /groups/:namespace/:name/summary'),
  ...READ_BY_ALL('get /entities/:kind/:namespace/:name/oncall'),
  ...READ_BY_ALL('get /groups/:namespace/:name/oncall-overrides'),
  ['post /groups/:namespace/:name/oncall-overrides',         'unauthenticated', 401, '—'],
  ['post /groups/:namespace/:name/oncall-overrides',         'service',         403, 'oncall-override-create: failed: NotAllowedError'],
  ['post /groups/:namespace/:name/oncall-overrides',         'other team',      403, 'oncall-override-create: failed: NotAllowedError'],
  ['post /groups/:namespace/:name/oncall-overrides',         'finance',         403, 'oncall-override-create: failed: NotAllowedError'],
  ['post /groups/:namespace/:name/oncall-overrides',         'owner',           201, 'oncall-override-create: succeeded'],
  ['delete /groups/:namespace/:name/oncall-overrides/:id',   'unauthenticated', 401, '—'],
  ['delete /groups/:namespace/:name/oncall-overrides/:id',   'service',         403, 'oncall-override-delete: failed: NotAllowedError'],
  ['delete /groups/:namespace/:name/oncall-overrides/:id',   'other team',      403, 'oncall-override-delete: failed: NotAllowedError'],
  ['delete /groups/:namespace/:name/oncall-overrides/:id',   'finance',         403, 'oncall-override-delete: failed: NotAllowedError'],
  ['delete /groups/:namespace/:name/oncall-overrides/:id',   'owner',           204, 'oncall-override-delete: succeeded'],
];

/**
 * The actions for AI agents. The actions registry's own HTTP endpoint
 * refuses unauthenticated callers before any action runs; the rows with
 * `unauthenticated` call the action directly with no principal, to show the
 * change actions still refuse it. "error" is the error name, or `ok`.
 */
type ActionRow = [
  action: string,
  principal: Principal,
  outcome: string,
  audit: string,
];

const ACTION_INPUTS: Record<string, object> = {
  'get-entity-summary': { entityRef: 'component:default/checkout' },
  'list-deployments': { entityRef: 'component:default/checkout' },
  'get-entity-cost': { entityRef: 'component:default/checkout' },
  'get-cost-breakdown': { groupBy: 'owner' },
  deploy: {
    entityRef: 'component:default/checkout',
    environment: 'staging',
    version: '1.0.0',
  },
  rollback: { deploymentId: 1 },
};

// prettier-ignore
const ACTION_MATRIX: ActionRow[] = [
  // action               principal          outcome             audit
  ['get-entity-summary', 'service',         'ok',               '—'],
  ['get-entity-summary', 'other team',      'ok',               '—'],
  ['get-entity-summary', 'finance',         'ok',               '—'],
  ['get-entity-summary', 'owner',           'ok',               '—'],
  ['list-deployments',   'service',         'ok',               '—'],
  ['list-deployments',   'other team',      'ok',               '—'],
  ['list-deployments',   'finance',         'ok',               '—'],
  ['list-deployments',   'owner',           'ok',               '—'],
  ['get-entity-cost',    'unauthenticated', 'NotAllowedError',  '—'],
  ['get-entity-cost',    'service',         'ok',               '—'],
  ['get-entity-cost',    'other team',      'NotAllowedError',  '—'],
  ['get-entity-cost',    'finance',         'ok',               '—'],
  ['get-entity-cost',    'owner',           'ok',               '—'],
  ['get-cost-breakdown', 'unauthenticated', 'NotAllowedError',  '—'],
  ['get-cost-breakdown', 'service',         'ok',               '—'],
  ['get-cost-breakdown', 'other team',      'NotAllowedError',  '—'],
  ['get-cost-breakdown', 'owner',           'NotAllowedError',  '—'],
  ['get-cost-breakdown', 'finance',         'ok',               '—'],
  ['deploy',             'unauthenticated', 'NotAllowedError',  'deployment-create: failed: NotAllowedError'],
  ['deploy',             'service',         'NotAllowedError',  'deployment-create: failed: NotAllowedError'],
  ['deploy',             'other team',      'NotAllowedError',  'deployment-create: failed: NotAllowedError'],
  ['deploy',             'finance',         'NotAllowedError',  'deployment-create: failed: NotAllowedError'],
  ['deploy',             'owner',           'ok',               'deployment-create: succeeded'],
  ['rollback',           'unauthenticated', 'NotAllowedError',  'deployment-rollback: failed: NotAllowedError'],
  ['rollback',           'service',         'NotAllowedError',  'deployment-rollback: failed: NotAllowedError'],
  ['rollback',           'other team',      'NotAllowedError',  'deployment-rollback: failed: NotAllowedError'],
  ['rollback',           'finance',         'NotAllowedError',  'deployment-rollback: failed: NotAllowedError'],
  ['rollback',           'owner',           'ok',               'deployment-rollback: succeeded'],
];

/**
 * Rows run in order on a backend shared by a group of routes. Reads share
 * one; changes are split so none sees another's effect (the deploy would
 * make the rollback's target current, the approval would leave nothing to
 * cancel), and within a route the one allowed row comes last.
 */
function backendOf([name]: [string, ...unknown[]]): string {
  if (['get ', 'get-', 'list-'].some(prefix => name.startsWith(prefix))) {
    return 'reads';
  }
  const undoing = [
    'post /deployments/:id/rollback',
    'post /deployments/:id/cancel',
    'delete /groups/:namespace/:name/oncall-overrides/:id',
    'rollback',
  ];
  return undoing.includes(name) ? 'rollback and undo' : 'create and approve';
}

function groupBy<T>(rows: T[], key: (row: T) => string): Array<[string, T[]]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    groups.set(key(row), [...(groups.get(key(row)) ?? []), row]);
  }
  return [...groups.entries()];
}

/** One row's outcome against a fresh view of the tables, deploy target and audit trail. */
async function expectRow(
  backend: OwnopsTestBackend,
  succeeded: boolean,
  audit: string,
  act: () => Promise<void>,
) {
  await settle(backend);
  const before = await snapshotTables(backend.knex);
  const deploysBefore = backend.target.calls.length;
  backend.auditor.createEvent.mockClear();
  await act();
  await settle(backend);
  const trail = (await auditTrail(backend.auditor)).map(
    e => `${e.eventId}: ${e.outcome}`,
  );
  expect(trail).toEqual(audit === '—' ? [] : [audit]);
  if (!succeeded) {
    expect(backend.target.calls.length).toBe(deploysBefore);
    expect(await snapshotTables(backend.knex)).toEqual(before);
  }
}

describe('permission matrix', () => {
  it('has rows for every route the router registers, for every principal', async () => {
    const routes = await registeredRoutes();
    expect(Object.keys(REQUESTS).sort()).toEqual(routes);
    for (const route of routes) {
      const principals = MATRIX.filter(([r]) => r === route).map(([, p]) => p);
      expect({ route, principals: [...principals].sort() }).toEqual({
        route,
        principals: expect.arrayContaining([
          'finance',
          'other team',
          'owner',
          'service',
          'unauthenticated',
        ]),
      });
    }
  });

  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    describe.each(groupBy(MATRIX, backendOf))('%s', (_group, rows) => {
      let backend: OwnopsTestBackend;

      beforeAll(async () => {
        backend = await startOwnopsTestBackend(
          await databases.init(databaseId),
        );
        await seedOwnopsTestBackend(backend);
      });

      it.each(rows)(
        '%s as %s → %i, audit %s',
        async (route, principal, status, audit) => {
          const [method, template] = route.split(' ');
          const { path, body } = REQUESTS[route];
          await expectRow(backend, status < 400, audit, async () => {
            let call = request(backend.server)
              [method as 'get'](`/api/ownops${path}`)
              .set('Authorization', authorizationOf(AS[principal]));
            if (body) call = call.send(body);
            const response = await call;
            expect({ template, status: response.status }).toEqual({
              template,
              status,
            });
          });
        },
      );

      it('reached the deploy target only through a deploy, rollback or approval allowed above', async () => {
        const seeded = 2;
        const deploying = rows.filter(
          ([route, , status]) =>
            DEPLOYING_ROUTES.includes(route) && status < 400,
        );
        expect(backend.target.calls.length).toBe(seeded + deploying.length);
      });
    });

    describe.each(groupBy(ACTION_MATRIX, backendOf))(
      'action %s',
      (_group, rows) => {
        let backend: OwnopsTestBackend;

        beforeAll(async () => {
          backend = await startOwnopsTestBackend(
            await databases.init(databaseId),
          );
          await seedOwnopsTestBackend(backend);
        });

        it.each(rows)(
          '%s as %s → %s, audit %s',
          async (action, principal, outcome, audit) => {
            await expectRow(backend, outcome === 'ok', audit, async () => {
              const result = await backend
                .invoke(action, ACTION_INPUTS[action], AS[principal])
                .then(
                  () => 'ok',
                  (error: Error) => error.name,
                );
              expect(result).toBe(outcome);
            });
            for (const [event] of backend.auditor.createEvent.mock.calls) {
              expect(event.meta).toMatchObject({
                actor: ACTORS[principal],
                via: 'actions-registry',
              });
            }
          },
        );

        it('reached the deploy target only through a deploy or rollback allowed above', async () => {
          const seeded = 2;
          const deploying = rows.filter(
            ([action, , outcome]) =>
              ['deploy', 'rollback'].includes(action) && outcome === 'ok',
          );
          expect(backend.target.calls.length).toBe(seeded + deploying.length);
        });
      },
    );

    it('covers every action the plugin registers', async () => {
      const backend = await startOwnopsTestBackend(
        await databases.init(databaseId),
      );
      const { actions } = await backend.registry.list();
      expect(actions.map(a => a.name).sort()).toEqual(
        Object.keys(ACTION_INPUTS).sort(),
      );
      expect([...new Set(ACTION_MATRIX.map(([a]) => a))].sort()).toEqual(
        Object.keys(ACTION_INPUTS).sort(),
      );
    });
  });
});
