import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseCostStore } from './DatabaseCostStore';
import { StoredRollup } from './CostStore';

jest.setTimeout(60_000);

function rollup(overrides: Partial<StoredRollup> = {}): StoredRollup {
  return {
    day: '2026-09-01',
    billingPeriod: '2026-09',
    entityRef: 'component:default/checkout-service',
    ownerRef: 'group:default/team-checkout',
    costCenter: 'cc-1001',
    environment: 'production',
    serviceCategory: 'Compute',
    currency: 'USD',
    billedCost: '1.5',
    effectiveCost: '1.25',
    ...overrides,
  };
}

describe('DatabaseCostStore', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'sums exactly per currency and dimension, %p',
    async databaseId => {
      const store = await DatabaseCostStore.createForTest(
        await databases.init(databaseId),
      );
      await store.replaceBillingPeriods({
        source: 'focus',
        billingPeriods: ['2026-09'],
        rollups: [
          rollup({ billedCost: '0.1', effectiveCost: '0.000000001' }),
          rollup({
            day: '2026-09-02',
            billedCost: '0.2',
            effectiveCost: '0.000000002',
          }),
          rollup({
            day: '2026-09-02',
            serviceCategory: 'Storage',
            billedCost: '-0.3',
            effectiveCost: '-0.3',
          }),
          rollup({ currency: 'EUR', billedCost: '7', effectiveCost: '7' }),
          rollup({
            entityRef: null,
            ownerRef: null,
            costCenter: null,
            environment: null,
            billedCost: '123456789012.123456789',
            effectiveCost: '123456789012.123456789',
          }),
        ],
        unallocated: [],
      });

      expect(
        await store.sum(
          {
            from: '2026-09-01',
            to: '2026-10-01',
            entityRef: 'Component:default/checkout-service',
          },
          [],
        ),
      ).toEqual([
        { currency: 'EUR', billedCost: '7', effectiveCost: '7' },
        {
          currency: 'USD',
          billedCost: '0',
          effectiveCost: '-0.299999997',
        },
      ]);
      expect(
        await store.sum(
          { from: '2026-09-02', to: '2026-09-03', currency: 'USD' },
          ['day', 'serviceCategory'],
        ),
      ).toEqual([
        {
          day: '2026-09-02',
          serviceCategory: 'Compute',
          currency: 'USD',
          billedCost: '0.2',
          effectiveCost: '0.000000002',
        },
        {
          day: '2026-09-02',
          serviceCategory: 'Storage',
          currency: 'USD',
          billedCost: '-0.3',
          effectiveCost: '-0.3',
        },
      ]);
      expect(
        await store.sum(
          { from: '2026-09-01', to: '2026-10-01', unallocatedOnly: true },
          ['entityRef'],
        ),
      ).toEqual([
        {
          entityRef: null,
          currency: 'USD',
          billedCost: '123456789012.123456789',
          effectiveCost: '123456789012.123456789',
        },
      ]);
      expect(await store.dataRange({ currency: 'USD' })).toEqual({
        first: '2026-09-01',
        last: '2026-09-02',
      });
      expect(await store.dataRange({ entityRef: 'component:default/x' })).toBe(
        null,
      );
      expect(await store.distinctValues('costCenter')).toEqual(['cc-1001']);
      // Sums by owner and cost center read the per-owner daily sums.
      expect(
        await store.sum(
          { from: '2026-09-01', to: '2026-10-01', costCenter: 'cc-1001' },
          ['costCenter', 'ownerRef'],
        ),
      ).toEqual([
        {
          costCenter: 'cc-1001',
          ownerRef: 'group:default/team-checkout',
          currency: 'EUR',
          billedCost: '7',
          effectiveCost: '7',
        },
        {
          costCenter: 'cc-1001',
          ownerRef: 'group:default/team-checkout',
          currency: 'USD',
          billedCost: '0',
          effectiveCost: '-0.299999997',
        },
      ]);
      expect(
        await store.sum(
          { from: '2026-09-01', to: '2026-10-01', unallocatedOnly: true },
          [],
        ),
      ).toEqual([
        {
          currency: 'USD',
          billedCost: '123456789012.123456789',
          effectiveCost: '123456789012.123456789',
        },
      ]);
      expect(
        await store.sum(
          {
            from: '2026-09-02',
            to: '2026-09-03',
            ownerRef: 'Group:default/team-checkout',
          },
          ['day'],
        ),
      ).toEqual([
        {
          day: '2026-09-02',
          currency: 'USD',
          billedCost: '-0.1',
          effectiveCost: '-0.299999998',
        },
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'replaces a billing period of a source as a whole and leaves others, %p',
    async databaseId => {
      const store = await DatabaseCostStore.createForTest(
        await databases.init(databaseId),
      );
      const replace = (source: string, billingPeriod: string, amount: string) =>
        store.replaceBillingPeriods({
          source,
          billingPeriods: [billingPeriod],
          rollups: [
            rollup({
              billingPeriod,
              billedCost: amount,
              effectiveCost: amount,
            }),
          ],
          unallocated: [
            {
              billingPeriod,
              resource: 'nat-gateway',
              currency: 'USD',
              effectiveCost: amount,
              records: 2,
              reasons: ['untagged'],
            },
          ],
        });
      await replace('focus', '2026-09', '10');
      await replace('focus', '2026-10', '1'); // a correction billed in October
      await replace('aws', '2026-09', '100');
      await replace('focus', '2026-09', '10'); // the same bill again
      await replace('focus', '2026-09', '12'); // restated
      const total = await store.sum({ from: '2026-09-01', to: '2026-10-01' }, [
        'day',
      ]);
      expect(total).toEqual([
        {
          day: '2026-09-01',
          currency: 'USD',
          billedCost: '113',
          effectiveCost: '113',
        },
      ]);
      expect(await store.topUnallocated('2026-09', '2026-10', 10)).toEqual([
        {
          resource: 'nat-gateway',
          currency: 'USD',
          effectiveCost: '113',
          records: 6,
          reasons: ['untagged'],
        },
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'inserts nothing when a rollup is invalid, %p',
    async databaseId => {
      const store = await DatabaseCostStore.createForTest(
        await databases.init(databaseId),
      );
      await expect(
        store.replaceBillingPeriods({
          source: 'focus',
          billingPeriods: ['2026-09'],
          rollups: [rollup(), rollup({ billedCost: 'twelve' })],
          unallocated: [],
        }),
      ).rejects.toThrow('Not a decimal number');
      await expect(
        store.replaceBillingPeriods({
          source: 'focus',
          billingPeriods: ['2026-09'],
          rollups: [rollup({ billingPeriod: '2026-10' })],
          unallocated: [],
        }),
      ).rejects.toThrow('not among the periods replaced');
      expect(
        await store.sum({ from: '2026-01-01', to: '2027-01-01' }, []),
      ).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'sums only the chosen keys of a dimension, rows without it included on request, %p',
    async databaseId => {
      const store = await DatabaseCostStore.createForTest(
        await databases.init(databaseId),
      );
      await store.replaceBillingPeriods({
        source: 'focus',
        billingPeriods: ['2026-09'],
        rollups: [
          rollup({
            ownerRef: 'group:default/a',
            effectiveCost: '1',
            billedCost: '1',
          }),
          rollup({
            ownerRef: 'group:default/b',
            effectiveCost: '2',
            billedCost: '2',
          }),
          rollup({
            ownerRef: 'group:default/c',
            effectiveCost: '4',
            billedCost: '4',
          }),
          rollup({
            entityRef: null,
            ownerRef: null,
            effectiveCost: '8',
            billedCost: '8',
          }),
        ],
        unallocated: [],
      });
      const range = { from: '2026-09-01', to: '2026-10-01' };
      for (const dimensions of [['ownerRef'], ['day', 'ownerRef']] as const) {
        const sums = await store.sum(
          {
            ...range,
            keys: {
              dimension: 'ownerRef',
              values: ['group:default/a', 'group:default/c', null],
            },
          },
          [...dimensions],
        );
        expect(
          sums
            .map(sum => [sum.ownerRef, sum.effectiveCost])
            .sort((a, b) => Number(a[1]) - Number(b[1])),
        ).toEqual([
          ['group:default/a', '1'],
          ['group:default/c', '4'],
          [null, '8'],
        ]);
      }
      expect(
        await store.sum(
          { ...range, keys: { dimension: 'ownerRef', values: [] } },
          [],
        ),
      ).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'lets one run per source run at a time and fails stale runs, %p',
    async databaseId => {
      const store = await DatabaseCostStore.createForTest(
        await databases.init(databaseId),
      );
      const now = new Date('2026-11-27T10:00:00Z');
      const start = (at: Date) =>
        store.startRun({
          source: 'focus',
          trigger: 'schedule',
          now: at,
          staleAfterMs: 60_000,
        });
      const attempts = await Promise.all([start(now), start(now), start(now)]);
      const started = attempts.filter(Boolean);
      expect(started).toHaveLength(1);
      const first = started[0]!;
      expect(first).toMatchObject({ status: 'running', source: 'focus' });

      expect(
        await store.startRun({
          source: 'aws',
          trigger: 'manual',
          requestedBy: 'user:default/fiona',
          now,
          staleAfterMs: 60_000,
        }),
      ).toMatchObject({ source: 'aws', requestedBy: 'user:default/fiona' });

      await store.heartbeatRun(first.id, new Date(now.getTime() + 30_000));
      expect(await start(new Date(now.getTime() + 80_000))).toBeUndefined();
      const second = await start(new Date(now.getTime() + 100_000));
      expect(second).toBeDefined();
      const runs = await store.lastRuns(['focus', 'aws', 'never']);
      expect(runs.get('never')).toBeNull();
      expect(runs.get('focus')?.id).toBe(second!.id);

      const finished = await store.finishRun(
        second!.id,
        {
          status: 'failed',
          error: 'focus-2026-09.csv line 3 column 2 (BilledCost): bad',
          rowsRead: 2,
          rowsRejected: 1,
          billingPeriods: [],
          unallocatedShare: [{ currency: 'USD', percent: 12.5 }],
        },
        new Date(now.getTime() + 101_000),
      );
      expect(finished).toMatchObject({
        status: 'failed',
        rowsRead: 2,
        rowsRejected: 1,
        unallocatedShare: [{ currency: 'USD', percent: 12.5 }],
        error: expect.stringContaining('line 3'),
        finishedAt: '2026-11-27T10:01:41.000Z',
      });
      // A finished run is never finished again.
      await store.finishRun(
        second!.id,
        {
          status: 'succeeded',
          rowsRead: 9,
          rowsRejected: 0,
          billingPeriods: [],
          unallocatedShare: [],
        },
        now,
      );
      expect((await store.lastRuns(['focus'])).get('focus')).toMatchObject({
        status: 'failed',
        rowsRead: 2,
      });
    },
  );
});
