import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  CostSource,
  DeployTarget,
  FocusExportSource,
  OnCallProvider,
  ownopsCostSourcesExtensionPoint,
  ownopsDeployTargetsExtensionPoint,
  ownopsOnCallProvidersExtensionPoint,
  ProviderRequestError,
} from '@ownops/backstage-plugin-node';
import {
  CapturingRootLogger,
  everyRow,
  everyText,
  placesHolding,
} from '@ownops/backstage-plugin-node/testUtils';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { ownopsPlugin } from '../plugin';

jest.setTimeout(120_000);

const OWNER = 'user:default/alice';
const as = { Authorization: mockCredentials.user.header(OWNER) };

function component(name: string, target: string, environments: string) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'ownops.io/environments': environments,
        'ownops.io/deploy-target': target,
      },
    },
    spec: { type: 'service', lifecycle: 'production', owner: OWNER },
  } satisfies Entity;
}

/**
 * A third-party deploy target as careless as they come: it logs its token,
 * puts it in failure reasons, errors, status messages, versions and history.
 */
function leakyTarget(token: string): DeployTarget {
  let polls = 0;
  return {
    id: 'leaky',
    type: 'leaky',
    async deploy(req, { log }) {
      log.info(`POST https://deploy.example.test/api with Bearer ${token}`);
      log.error(`debug headers: {"authorization":"Bearer ${token}"}`);
      if (req.environment === 'qa') {
        throw new Error(
          `GET https://deploy.example.test/run?access_token=${token} failed: 401 ${token} is not valid`,
        );
      }
      return { state: 'pending', externalHandle: 'run-1' };
    },
    async status() {
      polls += 1;
      if (polls === 1) {
        throw new ProviderRequestError({
          provider: 'Leaky',
          status: 503,
          message: `Leaky answered 503: upstream said Authorization: Bearer ${token}`,
        });
      }
      if (polls === 2) {
        return { state: 'running', message: `still running as ${token}` };
      }
      return { state: 'failed', reason: `token ${token} may not deploy` };
    },
    async listVersions() {
      return [{ version: '2.0.0', description: `built with ${token}` }];
    },
    async listHistory() {
      return [
        {
          id: 'ext-1',
          version: '1.9.0',
          status: 'succeeded',
          startedAt: '2026-11-01T10:00:00.000Z',
          url: `https://deploy.example.test/runs/1?token=${token}`,
        } as any,
      ];
    },
  };
}

/** An on-call provider whose failures quote its token. */
function leakyOnCall(token: string): OnCallProvider {
  return {
    id: 'leaky-oncall',
    appliesTo: entity => entity.metadata.name === 'checkout',
    async getOnCall() {
      throw new ProviderRequestError({
        provider: 'Leaky paging',
        status: 401,
        message: `Leaky paging answered 401: key ${token} is not valid`,
      });
    },
  };
}

/** A cost source that fails half-way, quoting its token. */
function leakyCosts(token: string): CostSource {
  return {
    id: 'leaky-costs',
    async *read() {
      yield {
        chargePeriodStart: '2026-11-01T00:00:00Z',
        chargePeriodEnd: '2026-11-02T00:00:00Z',
        billedCost: '1.5',
        effectiveCost: '1.5',
        billingCurrency: 'USD',
        serviceCategory: 'Compute',
        serviceName: `Compute bought with ${token}`,
        chargeCategory: 'Usage',
        tags: { 'backstage-entity': 'component.default.checkout' },
        source: { file: `https://billing.example.test/?key=${token}` },
      };
      throw new Error(`GET https://billing.example.test/?key=${token}: 500`);
    },
  };
}

/** An export source that puts the secret in its locations and its errors. */
function leakyExports(token: string): FocusExportSource {
  return {
    id: 'leaky-exports',
    location: `https://exports.example.test/bills?sig=${token}`,
    async deliveries() {
      return [
        {
          key: 'BILLING_PERIOD=2026-11',
          fingerprint: 'exec-1',
          location: `https://exports.example.test/bills/2026-11?sig=${token}`,
          async files() {
            throw new Error(
              `GET https://exports.example.test/bills/2026-11/part-0.csv?sig=${token}: 403`,
            );
          },
        },
      ];
    },
  };
}

