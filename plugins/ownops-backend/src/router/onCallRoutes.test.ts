import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ownopsOnCallProvidersExtensionPoint } from '@ownops/backstage-plugin-node';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { ownopsPlugin } from '../plugin';

jest.setTimeout(60_000);

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const OUTSIDER = 'user:default/oscar';
const GROUP = 'group:default/team-checkout';

const user = (name: string, memberOf: string[]): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: {
    memberOf,
    profile: {
      displayName: name.toUpperCase(),
      email: `${name}@example.com`,
    },
  },
});

const component = (
  name: string,
  annotations: Record<string, string> = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { owner: 'team-checkout', type: 'service' },
});

const as = (who: string) => ({
  Authorization: mockCredentials.user.header(who),
});

let hangingSignal: AbortSignal | undefined;

const providersModule = createBackendModule({
  pluginId: 'ownops',
  moduleId: 'test-oncall-providers',
  register(reg) {
    reg.registerInit({
      deps: { onCall: ownopsOnCallProvidersExtensionPoint },
      async init({ onCall }) {
        onCall.addOnCallProvider(
          {
            id: 'pager',
            appliesTo: e => Boolean(e.metadata.annotations?.['pager/id']),
            getOnCall: async (_entity, { at }) => ({
              now: [
                {
                  // Only the catalog user: the backend fills name and email.
                  person: { userEntityRef: BOB, name: '' },
                  start: new Date(at.getTime() - 3600_000).toISOString(),
                  end: '2099-01-01T00:00:00.000Z',
                  escalationLevel: 1,
                },
                {
                  person: { name: 'Escalation Erin', email: 'erin@x.test' },
                  start: new Date(at.getTime() - 3600_000).toISOString(),
                  escalationLevel: 2,
                },
              ],
              url: 'https://pager.example.com/s/1',
            }),
          },
          {
            id: 'hanging',
            appliesTo: e => Boolean(e.metadata.annotations?.hang),
            getOnCall: (_entity, { signal }) => {
              hangingSignal = signal;
              return new Promise(() => {});
            },
          },
        );
      },
    });
  },
});

