import { DEFAULT_OWNER_TAG_KEYS } from '@ownops/backstage-plugin-common';
import { chunksOf } from '@ownops/backstage-plugin-node';
import {
  aggregateParameter,
  allocationRecords,
  sanitizeLabelName,
  tagsOfKey,
} from './allocationRecords';
import { amountToDecimal } from './amount';

const keys = {
  entity: 'ownops.io/entity',
  owner: 'team',
  costCenter: 'cost-center',
  environment: 'env',
};

describe('allocation keys', () => {
  it('sanitizes label names the way OpenCost does', () => {
    expect(sanitizeLabelName('app.kubernetes.io/part-of')).toBe(
      'app_kubernetes_io_part_of',
    );
    expect(aggregateParameter(keys)).toBe(
      'label:ownops_io_entity,label:team,label:cost_center,label:env',
    );
  });

  it('reads the label values in aggregation order under the configured keys', () => {
    expect(
      tagsOfKey('component.default.a/__unallocated__/cc-1/prod', keys),
    ).toEqual({
      'ownops.io/entity': 'component.default.a',
      'cost-center': 'cc-1',
      env: 'prod',
    });
    expect(tagsOfKey('__unmounted__', keys)).toEqual({});
  });
});

describe('allocationRecords', () => {
  const base = {
    window: { start: '2025-06-03T00:00:00Z', end: '2025-06-04T00:00:00Z' },
    properties: { cluster: 'c1' },
  };

  it('records idle cost split by cluster as unallocated', () => {
    const records = allocationRecords(
      'c1/__idle__',
      { ...base, cpuCost: 1, ramCost: 0.5 },
      { keys: DEFAULT_OWNER_TAG_KEYS, currency: 'USD', sourceId: 's' },
    );
    expect(records).toEqual([
      expect.objectContaining({
        billedCost: '1.5',
        resourceName: 'Kubernetes idle',
        tags: {},
      }),
    ]);
  });

  it('refuses a cost that is not a number and a window that is not a time', () => {
    const options = {
      keys: DEFAULT_OWNER_TAG_KEYS,
      currency: 'USD',
      sourceId: 's',
    };
    expect(() =>
      allocationRecords(
        '__idle__',
        { ...base, cpuCost: 'NaN' as any },
        options,
      ),
    ).toThrow('OpenCost sent cpuCost "NaN", which is not a cost');
    expect(() =>
      allocationRecords(
        '__idle__',
        { cpuCost: 1, start: 'yesterday' },
        options,
      ),
    ).toThrow('is not a time');
  });
});

describe('amountToDecimal', () => {
  it.each([
    [12, '12'],
    [0.1 + 0.2, '0.3'],
    [1.5e-7, '0.00000015'],
    [-1e-12, '0'],
    [-2.0000000004, '-2'],
    [1234567.123456789, '1234567.123456789'],
    [1e20, '100000000000000000000'],
  ])('writes %p as %s', (value, decimal) => {
    expect(amountToDecimal(value)).toBe(decimal);
  });
});

describe('chunksOf', () => {
  it('cuts a range into pieces of at most the given days', () => {
    const chunks = chunksOf(
      {
        start: new Date('2025-02-01T00:00:00Z'),
        end: new Date('2025-03-01T00:00:00Z'),
      },
      7,
    );
    expect(chunks.map(c => c.end.toISOString().slice(0, 10))).toEqual([
      '2025-02-08',
      '2025-02-15',
      '2025-02-22',
      '2025-03-01',
    ]);
  });
});
