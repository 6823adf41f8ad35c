import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseDeploymentStore } from './DatabaseDeploymentStore';
import { NewDeployment } from './DeploymentStore';
import { MAX_REFS_PER_QUERY } from './queryLimits';

jest.setTimeout(60_000);

const base: NewDeployment = {
  entityRef: 'component:default/checkout',
  environment: 'staging',
  version: '1.0.0',
  kind: 'deploy',
  status: 'queued',
  targetId: 'local',
  requestedBy: 'user:default/alice',
};

describe('DatabaseDeploymentStore', () => {
  const databases = createTestDatabases();

  async function createStore(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    return DatabaseDeploymentStore.createForTest(knex);
  }

  async function insertFinished(
    store: DatabaseDeploymentStore,
    version: string,
    status: 'succeeded' | 'failed' | 'cancelled',
    finishedAt = new Date(),
    entityRef = base.entityRef,
  ) {
    const outcome = await store.insert(
      { ...base, entityRef, version },
      finishedAt,
    );
    if (!outcome.inserted) throw new Error('expected insert');
    const { id } = outcome.deployment;
    expect(await store.claim(id, 'runner-1', finishedAt)).toBe(true);
    expect(await store.finish(id, ['running'], { status }, finishedAt)).toBe(
      true,
    );
    return (await store.get(id))!;
  }

  it.each(databases.eachSupportedId())(
    'lets only one deployment hold an environment, %p',
    async databaseId => {
      const store = await createStore(databaseId);
      const first = await store.insert(base, new Date());
      expect(first.inserted).toBe(true);

      const second = await store.insert(
        { ...base, version: '2.0.0' },
        new Date(),
      );
      expect(second).toEqual({
        inserted: false,
        cause: 'active',
        existing: expect.objectContaining({
          id: (first as { deployment: { id: number } }).deployment.id,
        }),
      });

      const otherEnvironment = await store.insert(
        { ...base, environment: 'production' },
        new Date(),
      );
      expect(otherEnvironment.inserted).toBe(true);
    },
  );

  it.each(databases.eachSupportedId())(
    'returns the deployment with the same idempotency key, %p',
    async databaseId => {
      const store = await createStore(databaseId);
      const first = await store.insert(
        { ...base, idempotencyKey: 'key-1' },
        new Date(),
      );
      const replay = await store.insert(
        { ...base, idempotencyKey: 'key-1' },
        new Date(),
      );
      expect(first.inserted).toBe(true);
      expect(replay).toMatchObject({ inserted: false, cause: 'idempotency' });
    },
  );

  it.each(databases.eachSupportedId())(
    'moves through claim, heartbeat, cancel request and finish conditionally, %p',
    async databaseId => {
      const store = await createStore(databaseId);
      const outcome = await store.insert(base, new Date(1000));
      if (!outcome.inserted) throw new Error('expected insert');
      const { id } = outcome.deployment;

      expect(await store.claim(id, 'runner-a', new Date(2000))).toBe(true);
      expect(await store.claim(id, 'runner-b', new Date(2000))).toBe(false);
      expect(
        await store.heartbeat(id, 'runner-b', new Date(3000)),
      ).toBeUndefined();
      expect(await store.heartbeat(id, 'runner-a', new Date(3000))).toEqual({
        cancelRequested: false,
      });
      expect(await store.requestCancel(id)).toBe(true);
      expect(await store.heartbeat(id, 'runner-a', new Date(4000))).toEqual({
        cancelRequested: true,
      });

      const stale = await store.listStale(new Date(5000));
      expect(stale.map(s => [s.deployment.id, s.runnerId])).toEqual([
        [id, 'runner-a'],
      ]);
      expect(
        await store.adopt(id, 'runner-a', 'runner-c', new Date(6000)),
      ).toBe(true);
      expect(
        await store.adopt(id, 'runner-a', 'runner-d', new Date(6000)),
      ).toBe(false);

      expect(
        await store.finish(
          id,
          ['running'],
          { status: 'cancelled' },
          new Date(7000),
        ),
      ).toBe(true);
      expect(
        await store.finish(
          id,
          ['running'],
          { status: 'failed' },
          new Date(8000),
        ),
      ).toBe(false);
      const finished = await store.get(id);
      expect(finished).toMatchObject({
        status: 'cancelled',
        startedAt: new Date(2000).toISOString(),
        finishedAt: new Date(7000).toISOString(),
        durationMs: 5000,
      });

      // The environment is free again.
      expect((await store.insert(base, new Date())).inserted).toBe(true);
    },
  );

  it.each(databases.eachSupportedId())(
    'lists restorable versions newest first, one per version, %p',
    async databaseId => {
      const store = await createStore(databaseId);
      await insertFinished(store, '1.0.0', 'succeeded');
      await insertFinished(store, '1.1.0', 'succeeded');
      await insertFinished(store, '1.0.0', 'succeeded');
      await insertFinished(store, '1.2.0', 'failed');
      const current = await insertFinished(store, '1.3.0', 'succeeded');

      const restorable = await store.listRestorable(
        base.entityRef,
        'staging',
        current.version,
        10,
      );
      expect(restorable.map(d => d.version)).toEqual(['1.0.0', '1.1.0']);
      expect(
        (await store.findLatest(base.entityRef, 'staging', 'succeeded'))
          ?.version,
      ).toBe('1.3.0');

      const page1 = await store.list(base.entityRef, { limit: 2 });
      const page2 = await store.list(base.entityRef, {
        limit: 10,
        beforeId: page1[1].id,
      });
      expect(page1.map(d => d.version)).toEqual(['1.3.0', '1.2.0']);
      expect(page2.map(d => d.version)).toEqual(['1.0.0', '1.1.0', '1.0.0']);
      expect(
        await store.list(base.entityRef, { limit: 10, status: 'failed' }),
      ).toHaveLength(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'finds the latest, current and active deployment of each environment in one query, %p',
    async databaseId => {
      const store = await createStore(databaseId);
      const good = await insertFinished(store, '1.0.0', 'succeeded');
      const bad = await insertFinished(store, '1.1.0', 'failed');
      expect(
        (await store.findEnvironmentHeads(base.entityRef, ['staging'])).get(
          'staging',
        ),
      ).toEqual({ latest: bad, current: good });
      const queued = await store.insert(
        { ...base, version: '1.2.0' },
        new Date(),
      );
      if (!queued.inserted) throw new Error('expected insert');
      const production = await store.insert(
        { ...base, environment: 'production', version: '2.0.0' },
        new Date(),
      );
      if (!production.inserted) throw new Error('expected insert');
      await store.insert(
        { ...base, entityRef: 'component:default/other', version: '9.0.0' },
        new Date(),
      );

      const heads = await store.findEnvironmentHeads(base.entityRef, [
        'staging',
        'production',
        'qa',
      ]);
      expect([...heads.keys()].sort()).toEqual(['production', 'staging']);
      expect(heads.get('staging')).toEqual({
        latest: queued.deployment,
        current: good,
        active: queued.deployment,
      });
      expect(heads.get('production')).toEqual({
        latest: production.deployment,
        active: production.deployment,
      });
      // The same as the three single lookups.
      for (const environment of ['staging', 'production']) {
        expect(heads.get(environment)).toEqual(
          JSON.parse(
            JSON.stringify({
              latest: await store.findLatest(base.entityRef, environment),
              current: await store.findLatest(
                base.entityRef,
                environment,
                'succeeded',
              ),
              active: await store.findActive(base.entityRef, environment),
            }),
          ),
        );
      }
      expect(await store.findEnvironmentHeads(base.entityRef, [])).toEqual(
        new Map(),
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'counts finished deployments of many entities per status between two times, %p',
    async databaseId => {
      const store = await createStore(databaseId);
      const at = (iso: string) => new Date(iso);
      const finish = (
        entityRef: string,
        status: 'succeeded' | 'failed' | 'cancelled',
        finishedAt: Date,
      ) => insertFinished(store, '1.0.0', status, finishedAt, entityRef);
      const checkout = base.entityRef;
      const ledger = 'component:default/ledger';
      const since = at('2026-11-13T12:00:00Z');
      const until = at('2026-11-20T12:00:00Z');
      // Both bounds are inclusive, to the millisecond.
      await finish(checkout, 'succeeded', since);
      await finish(checkout, 'failed', at('2026-11-15T00:00:00Z'));
      await finish(checkout, 'succeeded', at('2026-11-16T00:00:00Z'));
      await finish(checkout, 'succeeded', until);
      await finish(checkout, 'succeeded', at('2026-11-13T11:59:59.999Z'));
      await finish(checkout, 'failed', at('2026-11-20T12:00:00.001Z'));
      await finish(checkout, 'cancelled', at('2026-11-17T00:00:00Z'));
      await finish(ledger, 'failed', at('2026-11-18T00:00:00Z'));
      await finish(ledger, 'failed', at('2026-11-19T00:00:00Z'));
      // Not finished: counted by neither.
      await store.insert(
        { ...base, entityRef: ledger, version: 'queued' },
        at('2026-11-19T00:00:00Z'),
      );
      // Finished in the window, but not asked for.
      await finish('component:default/other', 'succeeded', until);

      const counts = await store.countFinishedSince(
        [checkout, ledger, 'component:default/idle', checkout],
        since,
        until,
      );
      expect(counts).toEqual(
        new Map([
          [checkout, { deployments: 4, failed: 1 }],
          [ledger, { deployments: 2, failed: 2 }],
        ]),
      );
      // What listFinishedSince returns up to `until`, counted.
      const listed = (await store.listFinishedSince(checkout, since)).filter(
        d => Date.parse(d.finishedAt!) <= until.getTime(),
      );
      expect(listed).toHaveLength(counts.get(checkout)!.deployments);

      // Refs are matched exactly, as listFinishedSince does.
      expect(
        await store.countFinishedSince(
          ['Component:default/Checkout'],
          since,
          until,
        ),
      ).toEqual(new Map());
      expect(await store.countFinishedSince([], since, until)).toEqual(
        new Map(),
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'counts finished deployments of more entities than one query lists, %p',
    async databaseId => {
      const store = await createStore(databaseId);
      const finishedAt = new Date('2026-11-20T10:00:00Z');
      const refs = Array.from(
        { length: MAX_REFS_PER_QUERY + 2 },
        (_, i) => `component:default/svc-${i}`,
      );
      for (const entityRef of [refs[0], refs[MAX_REFS_PER_QUERY + 1]]) {
        await insertFinished(store, '1.0.0', 'failed', finishedAt, entityRef);
      }
      const counts = await store.countFinishedSince(
        refs,
        new Date('2026-11-20T00:00:00Z'),
        new Date('2026-11-21T00:00:00Z'),
      );
      expect(counts).toEqual(
        new Map([
          [refs[0], { deployments: 1, failed: 1 }],
          [refs[MAX_REFS_PER_QUERY + 1], { deployments: 1, failed: 1 }],
        ]),
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'stores log lines in order, %p',
    async databaseId => {
      const store = await createStore(databaseId);
      const outcome = await store.insert(base, new Date());
      if (!outcome.inserted) throw new Error('expected insert');
      const { id } = outcome.deployment;
      const timestamp = new Date();
      await store.appendLogs(id, 1, [
        { stream: 'system', message: 'one', timestamp },
        { stream: 'stdout', message: 'two', timestamp },
      ]);
      await store.appendLogs(id, 3, [
        { stream: 'stderr', message: 'three', timestamp },
      ]);
      expect(
        (await store.getLogs(id, 1, 10)).map(l => [l.seq, l.stream, l.message]),
      ).toEqual([
        [2, 'stdout', 'two'],
        [3, 'stderr', 'three'],
      ]);
      expect(await store.countLogs(id)).toBe(3);
    },
  );
});
