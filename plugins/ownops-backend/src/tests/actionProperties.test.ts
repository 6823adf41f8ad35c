import fc from 'fast-check';
import { unlessClientError } from '@ownops/backstage-plugin-node/testUtils';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import {
  hostileJson,
  hostileRecord,
  hostileString,
  propertyParameters,
} from '../__testUtils__/hostileInput';
import {
  OwnopsTestBackend,
  PEOPLE,
  seedOwnopsTestBackend,
  settle,
  snapshotTables,
  startOwnopsTestBackend,
} from '../__testUtils__/startOwnopsTestBackend';

jest.setTimeout(600_000);

/**
 * Errors the actions registry answers with a 4xx: anything else (a
 * TypeError, a database error) is a 500 to the agent.
 */
const entityRef = fc.constantFrom(
  'component:default/checkout',
  'Component:Default/checkout',
  'group:default/team-checkout',
  'component:default/missing',
  'checkout',
  'component:checkout',
);
const day = fc
  .date({
    min: new Date('1990-01-01T00:00:00Z'),
    max: new Date('2100-01-01T00:00:00Z'),
    noInvalidDate: true,
  })
  .map(d => d.toISOString().slice(0, 10));

/** Every action with the fields of a plausible input; the property mixes hostile values in. */
const ACTIONS: Record<string, Record<string, fc.Arbitrary<unknown>>> = {
  'get-entity-summary': { entityRef },
  'list-deployments': {
    entityRef,
    environment: fc.constantFrom('staging', 'production'),
    status: fc.constantFrom('succeeded', 'failed'),
    limit: fc.integer({ min: -5, max: 200 }),
    cursor: fc.integer({ min: -5, max: 10 }).map(String),
  },
  'get-entity-cost': {
    entityRef,
    from: day,
    to: day,
    environment: fc.constantFrom('staging', 'production'),
  },
  'get-cost-breakdown': {
    groupBy: fc.constantFrom('owner', 'costCenter', 'service', 'environment'),
    from: day,
    to: day,
    costCenter: fc.constantFrom('cc-1001'),
    owner: fc.constantFrom('group:default/team-checkout'),
  },
  deploy: {
    entityRef,
    environment: fc.constantFrom('staging', 'production'),
    version: fc.constantFrom('1.0.0', '1.1.0', '2.0.0'),
    reason: hostileString,
    idempotencyKey: fc.constantFrom('key-1', 'key-2'),
  },
  rollback: {
    deploymentId: fc.oneof(
      fc.constantFrom(1, 2, 3, 4),
      fc.integer(),
      fc.constantFrom(Number.MAX_SAFE_INTEGER, 2 ** 63, -1, 0),
    ),
    reason: hostileString,
  },
};

const principal = fc.constantFrom(
  PEOPLE.owner,
  PEOPLE.owner,
  PEOPLE.secondOwner,
  PEOPLE.finance,
  PEOPLE.otherTeam,
  'service',
);

const input = (fields: Record<string, fc.Arbitrary<unknown>>) =>
  fc.oneof(
    { weight: 6, arbitrary: hostileRecord(fields) },
    { weight: 1, arbitrary: hostileJson },
  );

describe('every action for AI agents under hostile input', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let backend: OwnopsTestBackend;

    beforeAll(async () => {
      backend = await startOwnopsTestBackend(await databases.init(databaseId));
      await seedOwnopsTestBackend(backend);
    });

    it('covers every action the plugin registers', async () => {
      const { actions } = await backend.registry.list();
      expect(actions.map(a => a.name).sort()).toEqual(
        Object.keys(ACTIONS).sort(),
      );
    });

    it.each(Object.entries(ACTIONS))(
      '%s: only client errors, and a refused call writes nothing and deploys nothing',
      async (action, fields) => {
        await fc.assert(
          fc.asyncProperty(input(fields), principal, async (value, as) => {
            await settle(backend);
            const before = await snapshotTables(backend.knex);
            const deploysBefore = backend.target.calls.length;
            const error = await backend.invoke(action, value, as).then(
              () => undefined,
              (e: Error) => e,
            );
            expect(unlessClientError(error)).toBeUndefined();
            expect({
              deployCalls: error
                ? backend.target.calls.length - deploysBefore
                : 0,
              tables: error ? await snapshotTables(backend.knex) : before,
            }).toEqual({ deployCalls: 0, tables: before });
          }),
          propertyParameters(50),
        );
      },
    );
  });
});
