import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { ownopsPlugin } from '../plugin';

jest.setTimeout(60_000);

const OWNER = 'user:default/alice';
const FINANCE = 'user:default/fiona';
const OUTSIDER = 'user:default/bob';

const component = (name: string, owner: string, system?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', title: `${name} title` },
  spec: { owner, type: 'service', ...(system && { system }) },
});

/** The owner reads checkout's cost; finance reads all and ingests; the outsider nothing. */
function decide(
  user: string | undefined,
  permission: string,
  resourceRef?: string,
) {
  if (
    user === OWNER &&
    permission === 'ownops.cost.read' &&
    resourceRef === 'component:default/checkout'
  ) {
    return AuthorizeResult.ALLOW;
  }
  if (
    user === FINANCE &&
    ['ownops.cost.readAll', 'ownops.cost.ingest'].includes(permission)
  ) {
    return AuthorizeResult.ALLOW;
  }
  return AuthorizeResult.DENY;
}

const as = (user: string) => ({
  Authorization: mockCredentials.user.header(user),
});

const HEADER =
  'BilledCost,EffectiveCost,BillingCurrency,BillingPeriodStart,ChargePeriodStart,ChargePeriodEnd,ServiceName,ServiceCategory,ChargeCategory,ResourceId,Tags';

function line(
  day: string,
  amount: string,
  category: string,
  tags: Record<string, string>,
  currency = 'USD',
) {
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000)
    .toISOString()
    .slice(0, 10);
  return [
    amount,
    amount,
    currency,
    `${day.slice(0, 7)}-01T00:00:00Z`,
    `${day}T00:00:00Z`,
    `${next}T00:00:00Z`,
    'Amazon EC2',
    category,
    'Usage',
    tags.resource ?? 'i-1',
    `"${JSON.stringify(tags).replace(/"/g, '""')}"`,
  ].join(',');
}

const checkoutTags = (environment: string) => ({
  'backstage-entity': 'component:default/checkout',
  owner: 'group:default/team-checkout',
  'cost-center': 'cc-1001',
  environment,
});

const BILL = [
  HEADER,
  // The previous period (for the change against it).
  line('2026-10-20', '5', 'Compute', checkoutTags('production')),
  line('2026-11-01', '10', 'Compute', checkoutTags('production')),
  line('2026-11-01', '2.5', 'Storage', checkoutTags('staging')),
  line('2026-11-02', '4', 'Compute', checkoutTags('production')),
  line('2026-11-02', '3', 'Databases', {
    'backstage-entity': 'component:default/payments',
    owner: 'team-payments',
    'cost-center': 'cc-1002',
    environment: 'production',
  }),
  line('2026-11-02', '1.25', 'Networking', { resource: 'nat-gateway-1' }),
  line('2026-11-02', '7', 'Compute', checkoutTags('production'), 'EUR'),
].join('\n');

