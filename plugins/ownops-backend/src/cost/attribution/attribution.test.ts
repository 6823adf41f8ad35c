import { resolve as resolvePath } from 'node:path';
import {
  DEFAULT_OWNER_TAG_KEYS,
  OwnerTagKeys,
} from '@ownops/backstage-plugin-common';
import { CostRecord } from '@ownops/backstage-plugin-node';
import { addDecimalStrings } from '../focus/decimal';
import { readFocusFile } from '../focus/readFocusFile';
import {
  addToRollups,
  attributeCostRecord,
  chargeDay,
  compareDecimalStrings,
  DailyRollup,
  rollupKey,
  UnallocatedTracker,
} from '.';

const SAMPLE = resolvePath(__dirname, '../focus/__fixtures__/focus_sample.csv');

function record(overrides: Partial<CostRecord> = {}): CostRecord {
  return {
    chargePeriodStart: '2024-09-01T00:00:00.000Z',
    chargePeriodEnd: '2024-09-02T00:00:00.000Z',
    billedCost: '1',
    effectiveCost: '1',
    billingCurrency: 'USD',
    serviceCategory: 'Compute',
    serviceName: 'Amazon Elastic Compute Cloud',
    chargeCategory: 'Usage',
    tags: {},
    source: {},
    ...overrides,
  };
}

const attribute = (
  tags: Record<string, string>,
  keys: OwnerTagKeys = DEFAULT_OWNER_TAG_KEYS,
) => attributeCostRecord(record({ tags }), keys);

describe('compareDecimalStrings', () => {
  it.each([
    ['1.50', '1.5', 0],
    ['-0', '0', 0],
    ['0.1', '0.09999999999999999999', 1],
    ['-0.5', '-0.49', -1],
    ['8E-7', '0.0000008', 0],
    ['123456789012345678901234567890.1', '123456789012345678901234567890', 1],
    ['-2', '1', -1],
  ])('compares %s and %s as %i', (a, b, expected) => {
    expect(compareDecimalStrings(a, b)).toBe(expected);
  });

  it('refuses non-decimals', () => {
    expect(() => compareDecimalStrings('1', 'abc')).toThrow(
      'Not a decimal number: "abc"',
    );
  });
});

