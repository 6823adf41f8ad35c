import {
  AuditorService,
  BackstageCredentials,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import {
  mockCredentials,
  mockServices,
  ServiceMock,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import { permissionRules } from '@backstage/plugin-catalog-backend/alpha';
import {
  DeployRequest,
  DeployTarget,
  ownopsDeployTargetsExtensionPoint,
} from '@ownops/backstage-plugin-node';
import { Knex } from 'knex';
import request from 'supertest';
// The example portal's policy, so the decisions under test are the ones the
// portal ships with, not a copy of them.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { OwnopsExamplePolicy } from '../../../../packages/backend/src/permissions/OwnopsExamplePolicy';
import { ownopsPlugin } from '../plugin';

/** The people of the test organisation. */
export const PEOPLE = {
  /** Member of team-checkout, which owns `checkout`. */
  owner: 'user:default/alice',
  /** A second member of team-checkout: requests the production deploy the owner approves. */
  secondOwner: 'user:default/carol',
  /** Member of team-other, which owns nothing here. */
  otherTeam: 'user:default/bob',
  /** Member of the finance group: reads all cost, starts ingestion. */
  finance: 'user:default/frank',
} as const;

const GROUP_OF: Record<string, string> = {
  [PEOPLE.owner]: 'group:default/team-checkout',
  [PEOPLE.secondOwner]: 'group:default/team-checkout',
  [PEOPLE.otherTeam]: 'group:default/team-other',
  [PEOPLE.finance]: 'group:default/finance',
};

/** The versions the recording target offers, newest first. */
export const OFFERED_VERSIONS = ['1.1.0', '1.0.0'];

function user(ref: string): Entity {
  const name = ref.split('/')[1];
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: { memberOf: [GROUP_OF[ref]] },
    relations: [{ type: 'memberOf', targetRef: GROUP_OF[ref] }],
  };
}

function group(name: string): Entity {
  const ref = `group:default/${name}`;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations: Object.entries(GROUP_OF)
      .filter(([, groupRef]) => groupRef === ref)
      .map(([userRef]) => ({ type: 'hasMember', targetRef: userRef })),
  };
}

/** `checkout`, owned by team-checkout, deployable to staging and production. */
export const checkout: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout',
    namespace: 'default',
    annotations: {
      'ownops.io/environments': 'staging,production',
      'ownops.io/deploy-target': 'recording',
    },
  },
  spec: { type: 'service', owner: 'group:default/team-checkout' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-checkout' }],
};

export const testEntities: Entity[] = [
  checkout,
  group('team-checkout'),
  group('team-other'),
  group('finance'),
  ...Object.keys(GROUP_OF).map(user),
];

/** A deploy target that records every call and succeeds at once. */
export class RecordingTarget implements DeployTarget {
  readonly id = 'recording';
  readonly type = 'test';
  readonly calls: DeployRequest[] = [];

  async deploy(deployRequest: DeployRequest) {
    this.calls.push(deployRequest);
    return { state: 'succeeded' as const };
  }

  async listVersions() {
    return OFFERED_VERSIONS.map(version => ({ version }));
  }
}

const ownershipOf = (userRef: string) => [userRef, GROUP_OF[userRef]];

const userInfo = mockServices.userInfo.mock({
  getUserInfo: async credentials => {
    const { userEntityRef } = credentials.principal as {
      userEntityRef: string;
    };
    return { userEntityRef, ownershipEntityRefs: ownershipOf(userEntityRef) };
  },
});

const policy = new OwnopsExamplePolicy(userInfo);
const applyConditions = createConditionAuthorizer(
  Object.values(permissionRules),
);

/**
 * The permission framework as a backend sees it: a service principal
 * without access restrictions is allowed everything (as
 * ServerPermissionClient decides), a user is decided by the example portal's
 * OwnopsExamplePolicy, and its conditional decisions are applied to the
 * catalog entity with the catalog's own permission rules (isEntityOwner).
 */
function policyPermissions() {
  const entities = new Map(
    testEntities.map(e => [
      `${e.kind}:${e.metadata.namespace}/${e.metadata.name}`.toLocaleLowerCase(
        'en-US',
      ),
      e,
    ]),
  );
  return mockServices.permissions.mock({
    authorize: async (requests, options) => {
      const credentials = options?.credentials as BackstageCredentials;
      const principal = credentials.principal as { type: string };
      if (principal.type === 'service') {
        return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
      }
      return Promise.all(
        requests.map(async query => {
          const decision = await policy.handle(
            { permission: query.permission },
            principal.type === 'user' ? ({ credentials } as any) : undefined,
          );
          if (decision.result !== AuthorizeResult.CONDITIONAL) {
            return { result: decision.result };
          }
          const ref = (query as { resourceRef?: string }).resourceRef;
          const entity = ref
            ? entities.get(ref.toLocaleLowerCase('en-US'))
            : undefined;
          return {
            result: applyConditions(decision, entity)
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
          };
        }),
      );
    },
  });
}

export interface OwnopsTestBackend {
  server: import('http').Server;
  knex: Knex;
  auditor: ServiceMock<AuditorService>;
  target: RecordingTarget;
  registry: ReturnType<typeof actionsRegistryServiceMock>;
  /** Invokes an MCP action as a user, as a service (`'service'`) or as nobody (`'none'`). */
  invoke(name: string, input: unknown, as: string): Promise<unknown>;
}

