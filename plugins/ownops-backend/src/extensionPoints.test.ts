import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  CostRecord,
  DeploymentListener,
  ownopsCostSourcesExtensionPoint,
  ownopsDeploymentListenersExtensionPoint,
  ownopsDeployTargetsExtensionPoint,
  ownopsOnCallProvidersExtensionPoint,
} from '@ownops/backstage-plugin-node';
import request from 'supertest';
import { ownopsPlugin } from './plugin';

jest.setTimeout(60_000);

const record: CostRecord = {
  chargePeriodStart: '2026-11-02T00:00:00.000Z',
  chargePeriodEnd: '2026-11-03T00:00:00.000Z',
  billedCost: '2.5',
  effectiveCost: '2.25',
  billingCurrency: 'USD',
  serviceCategory: 'Compute',
  serviceName: 'Example',
  chargeCategory: 'Usage',
  tags: { 'backstage-entity': 'checkout', owner: 'team-checkout' },
  source: {},
};

const providerModule = (sourceId: string) =>
  createBackendModule({
    pluginId: 'ownops',
    moduleId: `providers-${sourceId}`,
    register(reg) {
      reg.registerInit({
        deps: {
          costSources: ownopsCostSourcesExtensionPoint,
          onCall: ownopsOnCallProvidersExtensionPoint,
        },
        async init({ costSources, onCall }) {
          costSources.addCostSource({
            id: sourceId,
            async *read() {
              yield record;
              yield { ...record, billedCost: '-0.5', effectiveCost: '-0.5' };
            },
          });
          onCall.addOnCallProvider({
            id: `oncall-${sourceId}`,
            appliesTo: () => false,
            getOnCall: async () => ({ now: [] }),
          });
        },
      });
    },
  });

const features = (...sourceIds: string[]) => [
  ownopsPlugin,
  ...sourceIds.map(providerModule),
  catalogServiceMock.factory({
    entities: [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'checkout', namespace: 'default' },
        spec: { owner: 'group:default/team-checkout' },
      },
    ],
  }),
  mockServices.permissions.factory(),
  mockServices.rootConfig.factory({ data: {} }),
];

describe('ownops extension points', () => {
  it('ingests a cost source added by a module', async () => {
    const { server } = await startTestBackend({
      features: features('billing-api'),
    });
    const as = { Authorization: mockCredentials.user.header() };
    const started = await request(server)
      .post('/api/ownops/cost/ingestion')
      .set(as)
      .send({});
    expect(started.status).toBe(202);
    let run;
    for (let i = 0; i < 100; i++) {
      const status = await request(server)
        .get('/api/ownops/cost/ingestion')
        .set(as);
      run = status.body.sources[0].lastRun;
      if (run?.status !== 'running') break;
      await new Promise(r => setTimeout(r, 50));
    }
    expect(run).toMatchObject({
      source: 'billing-api',
      status: 'succeeded',
      rowsRead: 2,
      billingPeriods: ['2026-11'],
    });
    const cost = await request(server)
      .get('/api/ownops/entities/component/default/checkout/cost')
      .set(as);
    expect(cost.body.totals).toEqual([
      { currency: 'USD', billedCost: '2', effectiveCost: '1.75' },
    ]);
  });

  it('refuses two cost sources with one id at start-up', async () => {
    await expect(
      startTestBackend({
        features: [
          ...features('same'),
          createBackendModule({
            pluginId: 'ownops',
            moduleId: 'another',
            register(reg) {
              reg.registerInit({
                deps: { costSources: ownopsCostSourcesExtensionPoint },
                async init({ costSources }) {
                  costSources.addCostSource({
                    id: 'same',
                    async *read() {},
                  });
                },
              });
            },
          }),
        ],
      }),
    ).rejects.toThrow('Two Ownops cost sources have the id "same"');
  });

  it('deploys with a module target, shows what the entity lacks for it, lists its own history and tells module listeners', async () => {
    const finished: Parameters<
      DeploymentListener['onDeploymentFinished']
    >[0][] = [];
    const deployModule = createBackendModule({
      pluginId: 'ownops',
      moduleId: 'gitops',
      register(reg) {
        reg.registerInit({
          deps: {
            targets: ownopsDeployTargetsExtensionPoint,
            listeners: ownopsDeploymentListenersExtensionPoint,
          },
          async init({ targets, listeners }) {
            targets.addDeployTarget({
              id: 'gitops',
              type: 'gitops',
              checkEntity: (entity, environment) =>
                environment === 'production' &&
                !entity.metadata.annotations?.['gitops.example.com/app']
                  ? 'Add the annotation gitops.example.com/app'
                  : undefined,
              deploy: async () => ({
                state: 'succeeded',
                externalHandle: 'h1',
              }),
              listHistory: async (entity, environment, { limit }) =>
                Array.from({ length: 30 }, (_, i) => ({
                  id: String(30 - i),
                  version: `${entity.metadata.name}-${environment}-${30 - i}`,
                  status: 'succeeded' as const,
                })).slice(0, limit),
            });
            listeners.addDeploymentListener({
              id: 'recorder',
              onDeploymentFinished: async event => {
                finished.push(event);
              },
            });
          },
        });
      },
    });
    const { server } = await startTestBackend({
      features: [
        ownopsPlugin,
        deployModule,
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: {
                name: 'checkout',
                namespace: 'default',
                annotations: {
                  'ownops.io/environments': 'staging,production',
                  'ownops.io/deploy-target': 'gitops',
                },
              },
              spec: { owner: 'group:default/team-checkout' },
            },
          ],
        }),
        mockServices.permissions.factory(),
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    const as = { Authorization: mockCredentials.user.header() };
    const history = await request(server)
      .get(
        '/api/ownops/entities/component/default/checkout/environments/staging/external-deployments',
      )
      .set(as);
    expect(history.status).toBe(200);
    expect(history.body).toMatchObject({
      available: true,
      targetId: 'gitops',
      targetType: 'gitops',
    });
    expect(history.body.deployments).toHaveLength(20);
    expect(history.body.deployments[0]).toEqual({
      id: '30',
      version: 'checkout-staging-30',
      status: 'succeeded',
    });

    const unknownEnvironment = await request(server)
      .get(
        '/api/ownops/entities/component/default/checkout/environments/qa/external-deployments',
      )
      .set(as);
    expect(unknownEnvironment.status).toBe(400);

    const environments = await request(server)
      .get('/api/ownops/entities/component/default/checkout/environments')
      .set(as);
    expect(
      environments.body.environments.map(
        (e: { name: string; problem?: string }) => [e.name, e.problem],
      ),
    ).toEqual([
      ['staging', undefined],
      ['production', 'Add the annotation gitops.example.com/app'],
    ]);
    const refused = await request(server)
      .post('/api/ownops/entities/component/default/checkout/deployments')
      .set(as)
      .send({ environment: 'production', version: '2.0.0' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe(
      'component:default/checkout cannot be deployed to production with target "gitops": Add the annotation gitops.example.com/app',
    );

    const deploy = await request(server)
      .post('/api/ownops/entities/component/default/checkout/deployments')
      .set(as)
      .send({ environment: 'staging', version: '2.0.0' });
    expect(deploy.status).toBe(201);
    for (let i = 0; i < 200 && finished.length === 0; i++) {
      await new Promise(r => setTimeout(r, 50));
    }
    expect(finished).toHaveLength(1);
    expect(finished[0].deployment).toMatchObject({
      id: deploy.body.id,
      status: 'succeeded',
      version: '2.0.0',
    });
    expect(finished[0].entity?.metadata.name).toBe('checkout');
  });
});