describe('attributeCostRecord', () => {
  it('reads plain and encoded refs under the default keys', () => {
    expect(
      attribute({
        'backstage-entity': 'component.default.checkout-service',
        owner: 'group:default/team-checkout',
        'cost-center': '  cc-1001 ',
        environment: ' Production ',
      }),
    ).toEqual({
      entityRef: 'component:default/checkout-service',
      ownerRef: 'group:default/team-checkout',
      costCenter: 'cc-1001',
      environment: 'production',
    });
    expect(
      attribute({
        'backstage-entity': 'Resource:Payments/Orders-DB',
        owner: 'group.payments.team-orders',
      }),
    ).toEqual({
      entityRef: 'resource:payments/orders-db',
      ownerRef: 'group:payments/team-orders',
      costCenter: null,
      environment: null,
    });
  });

  it('defaults bare entity names to component and bare owners to group', () => {
    expect(
      attribute({
        'backstage-entity': 'checkout-service',
        owner: 'team-checkout',
      }),
    ).toEqual({
      entityRef: 'component:default/checkout-service',
      ownerRef: 'group:default/team-checkout',
      costCenter: null,
      environment: null,
    });
    expect(attribute({ owner: 'payments/team-orders' })).toEqual({
      entityRef: null,
      ownerRef: 'group:payments/team-orders',
      costCenter: null,
      environment: null,
    });
    expect(attribute({ owner: 'user:default/jane' }).ownerRef).toBe(
      'user:default/jane',
    );
  });

  it('uses configured keys', () => {
    const keys: OwnerTagKeys = {
      entity: 'service',
      owner: 'team',
      costCenter: 'CostCenter',
      environment: 'env',
    };
    const tags = {
      service: 'checkout-service',
      team: 'team-checkout',
      owner: 'group:default/someone-else',
      CostCenter: '1234',
      env: 'prod',
    };
    expect(attribute(tags, keys)).toEqual({
      entityRef: 'component:default/checkout-service',
      ownerRef: 'group:default/team-checkout',
      costCenter: '1234',
      environment: 'prod',
    });
    expect(attribute({ owner: 'team-checkout' }, keys)).toEqual({
      entityRef: null,
      ownerRef: null,
      costCenter: null,
      environment: null,
      unallocatedReason: 'untagged',
    });
  });

  it('matches keys ignoring case, exact key first, and invents no aliases', () => {
    expect(
      attribute({
        Owner: 'team-a',
        ENVIRONMENT: 'Staging',
        CostCenter: '1234',
      }),
    ).toEqual({
      entityRef: null,
      ownerRef: 'group:default/team-a',
      costCenter: null,
      environment: 'staging',
    });
    expect(attribute({ OWNER: 'team-b', owner: 'team-a' }).ownerRef).toBe(
      'group:default/team-a',
    );
    // Several case variants: the first in code-unit order, whatever the tag order.
    expect(attribute({ oWner: 'team-c', OWNER: 'team-b' }).ownerRef).toBe(
      'group:default/team-b',
    );
  });

  it('reports untagged and unknown entity tags', () => {
    const untagged = {
      entityRef: null,
      ownerRef: null,
      costCenter: null,
      environment: null,
      unallocatedReason: 'untagged',
    };
    expect(attribute({})).toEqual(untagged);
    expect(attribute({ 'backstage-entity': '  ', owner: '' })).toEqual(
      untagged,
    );
    // An owner tag that is no entity ref counts as no owner tag.
    expect(attribute({ owner: 'Team Checkout' })).toEqual(untagged);
    expect(
      attribute({
        'backstage-entity': 'component.default.a/b',
        owner: 'team-checkout',
        environment: 'dev',
      }),
    ).toEqual({
      entityRef: null,
      ownerRef: 'group:default/team-checkout',
      costCenter: null,
      environment: 'dev',
      unallocatedReason: 'unknown-entity-tag',
    });
    expect(
      attribute({ 'backstage-entity': 'component:' }).unallocatedReason,
    ).toBe('unknown-entity-tag');
  });

  it('allocates with only an entity or only an owner', () => {
    expect(
      attribute({ 'backstage-entity': 'checkout' }).unallocatedReason,
    ).toBeUndefined();
    expect(attribute({ owner: 'team-a' }).unallocatedReason).toBeUndefined();
  });
});

