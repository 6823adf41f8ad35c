import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { ownopsPlugin } from './plugin';

jest.setTimeout(60_000);

const OWNER = 'user:default/alice';
const TEAMMATE = 'user:default/carol';
const OUTSIDER = 'user:default/bob';

const checkout: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout',
    namespace: 'default',
    annotations: {
      'ownops.io/environments': 'staging,production',
      'ownops.io/deploy-target': 'local',
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/team-checkout',
  },
};

const bare: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'bare', namespace: 'default' },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/team-checkout',
  },
};

const deployScript = `
  console.log('deploying ' + process.env.OWNOPS_ENTITY_NAME + ' ' + process.env.OWNOPS_VERSION + ' to ' + process.env.OWNOPS_ENVIRONMENT);
`;

describe('ownops backend plugin', () => {
  const auditor = mockServices.auditor.mock();

  async function startBackend() {
    const permissions = mockServices.permissions.mock({
      authorize: async (requests, options) => {
        const principal = options?.credentials.principal as {
          userEntityRef?: string;
        };
        const allowed = principal.userEntityRef !== OUTSIDER;
        return requests.map(() => ({
          result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
        }));
      },
    });
    const { server } = await startTestBackend({
      features: [
        ownopsPlugin,
        catalogServiceMock.factory({ entities: [checkout, bare] }),
        permissions.factory,
        auditor.factory,
        mockServices.rootConfig.factory({
          data: {
            ownops: {
              deploy: { protectedEnvironments: ['production'] },
              commandTargets: [
                {
                  id: 'local',
                  command: [process.execPath, '-e', deployScript],
                  versionsCommand: [
                    process.execPath,
                    '-e',
                    'console.log("1.1.0\\tnewest\\n1.0.0")',
                  ],
                },
              ],
            },
          },
        }),
      ],
    });
    return server;
  }

  const as = (user: string) => ({
    Authorization: mockCredentials.user.header(user),
  });

  async function waitForStatus(server: unknown, id: number, status: string) {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const res = await request(server as any)
        .get(`/api/ownops/deployments/${id}`)
        .set(as(OWNER));
      if (res.body.status === status) return res.body;
      if (Date.now() > deadline) {
        throw new Error(
          `deployment ${id} is ${res.body.status}, expected ${status}`,
        );
      }
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  }

  beforeEach(() => jest.clearAllMocks());

  it('lists environments and versions', async () => {
    const server = await startBackend();
    const environments = await request(server)
      .get('/api/ownops/entities/component/default/checkout/environments')
      .set(as(OWNER));
    expect(environments.status).toBe(200);
    expect(environments.body).toEqual({
      entityRef: 'component:default/checkout',
      environments: [
        expect.objectContaining({
          name: 'staging',
          targetId: 'local',
          targetType: 'command',
          protected: false,
          rollbackCandidates: [],
        }),
        expect.objectContaining({ name: 'production', protected: true }),
      ],
    });

    const versions = await request(server)
      .get(
        '/api/ownops/entities/component/default/checkout/environments/staging/versions',
      )
      .set(as(OWNER));
    expect(versions.body).toEqual({
      listed: true,
      versions: [
        { version: '1.1.0', description: 'newest' },
        { version: '1.0.0' },
      ],
    });
  });

  it('deploys, records logs and history, and rolls back to an earlier version', async () => {
    const server = await startBackend();
    const deploy = (version: string) =>
      request(server)
        .post('/api/ownops/entities/component/default/checkout/deployments')
        .set(as(OWNER))
        .send({ environment: 'staging', version, reason: 'release' });

    const first = await deploy('1.0.0');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      entityRef: 'component:default/checkout',
      environment: 'staging',
      version: '1.0.0',
      kind: 'deploy',
      requestedBy: OWNER,
      reason: 'release',
    });
    await waitForStatus(server, first.body.id, 'succeeded');
    const second = await deploy('1.1.0');
    await waitForStatus(server, second.body.id, 'succeeded');

    const logs = await request(server)
      .get(`/api/ownops/deployments/${second.body.id}/logs`)
      .set(as(OWNER));
    expect(logs.body.finished).toBe(true);
    expect(
      logs.body.lines.map((l: { message: string }) => l.message),
    ).toContain('deploying checkout 1.1.0 to staging');

    const rollback = await request(server)
      .post(`/api/ownops/deployments/${first.body.id}/rollback`)
      .set(as(OWNER))
      .send({});
    expect(rollback.status).toBe(201);
    expect(rollback.body).toMatchObject({
      kind: 'rollback',
      version: '1.0.0',
      rollbackOf: second.body.id,
      rollbackTo: first.body.id,
    });
    await waitForStatus(server, rollback.body.id, 'succeeded');

    const environments = await request(server)
      .get('/api/ownops/entities/component/default/checkout/environments')
      .set(as(OWNER));
    const staging = environments.body.environments[0];
    expect(staging.current).toMatchObject({
      id: rollback.body.id,
      version: '1.0.0',
    });
    expect(
      staging.rollbackCandidates.map((d: { version: string }) => d.version),
    ).toEqual(['1.1.0']);

    const history = await request(server)
      .get(
        '/api/ownops/entities/component/default/checkout/deployments?limit=2',
      )
      .set(as(OWNER));
    expect(history.body.items.map((d: { id: number }) => d.id)).toEqual([
      rollback.body.id,
      second.body.id,
    ]);
    const older = await request(server)
      .get(
        `/api/ownops/entities/component/default/checkout/deployments?limit=2&cursor=${history.body.nextCursor}`,
      )
      .set(as(OWNER));
    expect(older.body.items.map((d: { id: number }) => d.id)).toEqual([
      first.body.id,
    ]);

    const stats = await request(server)
      .get(
        '/api/ownops/entities/component/default/checkout/deployment-stats?days=7',
      )
      .set(as(OWNER));
    expect(stats.body.environments[0]).toMatchObject({
      environment: 'staging',
      succeeded: 3,
      failed: 0,
      changeFailureRate: 0,
    });

    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({ eventId: 'deployment-rollback' }),
    );
  });

  it('holds production for approval by someone else and refuses a second request with 409', async () => {
    const server = await startBackend();
    const first = await request(server)
      .post('/api/ownops/entities/component/default/checkout/deployments')
      .set(as(OWNER))
      .set('Idempotency-Key', 'release-42')
      .send({ environment: 'production', version: '1.1.0' });
    expect(first.status).toBe(201);
    expect(first.body.status).toBe('awaiting_approval');

    const replay = await request(server)
      .post('/api/ownops/entities/component/default/checkout/deployments')
      .set(as(OWNER))
      .set('Idempotency-Key', 'release-42')
      .send({ environment: 'production', version: '1.1.0' });
    expect(replay.status).toBe(200);
    expect(replay.body.id).toBe(first.body.id);

    const conflict = await request(server)
      .post('/api/ownops/entities/component/default/checkout/deployments')
      .set(as(TEAMMATE))
      .send({ environment: 'production', version: '1.0.0' });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.message).toContain(
      `Deployment #${first.body.id} of 1.1.0 to production is awaiting approval`,
    );

    const selfApproval = await request(server)
      .post(`/api/ownops/deployments/${first.body.id}/approve`)
      .set(as(OWNER))
      .send({});
    expect(selfApproval.status).toBe(409);
    expect(selfApproval.body.error.message).toMatch(
      /someone other than the requester/,
    );

    const approval = await request(server)
      .post(`/api/ownops/deployments/${first.body.id}/approve`)
      .set(as(TEAMMATE))
      .send({});
    expect(approval.status).toBe(200);
    expect(approval.body.approvedBy).toBe(TEAMMATE);
    await waitForStatus(server, first.body.id, 'succeeded');
  });

  it('refuses users without the permission, audits the denial and writes nothing', async () => {
    const server = await startBackend();
    const denied = await request(server)
      .post('/api/ownops/entities/component/default/checkout/deployments')
      .set(as(OUTSIDER))
      .send({ environment: 'staging', version: '1.0.0' });
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain('ownops.deployment.create');

    const history = await request(server)
      .get('/api/ownops/entities/component/default/checkout/deployments')
      .set(as(OWNER));
    expect(history.body.items).toEqual([]);

    const event = auditor.createEvent.mock.results[0].value;
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({ eventId: 'deployment-create' }),
    );
    expect((await event).fail).toHaveBeenCalled();
  });

  it.each([
    [
      'an unknown environment',
      'checkout',
      { environment: 'qa', version: '1.0.0' },
      400,
      'environment: "qa" is not one of component:default/checkout\'s environments',
    ],
    [
      'a malformed version',
      'checkout',
      { environment: 'staging', version: '1.0; rm -rf /' },
      400,
      'Invalid deployment request: version may only contain',
    ],
    [
      'a missing version',
      'checkout',
      { environment: 'staging' },
      400,
      'version is required',
    ],
    [
      'an unknown field',
      'checkout',
      { environment: 'staging', version: '1.0.0', target: 'other' },
      400,
      'unknown field(s) target',
    ],
    [
      'a version the target does not offer',
      'checkout',
      { environment: 'staging', version: '9.9.9' },
      400,
      'version: "9.9.9" is not a version that deploy target "local" offers for staging (newest: 1.1.0, 1.0.0)',
    ],
    [
      'an unknown entity',
      'nope',
      { environment: 'staging', version: '1.0.0' },
      404,
      'component:default/nope was not found in the catalog',
    ],
    [
      'an entity without annotations',
      'bare',
      { environment: 'staging', version: '1.0.0' },
      400,
      'add the annotation(s) ownops.io/environments',
    ],
  ])(
    'refuses %s with a 4xx naming the problem',
    async (_, name, body, status, message) => {
      const server = await startBackend();
      const res = await request(server)
        .post(`/api/ownops/entities/component/default/${name}/deployments`)
        .set(as(OWNER))
        .send(body);
      expect(res.status).toBe(status);
      expect(res.body.error.message).toContain(message);
      const history = await request(server)
        .get('/api/ownops/entities/component/default/checkout/deployments')
        .set(as(OWNER));
      expect(history.body.items).toEqual([]);
    },
  );

  it('refuses an oversized body with 413', async () => {
    const server = await startBackend();
    const res = await request(server)
      .post('/api/ownops/entities/component/default/checkout/deployments')
      .set(as(OWNER))
      .send({
        environment: 'staging',
        version: '1.0.0',
        reason: 'x'.repeat(20_000),
      });
    expect(res.status).toBe(413);
  });

  it('refuses a rollback to a deployment that did not succeed', async () => {
    const server = await startBackend();
    const pending = await request(server)
      .post('/api/ownops/entities/component/default/checkout/deployments')
      .set(as(OWNER))
      .send({ environment: 'production', version: '1.0.0' });
    const res = await request(server)
      .post(`/api/ownops/deployments/${pending.body.id}/rollback`)
      .set(as(OWNER))
      .send({});
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      `Deployment #${pending.body.id} is awaiting_approval; only a successful deployment can be restored`,
    );
  });
});