describe('a canary secret', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    it('appears in no log, audit event, API response or database row', async () => {
      const envCanary = `canary-${randomUUID()}`;
      const tokenCanary = `canary-${randomUUID()}`;
      const canaries = [envCanary, tokenCanary];
      const knex = await databases.init(databaseId);
      const logger = new CapturingRootLogger();
      const auditor = mockServices.auditor.mock();
      const leakyModule = createBackendModule({
        pluginId: 'ownops',
        moduleId: 'leaky-target',
        register(env) {
          env.registerInit({
            deps: {
              targets: ownopsDeployTargetsExtensionPoint,
              onCall: ownopsOnCallProvidersExtensionPoint,
              costs: ownopsCostSourcesExtensionPoint,
              config: coreServices.rootConfig,
            },
            async init({ targets, onCall, costs, config }) {
              const token = config.getString('leaky.apiToken');
              targets.addDeployTarget(leakyTarget(token));
              onCall.addOnCallProvider(leakyOnCall(token));
              costs.addCostSource(leakyCosts(token));
              costs.addFocusExportSource(leakyExports(token));
            },
          });
        },
      });
      // The command echoes its configured secret on both streams and in
      // its versions, then fails.
      const script = `
        const t = process.env.DEPLOY_TOKEN;
        console.log('using token ' + t);
        console.error('Authorization: Bearer ' + t);
        process.exit(3);`;
      const { server } = await startTestBackend({
        features: [
          ownopsPlugin,
          leakyModule,
          createServiceFactory({
            service: coreServices.rootLogger,
            deps: {},
            factory: () => logger,
          }),
          mockServices.database.factory({ knex }),
          catalogServiceMock.factory({
            entities: [
              component('checkout', 'leaky', 'staging,qa'),
              component('billing', 'local', 'staging'),
            ],
          }),
          mockServices.permissions.factory(),
          auditor.factory,
          mockServices.rootConfig.factory({
            data: {
              leaky: { apiToken: tokenCanary },
              ownops: {
                deploy: { statusPollInterval: { milliseconds: 20 } },
                commandTargets: [
                  {
                    id: 'local',
                    command: [process.execPath, '-e', script],
                    versionsCommand: [
                      process.execPath,
                      '-e',
                      'console.log("1.0.0\\tsigned with " + process.env.DEPLOY_TOKEN)',
                    ],
                    env: { DEPLOY_TOKEN: envCanary },
                  },
                ],
              },
            },
          }),
        ],
      });

      const responses: string[] = [];
      const call = async (
        method: 'get' | 'post',
        path: string,
        body?: object,
      ) => {
        const req = request(server)[method](`/api/ownops${path}`).set(as);
        const res = await (body ? req.send(body) : req);
        responses.push(`${res.status} ${everyText(res.headers)} ${res.text}`);
        return res;
      };
      const settled = async (id: number) => {
        const deadline = Date.now() + 60_000;
        for (;;) {
          const res = await call('get', `/deployments/${id}`);
          if (!['queued', 'running'].includes(res.body.status)) {
            return res.body;
          }
          if (Date.now() > deadline) {
            throw new Error(`deployment ${id} is still ${res.body.status}`);
          }
          await new Promise(resolve => setTimeout(resolve, 50));
        }
      };

      const entity = '/entities/component/default';
      const versions = await call(
        'get',
        `${entity}/billing/environments/staging/versions`,
      );
      expect(versions.body.versions).toEqual([
        { version: '1.0.0', description: 'signed with ***' },
      ]);
      const commandDeploy = await call(
        'post',
        `${entity}/billing/deployments`,
        {
          environment: 'staging',
          version: '1.0.0',
        },
      );
      expect(commandDeploy.status).toBe(201);
      const pending = await call('post', `${entity}/checkout/deployments`, {
        environment: 'staging',
        version: '2.0.0',
      });
      const throwing = await call('post', `${entity}/checkout/deployments`, {
        environment: 'qa',
        version: '2.0.0',
      });
      const outcomes = [
        await settled(commandDeploy.body.id),
        await settled(pending.body.id),
        await settled(throwing.body.id),
      ];
      expect(outcomes.map(d => [d.status, d.failureReason])).toEqual([
        ['failed', 'The deploy command exited with code 3'],
        ['failed', 'token *** may not deploy'],
        [
          'failed',
          'GET https://deploy.example.test/run?access_token=*** failed: 401 *** is not valid',
        ],
      ]);

      const logLines: string[] = [];
      for (const { id } of outcomes) {
        const logs = await call('get', `/deployments/${id}/logs`);
        logLines.push(...logs.body.lines.map((l: any) => l.message));
      }
      // The leaks were there to stop: each reached the log, redacted.
      expect(logLines).toEqual(
        expect.arrayContaining([
          'using token ***',
          'Authorization: Bearer ***',
          'POST https://deploy.example.test/api with Bearer ***',
          'Leaky answered 503: upstream said Authorization: Bearer ***; asking again',
          'still running as ***',
        ]),
      );
      await call('get', `${entity}/checkout/environments/staging/versions`);
      await call(
        'get',
        `${entity}/checkout/environments/staging/external-deployments`,
      );
      for (const name of ['checkout', 'billing']) {
        await call('get', `${entity}/${name}/environments`);
        await call('get', `${entity}/${name}/deployments`);
        await call('get', `${entity}/${name}/summary`);
      }
      await call('get', '/deploy-targets');
      const onCall = await call('get', `${entity}/checkout/oncall`);
      expect(onCall.body.error.message).toContain(
        'Leaky paging answered 401: key *** is not valid',
      );
      const ingestion = await call('post', '/cost/ingestion', {});
      expect(ingestion.status).toBe(202);
      const ingested = Date.now() + 30_000;
      let run: any;
      let exportSource: any;
      while (
        !run ||
        run.status === 'running' ||
        !exportSource?.lastRun ||
        exportSource.lastRun.status === 'running'
      ) {
        if (Date.now() > ingested) {
          throw new Error(`ingestion did not finish: ${JSON.stringify(run)}`);
        }
        await new Promise(resolve => setTimeout(resolve, 50));
        const runs = await call('get', '/cost/ingestion');
        run = runs.body.sources.find(
          (source: any) => source.id === 'leaky-costs',
        )?.lastRun;
        exportSource = runs.body.sources.find(
          (source: any) => source.id === 'leaky-exports',
        );
      }
      expect(run).toMatchObject({
        status: 'failed',
        error: 'GET https://billing.example.test/?key=***: 500',
      });
      expect(exportSource).toMatchObject({
        location: 'https://exports.example.test/bills?sig=***',
        lastRun: {
          status: 'failed',
          error:
            'GET https://exports.example.test/bills/2026-11/part-0.csv?sig=***: 403',
        },
      });
      // The record read before the failure was not half-written.
      for (const table of [
        'ownops_cost_daily',
        'ownops_cost_daily_owner',
        'ownops_cost_unallocated',
      ]) {
        expect(await knex(table).where('source', 'leaky-costs')).toEqual([]);
      }
      await call('get', `${entity}/checkout/cost`);
      expect(responses.join('\n')).toContain('***');

      const auditEvents: unknown[] = [];
      for (const [index, [event]] of auditor.createEvent.mock.calls.entries()) {
        const handle = await auditor.createEvent.mock.results[index].value;
        auditEvents.push(
          event,
          handle.success.mock.calls,
          handle.fail.mock.calls,
        );
      }
      expect(auditEvents.length).toBeGreaterThan(0);

      const database = await everyRow(knex);
      expect(database.tables).toEqual(
        expect.arrayContaining([
          'ownops_deployments',
          'ownops_deployment_logs',
        ]),
      );
      const places = {
        logs: logger.lines.join('\n'),
        audit: everyText(auditEvents),
        responses: responses.join('\n'),
        database: database.text,
      };
      for (const canary of canaries) {
        expect(placesHolding(canary, places)).toEqual([]);
      }
    });
  });
});