describe('cost routes', () => {
  const databases = createTestDatabases();
  const auditor = mockServices.auditor.mock();
  let folder: string;

  beforeEach(async () => {
    jest.clearAllMocks();
    folder = await mkdtemp(join(tmpdir(), 'ownops-cost-routes-'));
    await writeFile(join(folder, 'focus-2026-11.csv'), BILL);
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  async function startBackend(
    databaseId: Parameters<typeof databases.init>[0],
  ) {
    const knex = await databases.init(databaseId);
    const permissions = mockServices.permissions.mock({
      authorize: async (requests, options) => {
        const user = (
          options?.credentials.principal as { userEntityRef?: string }
        ).userEntityRef;
        return requests.map(r => ({
          result: decide(
            user,
            r.permission.name,
            (r as { resourceRef?: string }).resourceRef,
          ),
        }));
      },
    });
    const { server } = await startTestBackend({
      features: [
        ownopsPlugin,
        mockServices.database.factory({ knex }),
        catalogServiceMock.factory({
          entities: [
            component('checkout', 'group:default/team-checkout', 'shop'),
            {
              ...component('payments', 'group:default/team-payments', 'shop'),
              metadata: {
                name: 'payments',
                namespace: 'default',
                title: 'payments title',
                annotations: { 'ownops.io/budget': '10.00 USD' },
              },
            },
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Group',
              metadata: { name: 'team-checkout', namespace: 'default' },
              spec: { type: 'team', children: [] },
            },
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'API',
              metadata: { name: 'checkout-api', namespace: 'default' },
              spec: {},
            },
          ],
        }),
        permissions.factory,
        auditor.factory,
        mockServices.rootConfig.factory({
          data: {
            ownops: {
              cost: {
                focusFiles: [{ id: 'example', path: folder }],
                // Far away: the test starts ingestion itself.
                ingestion: {
                  schedule: {
                    frequency: { hours: 6 },
                    timeout: { hours: 1 },
                    initialDelay: { hours: 6 },
                  },
                },
              },
            },
          },
        }),
      ],
    });
    return { server };
  }

  async function ingest(server: Parameters<typeof request>[0]) {
    const started = await request(server)
      .post('/api/ownops/cost/ingestion')
      .set(as(FINANCE))
      .send({});
    expect(started.status).toBe(202);
    expect(started.body.runs).toEqual([
      expect.objectContaining({
        source: 'example',
        trigger: 'manual',
        requestedBy: FINANCE,
        status: 'running',
      }),
    ]);
    for (let i = 0; i < 200; i++) {
      const status = await request(server)
        .get('/api/ownops/cost/ingestion')
        .set(as(FINANCE));
      const run = status.body.sources[0].lastRun;
      if (run.status !== 'running') return run;
      await new Promise(r => setTimeout(r, 50));
    }
    throw new Error('ingestion did not finish');
  }

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('lets only users with ownops.cost.ingest start ingestion, and audits it', async () => {
      const { server } = await startBackend(databaseId);
      const anonymous = await request(server)
        .post('/api/ownops/cost/ingestion')
        .set('Authorization', mockCredentials.none.header())
        .send({});
      expect(anonymous.status).toBe(401);
      const outsider = await request(server)
        .post('/api/ownops/cost/ingestion')
        .set(as(OUTSIDER))
        .send({});
      expect(outsider.status).toBe(403);
      expect(outsider.body.error.message).toContain('ownops.cost.ingest');
      expect(
        (
          await request(server)
            .get('/api/ownops/cost/ingestion')
            .set(as(OUTSIDER))
        ).status,
      ).toBe(403);
      const extra = await request(server)
        .post('/api/ownops/cost/ingestion')
        .set(as(FINANCE))
        .send({ force: true });
      expect(extra.status).toBe(400);
      expect(extra.body.error.message).toContain('force');

      const run = await ingest(server);
      expect(run).toMatchObject({
        status: 'succeeded',
        rowsRead: 7,
        rowsRejected: 0,
        billingPeriods: ['2026-10', '2026-11'],
      });
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({ eventId: 'cost-ingestion-start' }),
      );
    });

    it("serves an entity's cost to its owner and finance, not to others", async () => {
      const { server } = await startBackend(databaseId);
      await ingest(server);
      const url = '/api/ownops/entities/component/default/checkout/cost';
      const owner = await request(server)
        .get(`${url}?from=2026-11-01&to=2026-11-03`)
        .set(as(OWNER));
      expect(owner.status).toBe(200);
      expect(owner.body).toMatchObject({
        entityRef: 'component:default/checkout',
        from: '2026-11-01',
        to: '2026-11-03',
        environments: ['production', 'staging'],
        dataRange: { first: '2026-10-20', last: '2026-11-02' },
        totals: [
          { currency: 'EUR', billedCost: '7', effectiveCost: '7' },
          { currency: 'USD', billedCost: '16.5', effectiveCost: '16.5' },
        ],
        budgetStatus: null,
      });
      expect(owner.body.series).toContainEqual({
        day: '2026-11-01',
        serviceCategory: 'Storage',
        environment: 'staging',
        currency: 'USD',
        billedCost: '2.5',
        effectiveCost: '2.5',
      });

      // Defaults: the 30 days up to the last day with data.
      const staging = await request(server)
        .get(`${url}?environment=staging`)
        .set(as(FINANCE));
      expect(staging.status).toBe(200);
      expect(staging.body).toMatchObject({
        from: '2026-10-04',
        to: '2026-11-03',
        environment: 'staging',
        totals: [{ currency: 'USD', effectiveCost: '2.5' }],
      });

      const outsider = await request(server).get(url).set(as(OUTSIDER));
      expect(outsider.status).toBe(403);

      const bad = await request(server)
        .get(`${url}?from=2026-13-01`)
        .set(as(OWNER));
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('from');
      const reversed = await request(server)
        .get(`${url}?from=2026-11-05&to=2026-11-01`)
        .set(as(OWNER));
      expect(reversed.status).toBe(400);
      const unknown = await request(server)
        .get('/api/ownops/entities/component/default/nope/cost')
        .set(as(OWNER));
      expect(unknown.status).toBe(404);
      const api = await request(server)
        .get('/api/ownops/entities/api/default/checkout-api/cost')
        .set(as(FINANCE));
      expect(api.status).toBe(400);
    });

    it('breaks cost down for finance by owner, cost center and system, with CSV', async () => {
      const { server } = await startBackend(databaseId);
      await ingest(server);
      const base = '/api/ownops/cost/breakdown?from=2026-11-01&to=2026-11-03';
      const byOwner = await request(server)
        .get(`${base}&groupBy=owner`)
        .set(as(FINANCE));
      expect(byOwner.status).toBe(200);
      expect(byOwner.body).toMatchObject({
        groupBy: 'owner',
        previousFrom: '2026-10-30',
        previousTo: '2026-11-01',
        costCenters: ['cc-1001', 'cc-1002'],
        totals: [
          { currency: 'EUR', effectiveCost: '7' },
          { currency: 'USD', effectiveCost: '20.75' },
        ],
        unallocated: [{ currency: 'USD', effectiveCost: '1.25' }],
      });
      expect(byOwner.body.rows).toEqual([
        expect.objectContaining({
          key: 'group:default/team-checkout',
          currency: 'EUR',
          effectiveCost: '7',
        }),
        expect.objectContaining({
          key: 'group:default/team-checkout',
          currency: 'USD',
          effectiveCost: '16.5',
          previousEffectiveCost: '0',
          changePercent: null,
        }),
        expect.objectContaining({
          key: 'group:default/team-payments',
          effectiveCost: '3',
        }),
        expect.objectContaining({ key: null, effectiveCost: '1.25' }),
      ]);

      const cc = await request(server)
        .get(`${base}&groupBy=entity&costCenter=cc-1002`)
        .set(as(FINANCE));
      expect(cc.body.rows).toEqual([
        expect.objectContaining({
          key: 'component:default/payments',
          title: 'payments title',
          effectiveCost: '3',
        }),
      ]);

      const longer = await request(server)
        .get(
          '/api/ownops/cost/breakdown?from=2026-10-20&to=2026-11-03&groupBy=system',
        )
        .set(as(FINANCE));
      expect(longer.body.rows).toContainEqual(
        expect.objectContaining({
          key: 'system:default/shop',
          currency: 'USD',
          effectiveCost: '24.5',
        }),
      );

      const csv = await request(server)
        .get(`${base}&groupBy=owner&format=csv`)
        .set(as(FINANCE));
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toContain('text/csv');
      expect(csv.headers['content-disposition']).toContain(
        'ownops-cost-owner-2026-11-01-2026-11-03.csv',
      );
      expect(csv.text.split('\r\n')[0]).toBe(
        'group,title,currency,effective_cost,billed_cost,previous_effective_cost,change_percent,budget_for_range',
      );
      expect(csv.text).toContain('group:default/team-payments,,USD,3,3,0,,');

      expect(
        (await request(server).get(`${base}&groupBy=owner`).set(as(OWNER)))
          .status,
      ).toBe(403);
      const bad = await request(server)
        .get(`${base}&groupBy=planet`)
        .set(as(FINANCE));
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('groupBy');
    });

    it('lists budget statuses for finance, with annotation budgets', async () => {
      const { server } = await startBackend(databaseId);
      await ingest(server);
      const response = await request(server)
        .get('/api/ownops/budgets?month=2026-11')
        .set(as(FINANCE));
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        month: '2026-11',
        items: [
          {
            budget: {
              entityRef: 'component:default/payments',
              amount: '10.00',
              currency: 'USD',
            },
            budgetSource: 'annotation',
            monthToDate: '3',
            dataThrough: '2026-11-02',
            title: 'payments title',
          },
        ],
      });
      expect(
        (await request(server).get('/api/ownops/budgets').set(as(OUTSIDER)))
          .status,
      ).toBe(403);
      const bad = await request(server)
        .get('/api/ownops/budgets?month=2026-13')
        .set(as(FINANCE));
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('month');
    });

    it('shows finance the unallocated spend and what to tag first', async () => {
      const { server } = await startBackend(databaseId);
      await ingest(server);
      const response = await request(server)
        .get('/api/ownops/cost/unallocated?from=2026-11-01&to=2026-11-03')
        .set(as(FINANCE));
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        from: '2026-11-01',
        to: '2026-11-03',
        totals: [
          { currency: 'USD', billedCost: '1.25', effectiveCost: '1.25' },
        ],
        share: [{ currency: 'USD', percent: 6 }],
        topResources: [
          {
            resource: 'nat-gateway-1',
            currency: 'USD',
            effectiveCost: '1.25',
            records: 1,
            reasons: ['untagged'],
          },
        ],
      });
    });
  });
});
