import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { ownopsPlugin } from '../plugin';

jest.setTimeout(60_000);

const OWNER = 'user:default/alice';
const OUTSIDER = 'user:default/bob';
const FINANCE = 'user:default/fiona';

const checkout: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout',
    namespace: 'default',
    annotations: {
      'ownops.io/environments': 'staging',
      'ownops.io/deploy-target': 'local',
    },
  },
  spec: { type: 'service', owner: 'group:default/team-checkout' },
};

/** The owner acts on checkout; finance reads all cost; the outsider nothing. */
function decide(user: string | undefined, permission: string) {
  if (user === OWNER && permission.startsWith('ownops.deployment.')) {
    return AuthorizeResult.ALLOW;
  }
  if (user === OWNER && permission === 'ownops.cost.read') {
    return AuthorizeResult.ALLOW;
  }
  if (user === FINANCE && permission === 'ownops.cost.readAll') {
    return AuthorizeResult.ALLOW;
  }
  return AuthorizeResult.DENY;
}

describe('Ownops actions for AI agents', () => {
  const auditor = mockServices.auditor.mock();

  async function start() {
    const registry = actionsRegistryServiceMock();
    const permissions = mockServices.permissions.mock({
      authorize: async (requests, options) => {
        const user = (
          options?.credentials.principal as { userEntityRef?: string }
        ).userEntityRef;
        return requests.map(r => ({ result: decide(user, r.permission.name) }));
      },
    });
    const { server } = await startTestBackend({
      features: [
        ownopsPlugin,
        createServiceFactory({
          service: actionsRegistryServiceRef,
          deps: {},
          factory: () => registry,
        }),
        catalogServiceMock.factory({ entities: [checkout] }),
        permissions.factory,
        auditor.factory,
        mockServices.rootConfig.factory({
          data: {
            ownops: {
              commandTargets: [
                {
                  id: 'local',
                  command: [process.execPath, '-e', 'console.log("ok")'],
                  versionsCommand: [
                    process.execPath,
                    '-e',
                    'console.log("1.1.0\\n1.0.0")',
                  ],
                },
              ],
            },
          },
        }),
      ],
    });
    const invoke = (name: string, input: object, user?: string) =>
      registry.invoke({
        id: `test:${name}`,
        input: input as any,
        credentials: user
          ? mockCredentials.user(user)
          : mockCredentials.service(),
      });
    return { server, invoke, registry };
  }

  beforeEach(() => jest.clearAllMocks());

  it('registers the read and change actions', async () => {
    const { registry } = await start();
    const { actions } = await registry.list();
    expect(actions.map(a => a.name).sort()).toEqual([
      'deploy',
      'get-cost-breakdown',
      'get-entity-cost',
      'get-entity-summary',
      'list-deployments',
      'rollback',
    ]);
  });

  it('lets an agent deploy exactly when the user may, with the same audit event as the route', async () => {
    const { server, invoke } = await start();
    const input = {
      entityRef: 'component:default/checkout',
      environment: 'staging',
      version: '1.0.0',
    };

    await expect(invoke('deploy', input, OUTSIDER)).rejects.toThrow(
      /ownops\.deployment\.create/,
    );
    const denied = await request(server)
      .post('/api/ownops/entities/component/default/checkout/deployments')
      .set('Authorization', mockCredentials.user.header(OUTSIDER))
      .send({ environment: 'staging', version: '1.0.0' });
    expect(denied.status).toBe(403);
    const denials = auditor.createEvent.mock.calls.filter(
      ([o]) => o.eventId === 'deployment-create',
    );
    expect(denials).toHaveLength(2);

    await expect(invoke('deploy', input)).rejects.toThrow(/user credentials/);
    await expect(
      invoke('deploy', { ...input, version: '../1' }, OWNER),
    ).rejects.toThrow(/version/);

    const { output } = await invoke('deploy', input, OWNER);
    expect(output).toMatchObject({
      created: true,
      deployment: {
        entityRef: 'component:default/checkout',
        environment: 'staging',
        version: '1.0.0',
        requestedBy: OWNER,
      },
    });
    expect(auditor.createEvent).toHaveBeenLastCalledWith(
      expect.objectContaining({
        eventId: 'deployment-create',
        meta: expect.objectContaining({
          actor: OWNER,
          via: 'actions-registry',
        }),
      }),
    );
    const listed = await invoke(
      'list-deployments',
      { entityRef: 'component:default/checkout' },
      OUTSIDER,
    );
    expect((listed.output as any).items).toHaveLength(1);

    const summary = await invoke(
      'get-entity-summary',
      { entityRef: 'component:default/checkout' },
      OUTSIDER,
    );
    // The outsider sees the entity and its deploys, not its cost.
    expect(summary.output).toMatchObject({
      entityRef: 'component:default/checkout',
      deployments: { status: 'ok' },
      cost: { status: 'error', error: expect.stringContaining('cost') },
      oncall: { status: 'ok' },
    });
    const rest = await request(server)
      .get('/api/ownops/entities/component/default/checkout/summary')
      .set('Authorization', mockCredentials.user.header(OUTSIDER));
    expect(rest.status).toBe(200);
    expect(rest.body.cost.status).toBe('error');
  });

  it('lets an agent roll back exactly when the user may', async () => {
    const { server, invoke } = await start();
    const deploy = async (version: string) => {
      const deployed = await invoke(
        'deploy',
        {
          entityRef: 'component:default/checkout',
          environment: 'staging',
          version,
        },
        OWNER,
      );
      const deploymentId = (deployed.output as any).deployment.id as number;
      for (let i = 0; i < 200; i++) {
        const status = await request(server)
          .get(`/api/ownops/deployments/${deploymentId}`)
          .set('Authorization', mockCredentials.user.header(OWNER));
        if (status.body.status === 'succeeded') break;
        await new Promise(r => setTimeout(r, 50));
      }
      return deploymentId;
    };
    const id = await deploy('1.0.0');
    await deploy('1.1.0');

    await expect(
      invoke('rollback', { deploymentId: id }, OUTSIDER),
    ).rejects.toThrow(/ownops\.deployment\.rollback/);
    const denied = await request(server)
      .post(`/api/ownops/deployments/${id}/rollback`)
      .set('Authorization', mockCredentials.user.header(OUTSIDER))
      .send({});
    expect(denied.status).toBe(403);
    const rollbackEvents = auditor.createEvent.mock.calls.filter(
      ([o]) => o.eventId === 'deployment-rollback',
    );
    expect(rollbackEvents).toHaveLength(2);
    await expect(invoke('rollback', { deploymentId: id })).rejects.toThrow(
      /user credentials/,
    );

    const { output } = await invoke(
      'rollback',
      { deploymentId: id, reason: 'agent test' },
      OWNER,
    );
    expect(output).toMatchObject({
      kind: 'rollback',
      version: '1.0.0',
      rollbackTo: id,
      requestedBy: OWNER,
    });
  });

  it('reads cost with the same permissions as the routes', async () => {
    const { server, invoke } = await start();
    await expect(
      invoke('get-cost-breakdown', { groupBy: 'owner' }, OWNER),
    ).rejects.toThrow(/ownops\.cost\.readAll/);
    const rest = await request(server)
      .get('/api/ownops/cost/breakdown?groupBy=owner')
      .set('Authorization', mockCredentials.user.header(OWNER));
    expect(rest.status).toBe(403);

    const breakdown = await invoke(
      'get-cost-breakdown',
      { groupBy: 'owner' },
      FINANCE,
    );
    expect(breakdown.output).toMatchObject({ groupBy: 'owner', rows: [] });
    const cost = await invoke(
      'get-entity-cost',
      { entityRef: 'component:default/checkout' },
      OWNER,
    );
    expect(cost.output).toMatchObject({
      entityRef: 'component:default/checkout',
      totals: [],
    });
    await expect(
      invoke(
        'get-entity-cost',
        { entityRef: 'component:default/checkout' },
        OUTSIDER,
      ),
    ).rejects.toThrow(/ownops\.cost\.read/);
    await expect(
      invoke('get-cost-breakdown', { groupBy: 'planet' }, FINANCE),
    ).rejects.toThrow();
  });
});
