import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import express from 'express';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseTaskHealthStore } from '../database/DatabaseTaskHealthStore';
import { ReplicaTroubles } from '../health/ReplicaTroubles';
import { ownopsPlugin } from '../plugin';
import { healthRoutes } from './healthRoutes';

jest.setTimeout(60_000);

describe('GET /health', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'reports the database and the last run of each task, whichever replica ran it, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const { server } = await startTestBackend({
        features: [
          ownopsPlugin,
          mockServices.database.factory({ knex }),
          catalogServiceMock.factory({ entities: [] }),
        ],
      });
      const service = { Authorization: mockCredentials.service.header() };

      const fresh = await request(server)
        .get('/api/ownops/health')
        .set(service);
      expect(fresh.status).toBe(200);
      expect(fresh.body).toMatchObject({
        database: { reachable: true },
        costSources: [],
        troubles: [],
      });
      expect(typeof fresh.body.replica).toBe('string');

      // Another replica ran the budget check and it failed.
      const store = await DatabaseTaskHealthStore.createForTest(knex);
      const started = new Date('2026-11-27T10:00:00Z');
      await store.started('ownops-budget-alerts', 'replica-2', started);
      await store.finished(
        'ownops-budget-alerts',
        'replica-2',
        started,
        { error: 'catalog unavailable' },
        new Date('2026-11-27T10:00:05Z'),
      );
      const failing = await request(server)
        .get('/api/ownops/health')
        .set({ Authorization: mockCredentials.user.header() });
      expect(failing.status).toBe(200);
      expect(failing.body.status).toBe('degraded');
      expect(failing.body.tasks).toContainEqual({
        id: 'ownops-budget-alerts',
        runs: 1,
        failures: 1,
        lastOutcome: 'failed',
        lastReplica: 'replica-2',
        lastStartedAt: '2026-11-27T10:00:00.000Z',
        lastFinishedAt: '2026-11-27T10:00:05.000Z',
        lastError: 'catalog unavailable',
      });

      const anonymous = await request(server)
        .get('/api/ownops/health')
        .set({ Authorization: mockCredentials.none.header() });
      expect(anonymous.status).toBe(401);
      const unknownQuery = await request(server)
        .get('/api/ownops/health?verbose=1')
        .set(service);
      expect(unknownQuery.status).toBe(400);
      await server.close();
    },
  );

  it('is degraded while a cost source warns that its last run found nothing', async () => {
    const app = express().use(
      healthRoutes({
        tasks: { ping: async () => {}, list: async () => [] },
        costSources: async () => ({
          sources: [
            {
              id: 'aws-focus',
              location: 'folder /var/billing/focus',
              lastRun: null,
              warning:
                'The last run of aws-focus found no billing rows in folder /var/billing/focus',
            },
          ],
        }),
        troubles: new ReplicaTroubles(),
        replica: 'replica-1',
        httpAuth: mockServices.httpAuth(),
      }),
    );
    const res = await request(app).get('/health');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('degraded');
    expect(res.body.costSources[0].warning).toContain(
      'folder /var/billing/focus',
    );
  });

  it('answers 503 while the database is unreachable and keeps the trouble', async () => {
    const troubles = new ReplicaTroubles();
    const app = express().use(
      healthRoutes({
        tasks: {
          ping: async () => {
            throw new Error('Connection terminated unexpectedly');
          },
          list: async () => [],
        },
        costSources: async () => ({ sources: [] }),
        troubles,
        replica: 'replica-1',
        httpAuth: mockServices.httpAuth(),
        now: () => new Date('2026-11-27T10:00:00Z'),
      }),
    );
    const res = await request(app).get('/health');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({
      status: 'down',
      replica: 'replica-1',
      checkedAt: '2026-11-27T10:00:00.000Z',
      database: {
        reachable: false,
        error: 'Connection terminated unexpectedly',
      },
      tasks: null,
      costSources: null,
      troubles: [
        {
          at: '2026-11-27T10:00:00.000Z',
          operation: 'health check of the database',
          message: 'Connection terminated unexpectedly',
        },
      ],
    });
  });
});

describe('DatabaseTaskHealthStore', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'counts runs and failures, and a late finish of an older run changes nothing, %p',
    async databaseId => {
      const store = await DatabaseTaskHealthStore.createForTest(
        await databases.init(databaseId),
      );
      const first = new Date('2026-11-27T10:00:00Z');
      const second = new Date('2026-11-27T10:01:00Z');
      await store.started('task', 'replica-1', first);
      await store.started('task', 'replica-2', second);
      await store.finished(
        'task',
        'replica-1',
        first,
        { error: 'late' },
        new Date('2026-11-27T10:01:30Z'),
      );
      expect(await store.list()).toEqual([
        {
          id: 'task',
          runs: 2,
          failures: 0,
          lastOutcome: 'running',
          lastReplica: 'replica-2',
          lastStartedAt: second.toISOString(),
        },
      ]);
      await store.finished(
        'task',
        'replica-2',
        second,
        {},
        new Date('2026-11-27T10:02:00Z'),
      );
      expect((await store.list())[0]).toMatchObject({
        runs: 2,
        lastOutcome: 'succeeded',
        lastFinishedAt: '2026-11-27T10:02:00.000Z',
      });
    },
  );
});
