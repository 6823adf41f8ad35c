import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConflictError } from '@backstage/errors';
import { Deployment } from '@ownops/backstage-plugin-common';
import {
  DeployContext,
  DeployRequest,
  DeployResult,
  DeployStatus,
  DeployTarget,
  ProviderRequestError,
} from '@ownops/backstage-plugin-node';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { DeployConfig } from '../config';
import { DatabaseDeploymentStore } from '../database/DatabaseDeploymentStore';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { ReplicaTroubles } from '../health/ReplicaTroubles';
import { DeployTargetRegistry } from '../targets/DeployTargetRegistry';
import { DeployEngine, SYSTEM_REQUESTER } from './DeployEngine';
import { DeploymentEvents } from './DeploymentEvents';

jest.setTimeout(60_000);

const config: DeployConfig = {
  protectedEnvironments: new Set(['production']),
  autoRollback: true,
  healthCheck: { timeoutMs: 3000, intervalMs: 50, urls: {} },
  timeoutMs: 10_000,
  heartbeatIntervalMs: 50,
  statusPollIntervalMs: 20,
  staleAfterMs: 1000,
  reconcilerSchedule: {
    frequency: { seconds: 30 },
    timeout: { minutes: 1 },
    initialDelay: { seconds: 0 },
  },
  maxLogLines: 20,
};

function entity(annotations: Record<string, string> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'checkout',
      annotations: {
        'ownops.io/environments': 'staging,production',
        'ownops.io/deploy-target': 'fake',
        ...annotations,
      },
    },
    spec: { owner: 'group:default/team-checkout' },
  };
}

/** A target that records calls and finishes when told to. */
class FakeTarget implements DeployTarget {
  readonly id = 'fake';
  readonly type = 'fake';
  calls: DeployRequest[] = [];
  result: DeployResult = { state: 'succeeded' };
  gate: Promise<void> = Promise.resolve();
  lines = 1;

  async deploy(request: DeployRequest, context: DeployContext) {
    this.calls.push(request);
    for (let i = 0; i < this.lines; i++) {
      context.log.info(`line ${i} of ${request.version}`);
    }
    await Promise.race([
      this.gate,
      new Promise(resolve =>
        context.signal.addEventListener('abort', resolve, { once: true }),
      ),
    ]);
    return this.result;
  }
}

/** A target whose deployments run elsewhere: it answers `status` from a script. */
class ExternalTarget extends FakeTarget {
  statuses: Array<DeployStatus | Error> = [];
  cancelled: string[] = [];

  async deploy(request: DeployRequest, context: DeployContext) {
    await super.deploy(request, context);
    return { state: 'pending' as const, externalHandle: 'run-42' };
  }

  async status(): Promise<DeployStatus> {
    const next = this.statuses.shift() ?? { state: 'running' };
    if (next instanceof Error) {
      throw next;
    }
    return next;
  }

  async cancel(handle: string) {
    this.cancelled.push(handle);
  }
}

const providerError = (status: number, rateLimited = false) =>
  new ProviderRequestError({
    provider: 'Example CI',
    status,
    rateLimited,
    message: `Example CI answered ${status} to GET https://ci.example.com/runs/42`,
  });

