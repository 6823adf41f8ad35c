import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { ownopsPlugin } from '../plugin';

jest.setTimeout(60_000);

const OWNER = 'user:default/alice';
const FINANCE = 'user:default/frank';
const OUTSIDER = 'user:default/bob';

const CHECKOUT = '/api/ownops/entities/component/default/checkout/budget';

const entity = (
  kind: string,
  name: string,
  annotations?: Record<string, string>,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace: 'default', ...(annotations && { annotations }) },
  spec: {},
});

/** Permissions by user: the owner may do everything, finance reads all cost, the outsider nothing. */
function decide(user: string | undefined, permission: string) {
  if (user === OWNER) return AuthorizeResult.ALLOW;
  if (user === FINANCE && permission === 'ownops.cost.readAll') {
    return AuthorizeResult.ALLOW;
  }
  return AuthorizeResult.DENY;
}

const as = (user: string) => ({
  Authorization: mockCredentials.user.header(user),
});

describe('budget and deploy-target routes', () => {
  const databases = createTestDatabases();
  const auditor = mockServices.auditor.mock();
  const authorized: Array<{ user?: string; permission: string }> = [];

  async function startBackend(
    databaseId: Parameters<typeof databases.init>[0],
  ) {
    const knex = await databases.init(databaseId);
    const permissions = mockServices.permissions.mock({
      authorize: async (requests, options) => {
        const user = (
          options?.credentials.principal as { userEntityRef?: string }
        ).userEntityRef;
        return requests.map(r => {
          authorized.push({ user, permission: r.permission.name });
          return { result: decide(user, r.permission.name) };
        });
      },
    });
    const { server } = await startTestBackend({
      features: [
        ownopsPlugin,
        mockServices.database.factory({ knex }),
        catalogServiceMock.factory({
          entities: [
            entity('Component', 'checkout'),
            entity('Component', 'Payments'),
            entity('Group', 'team-checkout'),
            entity('User', 'alice'),
            entity('API', 'checkout-api'),
            entity('Component', 'annotated', {
              'ownops.io/budget': '800 USD | 80,100',
            }),
            entity('Component', 'misannotated', {
              'ownops.io/budget': '800 dollars',
            }),
          ],
        }),
        permissions.factory,
        auditor.factory,
        mockServices.rootConfig.factory({
          data: {
            ownops: {
              commandTargets: [
                { id: 'local', title: 'Local script', command: ['true'] },
                { id: 'staging-vm', command: ['true'] },
              ],
            },
          },
        }),
      ],
    });
    return { server, knex };
  }

  async function budgetRows(knex: Knex) {
    return knex('ownops_budgets').select('entity_ref');
  }

  beforeEach(() => {
    jest.clearAllMocks();
    authorized.length = 0;
  });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('lists the deploy targets with their titles, to users and services', async () => {
      const { server } = await startBackend(databaseId);
      const expected = {
        targets: [{ id: 'local', title: 'Local script' }, { id: 'staging-vm' }],
      };
      const user = await request(server)
        .get('/api/ownops/deploy-targets')
        .set(as(OUTSIDER));
      expect(user.status).toBe(200);
      expect(user.body).toEqual(expected);

      const service = await request(server)
        .get('/api/ownops/deploy-targets')
        .set('Authorization', mockCredentials.service.header());
      expect(service.status).toBe(200);
      expect(service.body).toEqual(expected);

      const anonymous = await request(server)
        .get('/api/ownops/deploy-targets')
        .set('Authorization', mockCredentials.none.header());
      expect(anonymous.status).toBe(401);
    });

    it('has no budget at first, then creates and replaces it exactly', async () => {
      const { server, knex } = await startBackend(databaseId);
      const none = await request(server).get(CHECKOUT).set(as(OWNER));
      expect(none.status).toBe(200);
      expect(none.body).toEqual({ budget: null });

      const created = await request(server)
        .put(CHECKOUT)
        .set(as(OWNER))
        .send({ amount: '1234.5678', currency: 'EUR' });
      expect(created.status).toBe(200);
      expect(created.body).toEqual({
        source: 'set',
        budget: {
          entityRef: 'component:default/checkout',
          amount: '1234.5678',
          currency: 'EUR',
          thresholds: [50, 80, 100],
          updatedBy: OWNER,
          updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        },
      });
      const read = await request(server).get(CHECKOUT).set(as(OWNER));
      expect(read.body).toEqual(created.body);

      for (const amount of ['1500.00', '989674158026.2967', '0']) {
        const updated = await request(server)
          .put(CHECKOUT)
          .set(as(OWNER))
          .send({ amount, currency: 'USD', thresholds: [120, 25, 90] });
        expect(updated.status).toBe(200);
        expect(updated.body.budget).toMatchObject({
          amount,
          currency: 'USD',
          thresholds: [25, 90, 120],
        });
        expect(
          (await request(server).get(CHECKOUT).set(as(OWNER))).body.budget,
        ).toEqual(updated.body.budget);
      }
      expect(await budgetRows(knex)).toEqual([
        { entity_ref: 'component:default/checkout' },
      ]);

      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'budget-update',
          meta: {
            entityRef: 'component:default/checkout',
            amount: '1234.5678',
            currency: 'EUR',
            thresholds: null,
          },
        }),
      );
      const event = await auditor.createEvent.mock.results[0].value;
      expect(event.success).toHaveBeenCalled();
      expect(event.fail).not.toHaveBeenCalled();
    });

    it('sets budgets on groups, under the lower-cased ref', async () => {
      const { server, knex } = await startBackend(databaseId);
      const group = await request(server)
        .put('/api/ownops/entities/group/default/team-checkout/budget')
        .set(as(OWNER))
        .send({ amount: '10000', currency: 'GBP', thresholds: [100] });
      expect(group.status).toBe(200);
      expect(group.body.budget).toMatchObject({
        entityRef: 'group:default/team-checkout',
        amount: '10000',
        currency: 'GBP',
        thresholds: [100],
      });

      const mixedCase = await request(server)
        .put('/api/ownops/entities/component/default/Payments/budget')
        .set(as(OWNER))
        .send({ amount: '5.5', currency: 'USD' });
      expect(mixedCase.status).toBe(200);
      expect(mixedCase.body.budget.entityRef).toBe(
        'component:default/payments',
      );
      expect(
        (await budgetRows(knex)).map(row => row.entity_ref).sort(),
      ).toEqual(['component:default/payments', 'group:default/team-checkout']);
    });

    it.each([
      ['a negative amount', { amount: '-5', currency: 'USD' }, ['amount']],
      ['a non-numeric amount', { amount: 'lots', currency: 'USD' }, ['amount']],
      ['too many decimals', { amount: '1.23456', currency: 'USD' }, ['amount']],
      [
        'too many digits before the point',
        { amount: '9999999999999.5', currency: 'USD' },
        ['amount must be a non-negative number with at most 12 digits before'],
      ],
      [
        'an amount sent as a JSON number',
        { amount: 1500, currency: 'USD' },
        ['amount must be a string'],
      ],
      ['a missing amount', { currency: 'USD' }, ['amount']],
      ['a lower-case currency', { amount: '1', currency: 'usd' }, ['currency']],
      ['a long currency', { amount: '1', currency: 'EURO' }, ['currency']],
      [
        'a threshold of zero',
        { amount: '1', currency: 'USD', thresholds: [0, 50] },
        ['thresholds'],
      ],
      [
        'repeated thresholds',
        { amount: '1', currency: 'USD', thresholds: [50, 50] },
        ['thresholds must not repeat'],
      ],
      [
        'thresholds that are not a list of numbers',
        { amount: '1', currency: 'USD', thresholds: '50,80' },
        ['thresholds'],
      ],
      [
        'an unknown field',
        { amount: '1', currency: 'USD', owner: 'group:default/x' },
        ['unknown field(s) owner'],
      ],
      [
        'several problems at once',
        { amount: '-1', currency: 'us', thresholds: [2000], extra: true },
        ['amount', 'currency', 'thresholds', 'unknown field(s) extra'],
      ],
    ])(
      'refuses %s with 400 naming the field, writing nothing',
      async (_, body, fields) => {
        const { server, knex } = await startBackend(databaseId);
        const res = await request(server)
          .put(CHECKOUT)
          .set(as(OWNER))
          .send(body);
        expect(res.status).toBe(400);
        expect(res.body.error.name).toBe('InputError');
        expect(res.body.error.message).toMatch(/^Invalid budget: /);
        for (const field of fields) {
          expect(res.body.error.message).toContain(field);
        }
        expect(await budgetRows(knex)).toEqual([]);
        // Refused before the catalog or the permission framework is asked.
        expect(authorized).toEqual([]);

        const [{ value }] = auditor.createEvent.mock.results;
        expect((await value).fail).toHaveBeenCalled();
        const meta = auditor.createEvent.mock.calls[0][0].meta!;
        expect(Object.keys(meta).sort()).toEqual([
          'amount',
          'currency',
          'entityRef',
          'thresholds',
        ]);
      },
    );

    it('refuses a body that is not an object', async () => {
      const { server, knex } = await startBackend(databaseId);
      const res = await request(server)
        .put(CHECKOUT)
        .set(as(OWNER))
        .set('Content-Type', 'application/json')
        .send('["1500.00", "USD"]');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(
        'the body must be a JSON object',
      );
      expect(await budgetRows(knex)).toEqual([]);
    });

    it('answers 404 for an entity that is not in the catalog', async () => {
      const { server, knex } = await startBackend(databaseId);
      const path = '/api/ownops/entities/component/default/nope/budget';
      const get = await request(server).get(path).set(as(OWNER));
      expect(get.status).toBe(404);
      expect(get.body.error.message).toBe(
        'component:default/nope was not found in the catalog',
      );
      const put = await request(server)
        .put(path)
        .set(as(OWNER))
        .send({ amount: '1', currency: 'USD' });
      expect(put.status).toBe(404);
      expect(put.body.error.message).toBe(
        'component:default/nope was not found in the catalog',
      );
      expect(await budgetRows(knex)).toEqual([]);
    });

    it.each([
      ['user', 'alice', 'user:default/alice is of kind User'],
      ['api', 'checkout-api', 'api:default/checkout-api is of kind API'],
    ])(
      'answers 400 for a %s, which has no budget',
      async (kind, name, message) => {
        const { server, knex } = await startBackend(databaseId);
        const path = `/api/ownops/entities/${kind}/default/${name}/budget`;
        const get = await request(server).get(path).set(as(OWNER));
        expect(get.status).toBe(400);
        expect(get.body.error.message).toBe(
          `${message}; budgets are set on components and groups`,
        );
        const put = await request(server)
          .put(path)
          .set(as(OWNER))
          .send({ amount: '1', currency: 'USD' });
        expect(put.status).toBe(400);
        expect(put.body.error.message).toContain(message);
        expect(await budgetRows(knex)).toEqual([]);
      },
    );

    it('refuses a budget change without ownops.budget.update, audits the denial and writes nothing', async () => {
      const { server, knex } = await startBackend(databaseId);
      for (const user of [OUTSIDER, FINANCE]) {
        const res = await request(server)
          .put(CHECKOUT)
          .set(as(user))
          .send({ amount: '99.99', currency: 'USD', thresholds: [80] });
        expect(res.status).toBe(403);
        expect(res.body.error.message).toBe(
          'You may not set the budget of component:default/checkout (permission ownops.budget.update); ask one of its owners',
        );
      }
      expect(await budgetRows(knex)).toEqual([]);
      expect(authorized).toContainEqual({
        user: OUTSIDER,
        permission: 'ownops.budget.update',
      });

      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'budget-update',
          meta: {
            entityRef: 'component:default/checkout',
            amount: '99.99',
            currency: 'USD',
            thresholds: [80],
          },
        }),
      );
      const event = await auditor.createEvent.mock.results[0].value;
      expect(event.fail).toHaveBeenCalledWith({
        error: expect.objectContaining({ name: 'NotAllowedError' }),
      });
      expect(event.success).not.toHaveBeenCalled();
    });

    it('needs user credentials to change a budget, and audits the refusal', async () => {
      const { server, knex } = await startBackend(databaseId);
      const res = await request(server)
        .put(CHECKOUT)
        .set('Authorization', mockCredentials.service.header())
        .send({ amount: '1', currency: 'USD' });
      expect(res.status).toBe(403);
      expect(await budgetRows(knex)).toEqual([]);
      expect(auditor.createEvent).toHaveBeenCalledTimes(1);
      const event = await auditor.createEvent.mock.results[0].value;
      expect(event.fail).toHaveBeenCalledWith({
        error: expect.objectContaining({ name: 'NotAllowedError' }),
      });
    });

    it('reads a budget from the ownops.io/budget annotation and refuses to change it with 409', async () => {
      const { server, knex } = await startBackend(databaseId);
      const path = '/api/ownops/entities/component/default/annotated/budget';
      const read = await request(server).get(path).set(as(FINANCE));
      expect(read.status).toBe(200);
      expect(read.body).toEqual({
        source: 'annotation',
        budget: {
          entityRef: 'component:default/annotated',
          amount: '800',
          currency: 'USD',
          thresholds: [80, 100],
          updatedBy: 'component:default/annotated',
          updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        },
      });

      const put = await request(server)
        .put(path)
        .set(as(OWNER))
        .send({ amount: '900', currency: 'USD' });
      expect(put.status).toBe(409);
      expect(put.body.error.name).toBe('ConflictError');
      expect(put.body.error.message).toBe(
        'The budget of component:default/annotated comes from the ownops.io/budget annotation in its catalog-info.yaml ("800 USD | 80,100"); change it there',
      );
      expect(await budgetRows(knex)).toEqual([]);
      const event = await auditor.createEvent.mock.results[0].value;
      expect(event.fail).toHaveBeenCalledWith({
        error: expect.objectContaining({ name: 'ConflictError' }),
      });
    });

    it('ignores an invalid annotation for reads and refuses a budget change with 400 until it is fixed', async () => {
      const { server, knex } = await startBackend(databaseId);
      const path = '/api/ownops/entities/component/default/misannotated/budget';
      const read = await request(server).get(path).set(as(OWNER));
      expect(read.status).toBe(200);
      expect(read.body).toEqual({ budget: null });

      const put = await request(server)
        .put(path)
        .set(as(OWNER))
        .send({ amount: '900', currency: 'USD' });
      expect(put.status).toBe(400);
      expect(put.body.error.message).toMatch(
        /^component:default\/misannotated has an invalid ownops.io\/budget annotation in its catalog-info.yaml \(ownops.io\/budget: currency must be/,
      );
      expect(await budgetRows(knex)).toEqual([]);
    });

    it('shows a budget to readers of the entity cost or of all cost, and to nobody else', async () => {
      const { server } = await startBackend(databaseId);
      await request(server)
        .put(CHECKOUT)
        .set(as(OWNER))
        .send({ amount: '42', currency: 'USD' })
        .expect(200);

      const finance = await request(server).get(CHECKOUT).set(as(FINANCE));
      expect(finance.status).toBe(200);
      expect(finance.body.budget).toMatchObject({ amount: '42' });

      const outsider = await request(server).get(CHECKOUT).set(as(OUTSIDER));
      expect(outsider.status).toBe(403);
      expect(outsider.body.error.message).toBe(
        'You may not read the cost of component:default/checkout (permission ownops.cost.read or ownops.cost.readAll)',
      );
      expect(outsider.body).not.toHaveProperty('budget');
    });
  });
});