/**
 * The Ownops backend on a test database, with the test organisation in the
 * catalog, the example portal's permission policy, a recording deploy
 * target, a mock auditor and no scheduled work (so tables change only
 * through requests).
 */
export async function startOwnopsTestBackend(
  knex: Knex,
): Promise<OwnopsTestBackend> {
  const auditor = mockServices.auditor.mock();
  const target = new RecordingTarget();
  const registry = actionsRegistryServiceMock();
  const permissions = policyPermissions();
  const { server } = await startTestBackend({
    features: [
      ownopsPlugin,
      createBackendModule({
        pluginId: 'ownops',
        moduleId: 'recording-target',
        register(env) {
          env.registerInit({
            deps: { targets: ownopsDeployTargetsExtensionPoint },
            async init({ targets }) {
              targets.addDeployTarget(target);
            },
          });
        },
      }),
      createServiceFactory({
        service: actionsRegistryServiceRef,
        deps: {},
        factory: () => registry,
      }),
      mockServices.database.factory({ knex }),
      mockServices.scheduler.mock().factory,
      catalogServiceMock.factory({ entities: testEntities }),
      permissions.factory,
      userInfo.factory,
      auditor.factory,
      mockServices.rootConfig.factory({
        data: { ownops: { deploy: { protectedEnvironments: ['production'] } } },
      }),
    ],
  });
  return {
    server,
    knex,
    auditor,
    target,
    registry,
    invoke: async (name, input, as) =>
      (
        await registry.invoke({
          id: `test:${name}`,
          input: input as any,
          credentials: credentialsOf(as),
        })
      ).output,
  };
}

export function credentialsOf(as: string): BackstageCredentials {
  if (as === 'service') return mockCredentials.service();
  if (as === 'none') return mockCredentials.none();
  return mockCredentials.user(as);
}

/** The Authorization header of a user, a service (`'service'`) or nobody (`'none'`). */
export function authorizationOf(as: string): string {
  if (as === 'service') return mockCredentials.service.header();
  if (as === 'none') return mockCredentials.none.header();
  return mockCredentials.user.header(as);
}

/** Every ownops_* table with its rows in a stable order, to compare before and after. */
export async function snapshotTables(
  knex: Knex,
): Promise<Record<string, string[]>> {
  const client = knex.client.config.client as string;
  const names: string[] = client.includes('sqlite')
    ? (
        await knex('sqlite_master')
          .where('type', 'table')
          .andWhere('name', 'like', 'ownops%')
          .select('name')
      ).map((r: { name: string }) => r.name)
    : (
        await knex('information_schema.tables')
          .whereRaw('table_schema = current_schema()')
          .andWhere('table_name', 'like', 'ownops%')
          .select('table_name')
      ).map((r: { table_name: string }) => r.table_name);
  const snapshot: Record<string, string[]> = {};
  for (const name of names.sort()) {
    const rows = await knex(name).select();
    snapshot[name] = rows.map(row => JSON.stringify(row)).sort();
  }
  return snapshot;
}

/** The audit events recorded so far: id, outcome and the error's name when it failed. */
export async function auditTrail(auditor: ServiceMock<AuditorService>) {
  return Promise.all(
    auditor.createEvent.mock.calls.map(async ([options], index) => {
      const event = await auditor.createEvent.mock.results[index].value;
      const failure = event.fail.mock.calls[0]?.[0]?.error as Error | undefined;
      let outcome = 'open';
      if (event.success.mock.calls.length) outcome = 'succeeded';
      if (failure) outcome = `failed: ${failure.name}`;
      return { eventId: options.eventId, outcome };
    }),
  );
}

/**
 * Deployments 1 and 2 succeeded on staging (1.0.0 then 1.1.0, by the owner),
 * deployment 3 of 1.0.0 to production, requested by the second owner, awaits
 * approval; on-call override 1 of team-checkout exists; no budget is set.
 */
export async function seedOwnopsTestBackend(backend: OwnopsTestBackend) {
  const deploy = async (environment: string, version: string, as: string) => {
    const response = await request(backend.server)
      .post('/api/ownops/entities/component/default/checkout/deployments')
      .set('Authorization', authorizationOf(as))
      .send({ environment, version });
    if (response.status !== 201) {
      throw new Error(`Seed deploy failed: ${JSON.stringify(response.body)}`);
    }
    await settle(backend);
  };
  await deploy('staging', '1.0.0', PEOPLE.owner);
  await deploy('staging', '1.1.0', PEOPLE.owner);
  await deploy('production', '1.0.0', PEOPLE.secondOwner);
  const override = await request(backend.server)
    .post('/api/ownops/groups/default/team-checkout/oncall-overrides')
    .set('Authorization', authorizationOf(PEOPLE.owner))
    .send({
      userRef: PEOPLE.owner,
      start: '2099-01-01T00:00:00Z',
      end: '2099-01-02T00:00:00Z',
    });
  if (override.status !== 201) {
    throw new Error(`Seed override failed: ${JSON.stringify(override.body)}`);
  }
  backend.auditor.createEvent.mockClear();
}

/** Waits until no deployment is queued or running, so tables change only through the next request. */
export async function settle(backend: OwnopsTestBackend) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const busy = await backend
      .knex('ownops_deployments')
      .whereIn('status', ['queued', 'running'])
      .count({ n: '*' })
      .first();
    if (Number(busy?.n) === 0) return;
    if (Date.now() > deadline) {
      throw new Error('Deployments still queued or running after 60 s');
    }
    await new Promise(r => setTimeout(r, 20));
  }
}