describe('DeployEngine', () => {
  const databases = createTestDatabases();

  async function setUp(
    databaseId: Parameters<typeof databases.init>[0],
    target = new FakeTarget(),
    theEntity = entity(),
    runnerId = 'runner-1',
  ) {
    const store = await DatabaseDeploymentStore.createForTest(
      await databases.init(databaseId),
    );
    const targets = new DeployTargetRegistry();
    targets.add(target);
    const auditor = mockServices.auditor.mock();
    const notifications = { send: jest.fn() };
    const signals = { publish: jest.fn() };
    const listener = {
      id: 'test-listener',
      onDeploymentFinished: jest.fn(async () => {}),
    };
    const troubles = new ReplicaTroubles();
    const makeEngine = (id: string) =>
      new DeployEngine({
        store,
        targets,
        config,
        events: new DeploymentEvents({
          logger: mockServices.logger.mock(),
          auditor,
          notifications,
          signals,
          listeners: [listener],
        }),
        logger: mockServices.logger.mock(),
        loadEntity: async () => theEntity,
        runnerId: id,
        troubles,
      });
    return {
      troubles,
      store,
      target,
      engine: makeEngine(runnerId),
      makeEngine,
      notifications,
      signals,
      auditor,
      listener,
    };
  }

  const request = (
    overrides: Partial<Parameters<DeployEngine['request']>[0]> = {},
  ) => ({
    entity: entity(),
    entityRef: 'component:default/checkout',
    environment: 'staging',
    targetId: 'fake',
    version: '1.0.0',
    kind: 'deploy' as const,
    requestedBy: 'user:default/alice',
    ...overrides,
  });

  it.each(databases.eachSupportedId())(
    'runs a deployment to success, storing logs and publishing signals, %p',
    async databaseId => {
      const { engine, store, target, signals } = await setUp(databaseId);
      const { deployment, created } = await engine.request(request());
      expect(created).toBe(true);
      await engine.drain();

      const finished = await store.get(deployment.id);
      expect(finished?.status).toBe('succeeded');
      expect(target.calls).toHaveLength(1);
      expect(target.calls[0]).toMatchObject({
        version: '1.0.0',
        environment: 'staging',
        kind: 'deploy',
      });
      const logs = await store.getLogs(deployment.id, 0, 100);
      expect(logs.map(l => l.message)).toContain('line 0 of 1.0.0');
      expect(logs[logs.length - 1].message).toMatch(/succeeded/);
      expect(signals.publish.mock.calls.map(([s]) => s.message.status)).toEqual(
        ['queued', 'running', 'succeeded'],
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'settles a deployment through a dropped database connection, reporting the retries, %p',
    async databaseId => {
      const { engine, store, troubles } = await setUp(databaseId);
      const dropped = new Error('Connection terminated unexpectedly');
      jest
        .spyOn(store, 'finish')
        .mockRejectedValueOnce(dropped)
        .mockRejectedValueOnce(dropped);
      const { deployment } = await engine.request(request());
      await engine.drain();

      expect((await store.get(deployment.id))?.status).toBe('succeeded');
      expect(troubles.list()).toEqual([
        expect.objectContaining({
          operation: `settling deployment #${deployment.id}`,
          message: 'Connection terminated unexpectedly',
        }),
        expect.objectContaining({
          operation: `settling deployment #${deployment.id}`,
        }),
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'tells deployment listeners once when a deployment finishes, and a failing listener changes nothing, %p',
    async databaseId => {
      const { engine, store, listener } = await setUp(databaseId);
      listener.onDeploymentFinished.mockRejectedValueOnce(
        new Error('PagerDuty is down'),
      );
      const { deployment } = await engine.request(request());
      await engine.drain();
      expect(listener.onDeploymentFinished).toHaveBeenCalledTimes(1);
      expect(listener.onDeploymentFinished).toHaveBeenCalledWith({
        deployment: expect.objectContaining({
          id: deployment.id,
          status: 'succeeded',
        }),
        entity: expect.objectContaining({
          metadata: expect.objectContaining({ name: 'checkout' }),
        }),
      });
      expect((await store.get(deployment.id))?.status).toBe('succeeded');

      // Cancelled before it ran: nothing changed, nothing to report.
      const { deployment: awaiting } = await engine.request(
        request({ version: '2.0.0', environment: 'production' }),
      );
      expect(awaiting.status).toBe('awaiting_approval');
      await engine.cancel(awaiting);
      await engine.drain();
      expect(listener.onDeploymentFinished).toHaveBeenCalledTimes(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses a second deployment while one is in flight, naming it, %p',
    async databaseId => {
      const { engine, target } = await setUp(databaseId);
      let release!: () => void;
      target.gate = new Promise(resolve => (release = resolve));
      const { deployment } = await engine.request(request());
      const refusal = engine.request(request({ version: '2.0.0' }));
      await expect(refusal).rejects.toBeInstanceOf(ConflictError);
      await expect(refusal).rejects.toThrow(
        new RegExp(
          `^Deployment #${deployment.id} of 1\\.0\\.0 to staging is (queued|running), requested by user:default/alice; wait for it to finish or cancel it$`,
        ),
      );
      release();
      await engine.drain();
    },
  );

  it.each(databases.eachSupportedId())(
    'runs exactly one of many simultaneous requests, across two engines, %p',
    async databaseId => {
      const { engine, makeEngine, target } = await setUp(databaseId);
      const other = makeEngine('runner-2');
      // Hold the winner until every request has been answered: one that
      // arrives after it finished may rightly start the next deployment.
      let release!: () => void;
      target.gate = new Promise(resolve => (release = resolve));
      const results = await Promise.allSettled(
        Array.from({ length: 12 }, (_, i) =>
          (i % 2 ? engine : other).request(request({ version: `1.0.${i}` })),
        ),
      );
      release();
      await Promise.all([engine.drain(), other.drain()]);
      const created = results.filter(r => r.status === 'fulfilled');
      const refused = results.filter(r => r.status === 'rejected');
      expect(created).toHaveLength(1);
      expect(refused).toHaveLength(11);
      for (const r of refused) {
        expect((r as PromiseRejectedResult).reason).toBeInstanceOf(
          ConflictError,
        );
      }
      expect(target.calls).toHaveLength(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'returns the same deployment for the same idempotency key, %p',
    async databaseId => {
      const { engine, target } = await setUp(databaseId);
      const first = await engine.request(request({ idempotencyKey: 'k1' }));
      await engine.drain();
      const again = await engine.request(request({ idempotencyKey: 'k1' }));
      expect(again).toEqual({
        deployment: expect.objectContaining({ id: first.deployment.id }),
        created: false,
      });
      await expect(
        engine.request(request({ idempotencyKey: 'k1', version: '9.9.9' })),
      ).rejects.toThrow(/different request/);
      expect(target.calls).toHaveLength(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'waits for approval in protected environments, by someone else, %p',
    async databaseId => {
      const { engine, store, target } = await setUp(databaseId);
      const { deployment } = await engine.request(
        request({ environment: 'production' }),
      );
      expect(deployment.status).toBe('awaiting_approval');
      await engine.drain();
      expect(target.calls).toHaveLength(0);

      await expect(
        engine.approve(deployment, 'user:default/alice'),
      ).rejects.toThrow(/someone other than the requester/);
      const approved = await engine.approve(deployment, 'user:default/bob');
      expect(approved).toMatchObject({
        status: 'queued',
        approvedBy: 'user:default/bob',
      });
      await engine.drain();
      expect((await store.get(deployment.id))?.status).toBe('succeeded');
      expect(target.calls).toHaveLength(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'cancels a running deployment through the target signal, %p',
    async databaseId => {
      const { engine, store, target } = await setUp(databaseId);
      target.gate = new Promise(() => {});
      target.result = { state: 'failed', reason: 'aborted' };
      const { deployment } = await engine.request(request());
      await waitFor(async () =>
        expect((await store.get(deployment.id))?.status).toBe('running'),
      );
      await engine.cancel((await store.get(deployment.id))!);
      await engine.drain();
      expect(await store.get(deployment.id)).toMatchObject({
        status: 'cancelled',
        failureReason: 'Cancelled by a user',
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'cancels a deployment whose cancel arrived between its claim and its start, without calling the target, %p',
    async databaseId => {
      const { engine, store, target } = await setUp(databaseId);
      const claim = store.claim.bind(store);
      jest.spyOn(store, 'claim').mockImplementation(async (...args) => {
        const claimed = await claim(...args);
        await store.requestCancel(args[0]);
        return claimed;
      });
      target.gate = new Promise(() => {});
      const { deployment } = await engine.request(request());
      await engine.drain();
      expect(await store.get(deployment.id)).toMatchObject({
        status: 'cancelled',
        failureReason: 'Cancelled by a user',
      });
      expect(target.calls).toHaveLength(0);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps following an external deployment while its provider is briefly away, %p',
    async databaseId => {
      const target = new ExternalTarget();
      target.statuses = [
        providerError(503),
        providerError(429, true),
        { state: 'running', message: 'Run 42 in progress' },
        { state: 'succeeded' },
      ];
      const { engine, store } = await setUp(databaseId, target);
      const { deployment } = await engine.request(request());
      await engine.drain();
      expect(await store.get(deployment.id)).toMatchObject({
        status: 'succeeded',
        externalHandle: 'run-42',
      });
      const logs = (await store.getLogs(deployment.id, 0, 100)).map(
        line => line.message,
      );
      expect(logs).toEqual(
        expect.arrayContaining([
          'Example CI answered 503 to GET https://ci.example.com/runs/42; asking again',
          'Example CI answered 429 to GET https://ci.example.com/runs/42; asking again',
          'Run 42 in progress',
        ]),
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'fails an external deployment whose provider refuses the status request, %p',
    async databaseId => {
      const target = new ExternalTarget();
      target.statuses = [providerError(403)];
      const { engine, store } = await setUp(databaseId, target);
      const { deployment } = await engine.request(request());
      await engine.drain();
      expect(await store.get(deployment.id)).toMatchObject({
        status: 'failed',
        failureReason:
          'Example CI answered 403 to GET https://ci.example.com/runs/42',
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'asks the target to stop an external deployment that is cancelled, %p',
    async databaseId => {
      const target = new ExternalTarget();
      const { engine, store } = await setUp(databaseId, target);
      const { deployment } = await engine.request(request());
      await waitFor(async () =>
        expect((await store.get(deployment.id))?.externalHandle).toBe('run-42'),
      );
      await engine.cancel((await store.get(deployment.id))!);
      await engine.drain();
      expect(await store.get(deployment.id)).toMatchObject({
        status: 'cancelled',
      });
      expect(target.cancelled).toEqual(['run-42']);
    },
  );

  it.each(databases.eachSupportedId())(
    'fails a deployment whose health check fails and rolls back to the last good version, %p',
    async databaseId => {
      const health = await startHealthServer();
      try {
        const theEntity = entity({
          'ownops.io/health-check.staging': `${health.url}/health`,
        });
        const { engine, store, target, notifications, auditor } = await setUp(
          databaseId,
          new FakeTarget(),
          theEntity,
        );
        health.version = '1.0.0';
        const good = await engine.request(request({ entity: theEntity }));
        await engine.drain();
        expect((await store.get(good.deployment.id))?.status).toBe('succeeded');

        health.version = '1.0.0'; // the new version never comes up
        const bad = await engine.request(
          request({ entity: theEntity, version: '2.0.0' }),
        );
        await engine.drain();

        const failed = await store.get(bad.deployment.id);
        expect(failed?.status).toBe('failed');
        expect(failed?.failureReason).toMatch(
          /reports version 1.0.0, expected 2.0.0/,
        );
        const [rollback] = await store.list('component:default/checkout', {
          limit: 1,
        });
        expect(rollback).toMatchObject({
          kind: 'rollback',
          version: '1.0.0',
          rollbackOf: bad.deployment.id,
          rollbackTo: good.deployment.id,
          requestedBy: SYSTEM_REQUESTER,
          status: 'succeeded',
        });
        expect(target.calls.map(c => c.version)).toEqual([
          '1.0.0',
          '2.0.0',
          '1.0.0',
        ]);
        expect(notifications.send).toHaveBeenCalledWith(
          expect.objectContaining({
            recipients: {
              type: 'entity',
              entityRef: 'group:default/team-checkout',
            },
          }),
        );
        expect(notifications.send).toHaveBeenCalledWith(
          expect.objectContaining({
            payload: expect.objectContaining({
              title: 'Rolling checkout in staging back to 1.0.0',
            }),
          }),
        );
        expect(auditor.createEvent).toHaveBeenCalledWith(
          expect.objectContaining({ eventId: 'deployment-auto-rollback' }),
        );
      } finally {
        health.server.close();
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'checks the configured health check URL when the entity has none, %p',
    async databaseId => {
      const health = await startHealthServer();
      try {
        const { store, engine } = await setUp(databaseId);
        config.healthCheck.urls = {
          staging: `${health.url}/{namespace}/{name}/health`,
        };
        health.version = '3.0.0';
        const { deployment } = await engine.request(
          request({ version: '3.0.0' }),
        );
        await engine.drain();
        expect((await store.get(deployment.id))?.status).toBe('succeeded');
        expect(health.paths).toEqual(['/default/checkout/health']);
      } finally {
        config.healthCheck.urls = {};
        health.server.close();
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps at most maxLogLines lines and says how many were dropped, %p',
    async databaseId => {
      const { engine, store, target } = await setUp(databaseId);
      target.lines = 100;
      const { deployment } = await engine.request(request());
      await engine.drain();
      const logs = await store.getLogs(deployment.id, 0, 1000);
      expect(logs).toHaveLength(config.maxLogLines);
      expect(logs[logs.length - 1].message).toMatch(
        /more log lines were dropped/,
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'settles a deployment whose runner died, and frees the environment, %p',
    async databaseId => {
      const { store, makeEngine, auditor } = await setUp(databaseId);
      const outcome = await store.insert(
        {
          entityRef: 'component:default/checkout',
          environment: 'staging',
          version: '1.0.0',
          kind: 'deploy',
          status: 'queued',
          targetId: 'fake',
          requestedBy: 'user:default/alice',
        },
        new Date(0),
      );
      if (!outcome.inserted) throw new Error('expected insert');
      // A runner claimed it, then vanished without heartbeats.
      await store.claim(outcome.deployment.id, 'dead-runner', new Date(0));

      const survivor = makeEngine('runner-2');
      await survivor.reconcile(new Date());
      await survivor.drain();

      const settled = (await store.get(outcome.deployment.id)) as Deployment;
      expect(settled.status).toBe('failed');
      expect(settled.failureReason).toMatch(/stopped before it finished/);
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'deployment-settle',
          meta: expect.objectContaining({
            deploymentId: outcome.deployment.id,
            outcome: 'failed',
            previousRunner: 'dead-runner',
            runner: 'runner-2',
          }),
        }),
      );
      const next = await survivor.request(request({ version: '1.0.1' }));
      expect(next.created).toBe(true);
      await survivor.drain();
    },
  );
});

async function waitFor(check: () => Promise<void>, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise(resolve => setTimeout(resolve, 20));
    }
  }
}

async function startHealthServer() {
  const state = { version: '0.0.0', paths: [] as string[] };
  const server: Server = createServer((req, res) => {
    state.paths.push(req.url ?? '');
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok', version: state.version }));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, { server, url: `http://127.0.0.1:${port}` });
}