describe('rollups', () => {
  const owned = attribute({ owner: 'team-a', environment: 'prod' });

  it('keys by UTC day of the charge period start', () => {
    expect(
      chargeDay(record({ chargePeriodStart: '2024-09-01T23:00:00.000Z' })),
    ).toBe('2024-09-01');
    expect(
      chargeDay(record({ chargePeriodStart: '2024-09-02T00:00:00.000Z' })),
    ).toBe('2024-09-02');
    expect(
      chargeDay(record({ chargePeriodStart: '2024-09-01T23:30:00+00:00' })),
    ).toBe('2024-09-01');
    // A monthly line counts on its first day.
    expect(
      rollupKey(
        record({
          chargePeriodStart: '2024-09-01T00:00:00Z',
          chargePeriodEnd: '2024-10-01T00:00:00Z',
          billingCurrency: ' usd ',
        }),
        owned,
      ),
    ).toEqual({
      day: '2024-09-01',
      entityRef: null,
      ownerRef: 'group:default/team-a',
      costCenter: null,
      environment: 'prod',
      serviceCategory: 'Compute',
      currency: 'USD',
    });
    for (const start of ['2024-09-01 23:00:00', '2024-09-01T23:00:00', 'x']) {
      expect(() => chargeDay(record({ chargePeriodStart: start }))).toThrow(
        `Expected chargePeriodStart as an ISO 8601 UTC timestamp, got "${start}"`,
      );
    }
  });

  it('sums exactly, splits days at 00:00Z, subtracts credits, never mixes currencies', () => {
    const rollups = new Map<string, DailyRollup>();
    const add = (overrides: Partial<CostRecord>) =>
      addToRollups(rollups, record(overrides), owned);
    add({
      chargePeriodStart: '2024-09-01T22:00:00.000Z',
      billedCost: '0.1',
      effectiveCost: '0.1',
    });
    add({
      chargePeriodStart: '2024-09-01T23:00:00.000Z',
      billedCost: '0.2',
      effectiveCost: '0.00000080000',
    });
    add({
      chargePeriodStart: '2024-09-01T23:00:00.000Z',
      billedCost: '-0.05',
      effectiveCost: '-0.05',
      chargeCategory: 'Credit',
    });
    add({
      chargePeriodStart: '2024-09-02T00:00:00.000Z',
      billedCost: '7',
      effectiveCost: '6.5',
    });
    add({
      chargePeriodStart: '2024-09-01T23:00:00.000Z',
      billingCurrency: 'EUR',
      billedCost: '3',
      effectiveCost: '3',
    });
    expect(() => add({ billedCost: 'abc' })).toThrow(
      'Not a decimal number: "abc"',
    );
    const summary = [...rollups.values()].map(r => [
      r.day,
      r.currency,
      r.billedCost,
      r.effectiveCost,
    ]);
    expect(summary).toEqual([
      ['2024-09-01', 'USD', '0.25', '0.0500008'],
      ['2024-09-02', 'USD', '7', '6.5'],
      ['2024-09-01', 'EUR', '3', '3'],
    ]);
  });

  it('keeps different owners, entities and categories apart', () => {
    const rollups = new Map<string, DailyRollup>();
    addToRollups(rollups, record(), owned);
    addToRollups(rollups, record(), attribute({ owner: 'team-b' }));
    addToRollups(rollups, record({ serviceCategory: 'Storage' }), owned);
    addToRollups(rollups, record(), owned);
    expect([...rollups.values()].map(r => r.billedCost)).toEqual([
      '2',
      '1',
      '1',
    ]);
  });
});

describe('UnallocatedTracker', () => {
  it('ranks unallocated resources exactly, per currency', () => {
    const tracker = new UnallocatedTracker();
    const untagged = attribute({});
    tracker.add(
      record({ resourceId: 'i-1', effectiveCost: '0.30000000000000000001' }),
      untagged,
    );
    tracker.add(record({ resourceId: 'i-2', effectiveCost: '0.3' }), untagged);
    tracker.add(
      record({ resourceId: 'i-2', effectiveCost: '0.00000000000000000001' }),
      attribute({ 'backstage-entity': 'bad name!' }),
    );
    tracker.add(
      record({ resourceId: null, resourceName: 'bucket', effectiveCost: '5' }),
      untagged,
    );
    tracker.add(record({ resourceId: 'i-3', effectiveCost: '-0.1' }), untagged);
    tracker.add(
      record({ resourceId: 'i-9', effectiveCost: '100' }),
      attribute({ owner: 'team-a' }),
    );
    tracker.add(
      record({ resourceId: ' ', billingCurrency: 'EUR', effectiveCost: '1' }),
      untagged,
    );
    expect(tracker.top(3)).toEqual({
      EUR: [
        {
          resource: 'Amazon Elastic Compute Cloud',
          currency: 'EUR',
          effectiveCost: '1',
          records: 1,
          reasons: ['untagged'],
        },
      ],
      USD: [
        {
          resource: 'bucket',
          currency: 'USD',
          effectiveCost: '5',
          records: 1,
          reasons: ['untagged'],
        },
        {
          resource: 'i-1',
          currency: 'USD',
          effectiveCost: '0.30000000000000000001',
          records: 1,
          reasons: ['untagged'],
        },
        {
          resource: 'i-2',
          currency: 'USD',
          effectiveCost: '0.30000000000000000001',
          records: 2,
          reasons: ['unknown-entity-tag', 'untagged'],
        },
      ],
    });
    expect(tracker.top(0)).toEqual({ EUR: [], USD: [] });
  });
});