describe('on-call routes', () => {
  const databases = createTestDatabases();
  const auditor = mockServices.auditor.mock();

  beforeEach(() => {
    jest.clearAllMocks();
    hangingSignal = undefined;
  });

  async function startBackend(
    databaseId: Parameters<typeof databases.init>[0],
  ) {
    const knex = await databases.init(databaseId);
    const userInfo = mockServices.userInfo.mock({
      getUserInfo: async credentials => {
        const ref = (credentials.principal as { userEntityRef: string })
          .userEntityRef;
        return {
          userEntityRef: ref,
          ownershipEntityRefs: ref === OUTSIDER ? [ref] : [ref, GROUP],
        };
      },
    });
    const { server } = await startTestBackend({
      features: [
        ownopsPlugin,
        providersModule,
        mockServices.database.factory({ knex }),
        userInfo.factory,
        auditor.factory,
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Group',
              metadata: { name: 'team-checkout', namespace: 'default' },
              spec: { type: 'team', children: [] },
            },
            user('alice', ['team-checkout']),
            user('bob', ['team-checkout']),
            user('oscar', ['other']),
            component('checkout'),
            component('paged', { 'pager/id': 'P1' }),
            component('stuck', { hang: 'yes' }),
          ],
        }),
        mockServices.rootConfig.factory({
          data: {
            ownops: {
              oncall: {
                timeout: { milliseconds: 300 },
                rotation: { lengthDays: 1, handoffTime: '00:00' },
              },
            },
          },
        }),
      ],
    });
    return server;
  }

  it.each(databases.eachSupportedId())(
    'lets members manage overrides and answers on call with them, %p',
    async databaseId => {
      const server = await startBackend(databaseId);
      const base = '/api/ownops/groups/default/team-checkout/oncall-overrides';
      const start = new Date(Date.now() - 3600_000).toISOString();
      const end = new Date(Date.now() + 3600_000).toISOString();

      const denied = await request(server)
        .post(base)
        .set(as(OUTSIDER))
        .send({ userRef: BOB, start, end });
      expect(denied.status).toBe(403);
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({ eventId: 'oncall-override-create' }),
      );

      const badField = await request(server)
        .post(base)
        .set(as(ALICE))
        .send({ userRef: BOB, start: 'tomorrow', end });
      expect(badField.status).toBe(400);
      expect(badField.body.error.message).toContain('start');
      const unknown = await request(server)
        .post(base)
        .set(as(ALICE))
        .send({ userRef: BOB, start, end, extra: 1 });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toContain('extra');
      const notMember = await request(server)
        .post(base)
        .set(as(ALICE))
        .send({ userRef: OUTSIDER, start, end });
      expect(notMember.status).toBe(400);
      expect(notMember.body.error.message).toContain('not a member');
      const noGroup = await request(server)
        .post('/api/ownops/groups/default/nope/oncall-overrides')
        .set(as(ALICE))
        .send({ userRef: BOB, start, end });
      expect(noGroup.status).toBe(404);

      const created = await request(server)
        .post(base)
        .set(as(ALICE))
        .send({ userRef: BOB, start, end, reason: 'swap' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        groupRef: GROUP,
        userRef: BOB,
        createdBy: ALICE,
        reason: 'swap',
      });
      const overlap = await request(server)
        .post(base)
        .set(as(ALICE))
        .send({ userRef: ALICE, start, end });
      expect(overlap.status).toBe(409);
      expect(overlap.body.error.message).toContain(
        `Override ${created.body.id} `,
      );

      const listed = await request(server).get(base).set(as(OUTSIDER));
      expect(listed.status).toBe(200);
      expect(listed.body.items).toEqual([
        expect.objectContaining({ id: created.body.id }),
      ]);

      const onCall = await request(server)
        .get('/api/ownops/entities/component/default/checkout/oncall')
        .set(as(OUTSIDER));
      expect(onCall.status).toBe(200);
      expect(onCall.body).toMatchObject({
        entityRef: 'component:default/checkout',
        provider: 'rotation',
        now: [
          {
            person: {
              userEntityRef: BOB,
              name: 'BOB',
              email: 'bob@example.com',
            },
            start: new Date(start).toISOString(),
            end: new Date(end).toISOString(),
            escalationLevel: 1,
          },
        ],
        handoffAt: new Date(end).toISOString(),
      });

      const deleteDenied = await request(server)
        .delete(`${base}/${created.body.id}`)
        .set(as(OUTSIDER));
      expect(deleteDenied.status).toBe(403);
      const deleted = await request(server)
        .delete(`${base}/${created.body.id}`)
        .set(as(ALICE));
      expect(deleted.status).toBe(204);
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'oncall-override-delete',
          meta: { groupRef: GROUP, overrideId: created.body.id },
        }),
      );
      const gone = await request(server)
        .delete(`${base}/${created.body.id}`)
        .set(as(ALICE));
      expect(gone.status).toBe(404);
    },
  );

  it('asks module providers first and fills people from the catalog', async () => {
    const server = await startBackend('SQLITE_3');
    const paged = await request(server)
      .get('/api/ownops/entities/component/default/paged/oncall')
      .set(as(OUTSIDER));
    expect(paged.status).toBe(200);
    expect(paged.body).toMatchObject({
      provider: 'pager',
      url: 'https://pager.example.com/s/1',
      handoffAt: '2099-01-01T00:00:00.000Z',
      now: [
        {
          person: { userEntityRef: BOB, name: 'BOB', email: 'bob@example.com' },
          escalationLevel: 1,
        },
        {
          person: { name: 'Escalation Erin', email: 'erin@x.test' },
          escalationLevel: 2,
        },
      ],
    });

    const missing = await request(server)
      .get('/api/ownops/entities/component/default/nope/oncall')
      .set(as(OUTSIDER));
    expect(missing.status).toBe(404);

    const forUser = await request(server)
      .get('/api/ownops/entities/user/default/alice/oncall')
      .set(as(OUTSIDER));
    expect(forUser.body).toEqual({
      entityRef: 'user:default/alice',
      provider: null,
      now: [],
    });
  });

  it('fails a hanging provider at the timeout, naming it, and aborts its signal', async () => {
    const server = await startBackend('SQLITE_3');
    const started = Date.now();
    const stuck = await request(server)
      .get('/api/ownops/entities/component/default/stuck/oncall')
      .set(as(OUTSIDER));
    expect(stuck.status).toBe(503);
    expect(stuck.body.error.message).toBe(
      'On-call provider "hanging" did not answer within 300 ms',
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(hangingSignal?.aborted).toBe(true);
  });
});
