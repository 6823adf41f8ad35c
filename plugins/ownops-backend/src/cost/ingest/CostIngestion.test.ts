import { spawnSync } from 'node:child_process';
import {
  copyFile,
  cp,
  mkdir,
  mkdtemp,
  readdir,
  rm,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { gzipSync } from 'node:zlib';
import { mockServices } from '@backstage/backend-test-utils';
import { DEFAULT_OWNER_TAG_KEYS } from '@ownops/backstage-plugin-common';
import {
  FocusExportDelivery,
  FocusExportSource,
} from '@ownops/backstage-plugin-node';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { CostStore } from '../../database/CostStore';
import { DatabaseCostStore } from '../../database/DatabaseCostStore';
import { ReplicaTroubles } from '../../health/ReplicaTroubles';
import { writeParquet } from '../focus/__testUtils__/writeParquet';
import { FocusFilesCostSource } from '../sources/FocusFilesCostSource';
import { CostIngestion, CostIngestionOptions } from './CostIngestion';

jest.setTimeout(60_000);

const SAMPLE = resolvePath(__dirname, '../focus/__fixtures__/focus_sample.csv');
const GENERATOR = resolvePath(
  __dirname,
  '../../../../../examples/cost/generate.mjs',
);

const HEADER =
  'BilledCost,EffectiveCost,BillingCurrency,BillingPeriodStart,ChargePeriodStart,ChargePeriodEnd,ServiceName,ServiceCategory,ChargeCategory,ChargeClass,ResourceId,Tags';

function row(fields: {
  billed: string;
  effective?: string;
  currency?: string;
  period?: string;
  start: string;
  category?: string;
  chargeCategory?: string;
  chargeClass?: string;
  resource?: string;
  tags?: Record<string, string>;
}): string {
  const end = new Date(Date.parse(fields.start) + 86_400_000)
    .toISOString()
    .replace('.000', '');
  const tags = JSON.stringify(fields.tags ?? {}).replace(/"/g, '""');
  return [
    fields.billed,
    fields.effective ?? fields.billed,
    fields.currency ?? 'USD',
    `${fields.period ?? fields.start.slice(0, 7)}-01T00:00:00Z`,
    fields.start,
    end,
    'Amazon Elastic Compute Cloud',
    fields.category ?? 'Compute',
    fields.chargeCategory ?? 'Usage',
    fields.chargeClass ?? '',
    fields.resource ?? 'i-1',
    `"${tags}"`,
  ].join(',');
}

const checkout = {
  'backstage-entity': 'component:default/checkout-service',
  owner: 'team-checkout',
  'cost-center': 'cc-1001',
  environment: 'production',
};

/** Ingestion of one focus-files source, `focus`, over `sourceFolder`. */
function ingestionOver(
  store: CostStore,
  sourceFolder: string,
  {
    options,
    ...more
  }: Partial<
    Omit<ConstructorParameters<typeof CostIngestion>[0], 'options'> & {
      options: Partial<CostIngestionOptions>;
    }
  > = {},
) {
  return new CostIngestion({
    sources: [new FocusFilesCostSource('focus', sourceFolder)],
    store,
    keys: DEFAULT_OWNER_TAG_KEYS,
    logger: mockServices.logger.mock(),
    auditor: mockServices.auditor.mock(),
    options: {
      topUnallocated: 10,
      lookbackMonths: 3,
      staleAfterMs: 60_000,
      heartbeatMs: 1_000,
      ...options,
    },
    ...more,
  });
}

describe('CostIngestion with focus-files', () => {
  const databases = createTestDatabases();
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'ownops-focus-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  async function setUp(databaseId: Parameters<typeof databases.init>[0]) {
    const store = await DatabaseCostStore.createForTest(
      await databases.init(databaseId),
    );
    const auditor = mockServices.auditor.mock();
    const ingestion = ingestionOver(store, folder, {
      auditor,
      now: () => new Date('2026-11-27T12:00:00Z'),
    });
    const total = async (filter = {}) =>
      store.sum({ from: '2000-01-01', to: '2100-01-01', ...filter }, []);
    return { store, ingestion, total, auditor };
  }

  it.each(databases.eachSupportedId())(
    'records the end of a run through a dropped database connection, %p',
    async databaseId => {
      const store = await DatabaseCostStore.createForTest(
        await databases.init(databaseId),
      );
      let drops = 2;
      const flaky: DatabaseCostStore = Object.create(store);
      flaky.finishRun = async (...args) => {
        if (drops-- > 0) throw new Error('Connection terminated unexpectedly');
        return store.finishRun(...args);
      };
      const troubles = new ReplicaTroubles();
      const ingestion = ingestionOver(flaky, folder, { troubles });
      await writeFile(
        join(folder, 'bill.csv'),
        [HEADER, row({ billed: '2', start: '2026-11-02T00:00:00Z' })].join(
          '\n',
        ),
      );
      const [run] = await ingestion.runAll();
      expect(run.status).toBe('succeeded');
      expect((await store.lastRuns(['focus'])).get('focus')?.status).toBe(
        'succeeded',
      );
      expect(troubles.list().map(t => t.operation)).toEqual([
        `recording the end of cost ingestion run ${run.id}`,
        `recording the end of cost ingestion run ${run.id}`,
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'ingests the FinOps Foundation sample exactly, all unallocated under the default keys, %p',
    async databaseId => {
      const { ingestion, total, store } = await setUp(databaseId);
      await copyFile(SAMPLE, join(folder, 'focus_sample.csv'));
      const [run] = await ingestion.runAll();
      expect(run).toMatchObject({
        status: 'succeeded',
        rowsRead: 1000,
        rowsRejected: 0,
        billingPeriods: ['2024-09', '2024-10'],
        unallocatedShare: [{ currency: 'USD', percent: 100 }],
      });
      // The stored rollups are rounded to nanos once each, so the total is
      // the exact bill (20.52022672899) to within a nano per rollup.
      const [usd] = await total();
      expect(usd.currency).toBe('USD');
      expect(Number(usd.billedCost)).toBeCloseTo(20.52022672899, 6);
      expect(Number(usd.effectiveCost)).toBeCloseTo(14.97651418586, 6);
      const top = await store.topUnallocated('2024-09', '2024-10', 3);
      expect(top.map(t => t.effectiveCost)).toEqual(['2', '2', '2']);

      // Re-ingesting the same bill changes nothing.
      await ingestion.runAll();
      expect(await total()).toEqual([usd]);
    },
  );

  it.each(databases.eachSupportedId())(
    'attributes each share of a FOCUS 1.3 split charge to the service its AllocatedTags name, exactly, %p',
    async databaseId => {
      const { ingestion, total, store } = await setUp(databaseId);
      const quoted = (json: object) =>
        `"${JSON.stringify(json).replace(/"/g, '""')}"`;
      const service = (name: string) => ({
        'backstage-entity': `component:default/${name}`,
        owner: 'team-checkout',
      });
      // One node of a shared cluster (10.000000001 USD for the day), split
      // by CPU requests over the pods of two services.
      const origin = quoted({
        owner: 'team-platform',
        'cost-center': 'cc-9000',
        environment: 'production',
      });
      const share = (amount: string, pod: string, tags: object) =>
        `${amount},${amount},USD,2026-11-01T00:00:00Z,2026-11-02T00:00:00Z,2026-11-01T00:00:00Z,AWS,AWS,Amazon Elastic Compute Cloud,Compute,Usage,arn:aws:ec2:us-east-1:1:instance/i-node,${origin},Proportional,${pod},${quoted(
          tags,
        )}`;
      await writeFile(
        join(folder, 'focus-1.3.csv'),
        [
          'BilledCost,EffectiveCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,BillingPeriodStart,ServiceProviderName,HostProviderName,ServiceName,ServiceCategory,ChargeCategory,ResourceId,Tags,AllocatedMethodId,AllocatedResourceId,AllocatedTags',
          share('6.666666667', 'pod/checkout-7f9', service('checkout-service')),
          share('3.333333334', 'pod/cart-5d2', service('cart-service')),
        ].join('\n'),
      );
      const [run] = await ingestion.runAll();
      expect(run).toMatchObject({ status: 'succeeded', rowsRead: 2 });

      // The origin's owner, cost center and environment stay where the
      // allocated tags say nothing; entity and owner are the allocated pod's.
      expect(
        await store.sum({ from: '2026-11-01', to: '2026-11-02' }, [
          'entityRef',
          'ownerRef',
          'costCenter',
          'environment',
        ]),
      ).toEqual([
        {
          entityRef: 'component:default/cart-service',
          ownerRef: 'group:default/team-checkout',
          costCenter: 'cc-9000',
          environment: 'production',
          currency: 'USD',
          billedCost: '3.333333334',
          effectiveCost: '3.333333334',
        },
        {
          entityRef: 'component:default/checkout-service',
          ownerRef: 'group:default/team-checkout',
          costCenter: 'cc-9000',
          environment: 'production',
          currency: 'USD',
          billedCost: '6.666666667',
          effectiveCost: '6.666666667',
        },
      ]);
      expect(await total()).toEqual([
        {
          currency: 'USD',
          billedCost: '10.000000001',
          effectiveCost: '10.000000001',
        },
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'ingests the example bill as Parquet (tags as a map, and as a JSON string) into exactly the rollups of its CSV, %p',
    async databaseId => {
      const { store } = await setUp(databaseId);
      const csv = join(folder, 'csv');
      const made = spawnSync(
        process.execPath,
        [GENERATOR, '--today', '2026-12-15', '--out', csv],
        { encoding: 'utf8' },
      );
      expect(made.stderr).toBe('');
      const files = (await readdir(csv)).sort();
      expect(files).toEqual([
        'focus-2026-09.csv',
        'focus-2026-10.csv',
        'focus-2026-11.csv',
        'focus-2026-12.csv',
      ]);
      for (const [variant, tags] of [
        ['map', 'map'],
        ['json', 'json'],
      ] as const) {
        await mkdir(join(folder, variant));
        for (const file of files) {
          await writeParquet(
            join(csv, file),
            join(folder, variant, file.replace('.csv', '.parquet')),
            { tags, compression: variant === 'map' ? 'zstd' : 'snappy' },
          );
        }
      }
      // One source over a folder that holds each variant in turn: each
      // run replaces the periods the run before stored.
      const current = join(folder, 'current');
      const ingestion = ingestionOver(store, current);
      const ingest = async (variant: string) => {
        await rm(current, { recursive: true, force: true });
        await cp(join(folder, variant), current, { recursive: true });
        const [run] = await ingestion.runAll();
        expect(run).toMatchObject({
          status: 'succeeded',
          billingPeriods: ['2026-09', '2026-10', '2026-11', '2026-12'],
        });
        const rollups = await store.sum(
          { from: '2026-01-01', to: '2027-01-01' },
          [
            'day',
            'entityRef',
            'ownerRef',
            'costCenter',
            'environment',
            'serviceCategory',
          ],
        );
        return { rowsRead: run.rowsRead, rollups };
      };
      const fromCsv = await ingest('csv');
      expect(fromCsv.rollups.length).toBeGreaterThan(1000);
      expect(await ingest('map')).toEqual(fromCsv);
      expect(await ingest('json')).toEqual(fromCsv);
    },
  );

  it.each(databases.eachSupportedId())(
    'counts credits and later corrections once, keeps currencies apart, and replaces restated periods, %p',
    async databaseId => {
      const { ingestion, total } = await setUp(databaseId);
      const september = [
        HEADER,
        row({ billed: '10.5', start: '2026-09-01T00:00:00Z', tags: checkout }),
        row({ billed: '4', start: '2026-09-02 00:00:00', tags: checkout }),
        row({
          billed: '-1.25',
          start: '2026-09-02T00:00:00Z',
          chargeCategory: 'Credit',
          tags: checkout,
        }),
        row({ billed: '3', currency: 'EUR', start: '2026-09-03T00:00:00Z' }),
      ];
      await writeFile(join(folder, 'focus-2026-09.csv'), september.join('\n'));
      // October's bill corrects a September day.
      const october = [
        HEADER,
        row({
          billed: '-0.5',
          period: '2026-10',
          start: '2026-09-01T00:00:00Z',
          chargeClass: 'Correction',
          chargeCategory: 'Adjustment',
          tags: checkout,
        }),
        row({ billed: '2', start: '2026-10-01T00:00:00Z', tags: checkout }),
      ];
      await mkdir(join(folder, 'october'));
      await writeFile(
        join(folder, 'october', 'focus-2026-10.csv.gz'),
        gzipSync(october.join('\n')),
      );

      const [run] = await ingestion.runAll();
      expect(run).toMatchObject({
        status: 'succeeded',
        rowsRead: 6,
        billingPeriods: ['2026-09', '2026-10'],
      });
      const september1 = { from: '2026-09-01', to: '2026-10-01' };
      expect(await total(september1)).toEqual([
        { currency: 'EUR', billedCost: '3', effectiveCost: '3' },
        { currency: 'USD', billedCost: '12.75', effectiveCost: '12.75' },
      ]);

      await ingestion.runAll();
      await ingestion.runAll();
      expect(await total(september1)).toEqual([
        { currency: 'EUR', billedCost: '3', effectiveCost: '3' },
        { currency: 'USD', billedCost: '12.75', effectiveCost: '12.75' },
      ]);

      // September is restated without the EUR line.
      await writeFile(
        join(folder, 'focus-2026-09.csv'),
        september.slice(0, 4).join('\n'),
      );
      await ingestion.runAll();
      expect(await total(september1)).toEqual([
        { currency: 'USD', billedCost: '12.75', effectiveCost: '12.75' },
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'stores nothing of a run with a malformed row and names file, line and column, %p',
    async databaseId => {
      const { ingestion, total, auditor } = await setUp(databaseId);
      await writeFile(
        join(folder, 'a.csv'),
        [HEADER, row({ billed: '1', start: '2026-09-01T00:00:00Z' })].join(
          '\n',
        ),
      );
      await ingestion.runAll();
      const before = await total();
      expect(before).toEqual([
        { currency: 'USD', billedCost: '1', effectiveCost: '1' },
      ]);

      await writeFile(
        join(folder, 'a.csv'),
        [HEADER, row({ billed: '5', start: '2026-09-01T00:00:00Z' })].join(
          '\n',
        ),
      );
      await writeFile(
        join(folder, 'b.csv'),
        [
          HEADER,
          row({ billed: '2', start: '2026-09-02T00:00:00Z' }),
          row({ billed: '"1,5"', start: '2026-09-03T00:00:00Z' }),
        ].join('\n'),
      );
      const [run] = await ingestion.runAll();
      expect(run).toMatchObject({
        status: 'failed',
        rowsRead: 2,
        rowsRejected: 1,
        billingPeriods: [],
      });
      expect(run.error).toMatch(/^b\.csv, line 3, column BilledCost \(#1\)/);
      expect(await total()).toEqual(before);
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({ eventId: 'cost-ingestion' }),
      );
      expect(await ingestion.status()).toEqual({
        sources: [
          {
            id: 'focus',
            location: `folder ${folder}`,
            lastRun: expect.objectContaining(run),
          },
        ],
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses a file without mandatory columns, listing them, %p',
    async databaseId => {
      const { ingestion } = await setUp(databaseId);
      await writeFile(
        join(folder, 'x.csv'),
        'BilledCost,BillingCurrency\n1,USD\n',
      );
      const [run] = await ingestion.runAll();
      expect(run.status).toBe('failed');
      expect(run.error).toContain('x.csv, line 1: not a FOCUS file');
      expect(run.error).toContain('EffectiveCost');
    },
  );

  it.each(databases.eachSupportedId())(
    'starts a manual run in the background and answers with the running run, %p',
    async databaseId => {
      const { ingestion, store } = await setUp(databaseId);
      await writeFile(
        join(folder, 'a.csv'),
        [HEADER, row({ billed: '1', start: '2026-09-01T00:00:00Z' })].join(
          '\n',
        ),
      );
      const [run] = await ingestion.startAll('user:default/fiona');
      expect(run).toMatchObject({
        status: 'running',
        trigger: 'manual',
        requestedBy: 'user:default/fiona',
      });
      // A second request while it runs gets the same run.
      const again = await ingestion.startAll('user:default/fiona');
      expect(again.map(r => r.id)).toEqual([run.id]);
      await waitFor(async () => {
        const last = (await store.lastRuns(['focus'])).get('focus');
        expect(last?.status).toBe('succeeded');
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'warns, naming the folder, when a run finds no billing rows, until one does, %p',
    async databaseId => {
      const { ingestion } = await setUp(databaseId);
      // A file it does not read: nothing to ingest, though the folder is not empty.
      await writeFile(join(folder, 'focus-2026-11.xlsx'), 'PK');
      const [empty] = await ingestion.runAll();
      expect(empty).toMatchObject({ status: 'succeeded', rowsRead: 0 });
      const [source] = (await ingestion.status()).sources;
      expect(source).toEqual({
        id: 'focus',
        location: `folder ${folder}`,
        lastRun: expect.objectContaining({ id: empty.id }),
        warning: `The last run of focus found no billing rows in folder ${folder}: check that the export still delivers there, in a format the source reads. Cost figures are those of earlier runs.`,
      });

      await writeFile(
        join(folder, 'bill.csv'),
        [HEADER, row({ billed: '2', start: '2026-11-02T00:00:00Z' })].join(
          '\n',
        ),
      );
      await ingestion.runAll();
      expect((await ingestion.status()).sources[0].warning).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'reads a folder again only when its files changed, %p',
    async databaseId => {
      const { ingestion, total } = await setUp(databaseId);
      const bill = join(folder, 'bill.csv');
      await writeFile(
        bill,
        [HEADER, row({ billed: '2', start: '2026-11-02T00:00:00Z' })].join(
          '\n',
        ),
      );
      const [first] = await ingestion.runAll();
      expect(first).toMatchObject({ rowsRead: 1, billingPeriods: ['2026-11'] });
      expect(first.unchangedDeliveries).toBeUndefined();

      const [again] = await ingestion.runAll();
      expect(again).toMatchObject({
        status: 'succeeded',
        rowsRead: 0,
        billingPeriods: [],
        unchangedDeliveries: 1,
      });
      // Skipping an unchanged folder is not finding nothing.
      expect((await ingestion.status()).sources[0].warning).toBeUndefined();
      expect(await total()).toEqual([
        { currency: 'USD', billedCost: '2', effectiveCost: '2' },
      ]);

      await writeFile(
        bill,
        [HEADER, row({ billed: '2.5', start: '2026-11-02T00:00:00Z' })].join(
          '\n',
        ),
      );
      const [changed] = await ingestion.runAll();
      expect(changed).toMatchObject({
        rowsRead: 1,
        billingPeriods: ['2026-11'],
      });
      expect(await total()).toEqual([
        { currency: 'USD', billedCost: '2.5', effectiveCost: '2.5' },
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'ingests only the export deliveries that changed, refuses one whose row count disagrees, and warns when none came for too long, %p',
    async databaseId => {
      const store = await DatabaseCostStore.createForTest(
        await databases.init(databaseId),
      );
      const read = new Set<string>();
      const delivery = (
        key: string,
        fingerprint: string,
        csv: string,
        expectedRows?: number,
      ): FocusExportDelivery => ({
        key,
        fingerprint,
        location: `s3://bills/focus/data/${key}`,
        expectedRows,
        files: async scratch => {
          read.add(key);
          const path = join(scratch, `${key}.csv`);
          await writeFile(path, csv);
          return [path];
        },
      });
      const bill = (period: string, amount: string) =>
        [
          HEADER,
          row({
            billed: amount,
            start: `${period}-03T00:00:00Z`,
            tags: checkout,
          }),
          row({ billed: '1', start: `${period}-04T00:00:00Z` }),
        ].join('\n');
      let deliveries: FocusExportDelivery[] = [];
      const source: FocusExportSource = {
        id: 'aws-focus',
        location: 's3://bills/focus',
        deliveries: async () => deliveries,
      };
      let now = new Date('2026-11-27T12:00:00Z');
      const ingestion = ingestionOver(store, folder, {
        sources: [source],
        options: { deliveryWarningAfterMs: 72 * 3_600_000 },
        now: () => now,
      });
      const total = async () =>
        store.sum({ from: '2000-01-01', to: '2100-01-01' }, []);

      deliveries = [
        delivery('BILLING_PERIOD=2026-10', 'exec-1', bill('2026-10', '10'), 2),
        delivery('BILLING_PERIOD=2026-11', 'exec-2', bill('2026-11', '20'), 2),
      ];
      const [first] = await ingestion.runAll();
      expect(first).toMatchObject({
        status: 'succeeded',
        rowsRead: 4,
        billingPeriods: ['2026-10', '2026-11'],
      });

      // November restated, October unchanged: only November is read.
      read.clear();
      deliveries = [
        delivery('BILLING_PERIOD=2026-10', 'exec-1', bill('2026-10', '10'), 2),
        delivery('BILLING_PERIOD=2026-11', 'exec-3', bill('2026-11', '25'), 2),
      ];
      const [restated] = await ingestion.runAll();
      expect([...read]).toEqual(['BILLING_PERIOD=2026-11']);
      expect(restated).toMatchObject({
        rowsRead: 2,
        billingPeriods: ['2026-11'],
        unchangedDeliveries: 1,
      });
      expect(await total()).toEqual([
        { currency: 'USD', billedCost: '37', effectiveCost: '37' },
      ]);

      // A manifest that declares more rows than its files hold.
      deliveries = [
        delivery('BILLING_PERIOD=2026-11', 'exec-4', bill('2026-11', '99'), 3),
      ];
      const [short] = await ingestion.runAll();
      expect(short).toMatchObject({ status: 'failed', rowsRejected: 0 });
      expect(short.error).toBe(
        'Delivery BILLING_PERIOD=2026-11 (s3://bills/focus/data/BILLING_PERIOD=2026-11): its manifest declares 3 rows, but 2 were read; nothing of it was stored',
      );
      expect(await total()).toEqual([
        { currency: 'USD', billedCost: '37', effectiveCost: '37' },
      ]);
      // Not stored, so the next run tries it again.
      read.clear();
      deliveries = [
        delivery('BILLING_PERIOD=2026-11', 'exec-4', bill('2026-11', '99'), 2),
      ];
      await ingestion.runAll();
      expect([...read]).toEqual(['BILLING_PERIOD=2026-11']);
      expect(await total()).toEqual([
        { currency: 'USD', billedCost: '111', effectiveCost: '111' },
      ]);

      // Three days later, nothing new was delivered.
      expect((await ingestion.status()).sources[0].warning).toBeUndefined();
      now = new Date('2026-11-30T12:00:01Z');
      await ingestion.runAll();
      expect((await ingestion.status()).sources[0].warning).toBe(
        'No new delivery of aws-focus in s3://bills/focus since 2026-11-27T12:00:00.000Z: check that the export still runs and delivers there.',
      );
    },
  );
});

async function waitFor(check: () => Promise<void>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise(r => setTimeout(r, 50));
    }
  }
}