describe('the FinOps Foundation sample', () => {
  async function readSample(): Promise<CostRecord[]> {
    const records: CostRecord[] = [];
    for await (const r of readFocusFile(SAMPLE)) {
      records.push(r);
    }
    return records;
  }

  function sums(rollups: Map<string, DailyRollup>) {
    const billed: Record<string, string> = {};
    const effective: Record<string, string> = {};
    for (const r of rollups.values()) {
      billed[r.currency] = addDecimalStrings(
        billed[r.currency] ?? '0',
        r.billedCost,
      );
      effective[r.currency] = addDecimalStrings(
        effective[r.currency] ?? '0',
        r.effectiveCost,
      );
    }
    return { billed, effective };
  }

  it('leaves every row unallocated under the default keys, and keeps the exact totals', async () => {
    const records = await readSample();
    const rollups = new Map<string, DailyRollup>();
    const tracker = new UnallocatedTracker();
    const reasons: Record<string, number> = {};
    const environments: Record<string, number> = {};
    const costCenters = new Set<string | null>();
    for (const r of records) {
      const attribution = attributeCostRecord(r, DEFAULT_OWNER_TAG_KEYS);
      const reason = attribution.unallocatedReason ?? 'allocated';
      reasons[reason] = (reasons[reason] ?? 0) + 1;
      const env = String(attribution.environment);
      environments[env] = (environments[env] ?? 0) + 1;
      costCenters.add(attribution.costCenter);
      addToRollups(rollups, r, attribution);
      tracker.add(r, attribution);
    }
    // No row carries backstage-entity or owner; `CostCenter` is not `cost-center`.
    expect(reasons).toEqual({ untagged: 1000 });
    expect(environments).toEqual({ dev: 426, prod: 234, null: 340 });
    expect([...costCenters]).toEqual([null]);
    expect(rollups.size).toBe(345);
    expect(sums(rollups)).toEqual({
      billed: { USD: '20.52022672899' },
      effective: { USD: '14.97651418586' },
    });
    expect(
      tracker.top(3).USD.map(e => [e.resource, e.effectiveCost, e.records]),
    ).toEqual([
      ['i-006flle71l19b488a', '2', 1],
      ['i-021f2ebl49063f9l1', '2', 1],
      ['i-06fal80lf5517049b', '2', 1],
    ]);
  });

  it('allocates by configured keys matched ignoring case', async () => {
    const records = await readSample();
    const keys: OwnerTagKeys = {
      ...DEFAULT_OWNER_TAG_KEYS,
      owner: 'business_unit',
      costCenter: 'costcenter',
    };
    const rollups = new Map<string, DailyRollup>();
    const reasons: Record<string, number> = {};
    const owners: Record<string, number> = {};
    let costCenter1234 = 0;
    for (const r of records) {
      const attribution = attributeCostRecord(r, keys);
      const reason = attribution.unallocatedReason ?? 'allocated';
      reasons[reason] = (reasons[reason] ?? 0) + 1;
      if (attribution.ownerRef) {
        owners[attribution.ownerRef] = (owners[attribution.ownerRef] ?? 0) + 1;
      }
      if (attribution.costCenter === '1234') costCenter1234 += 1;
      addToRollups(rollups, r, attribution);
    }
    // 660 rows carry business_unit; 6 of them ("Des MoinesDesign", …) are
    // not entity names, so they stay untagged.
    expect(reasons).toEqual({ allocated: 654, untagged: 346 });
    expect(owners['group:default/peoriadata']).toBe(176);
    expect(owners['group:default/viennaai']).toBe(6);
    expect(costCenter1234).toBe(36);
    expect(sums(rollups)).toEqual({
      billed: { USD: '20.52022672899' },
      effective: { USD: '14.97651418586' },
    });
  });
});
