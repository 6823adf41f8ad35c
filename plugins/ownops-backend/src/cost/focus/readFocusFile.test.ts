import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { CostRecord } from '@ownops/backstage-plugin-node';
import { addDecimalStrings, normalizeDecimal } from './decimal';
import { FocusFormatError } from './FocusFormatError';
import { readFocusFile } from './readFocusFile';

const SAMPLE = resolvePath(__dirname, '__fixtures__/focus_sample.csv');

const HEADER =
  'BilledCost,EffectiveCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ServiceName,ServiceCategory,ChargeCategory,ResourceId,SubAccountId,RegionId,Tags';

async function readAll(path: string): Promise<CostRecord[]> {
  const records: CostRecord[] = [];
  for await (const record of readFocusFile(path)) {
    records.push(record);
  }
  return records;
}

async function readError(path: string): Promise<FocusFormatError> {
  try {
    await readAll(path);
  } catch (error) {
    expect(error).toBeInstanceOf(FocusFormatError);
    return error as FocusFormatError;
  }
  throw new Error(`expected reading ${path} to fail`);
}

function sumBy(records: CostRecord[], pick: (r: CostRecord) => string) {
  const sums: Record<string, string> = {};
  for (const r of records) {
    sums[r.billingCurrency] = addDecimalStrings(
      sums[r.billingCurrency] ?? '0',
      pick(r),
    );
  }
  return sums;
}

describe('decimal strings', () => {
  it.each([
    ['0', '0'],
    ['-0', '0'],
    ['-0.000', '0'],
    ['-0.5', '-0.5'],
    ['+1.2300', '1.23'],
    ['0.00000080000', '0.0000008'],
    ['8E-7', '0.0000008'],
    ['-1.5e+3', '-1500'],
    ['12e0', '12'],
    ['.25', '0.25'],
    ['007.10', '7.1'],
    [
      '123456789012345678901234567890.123456789',
      '123456789012345678901234567890.123456789',
    ],
  ])('normalizes %s to %s', (input, expected) => {
    expect(normalizeDecimal(input)).toBe(expected);
  });

  it.each([
    '',
    '1,000.00',
    '$12',
    '1.2.3',
    'abc',
    'NaN',
    'Infinity',
    '1e',
    '-',
    '1e9999',
  ])('rejects %j', input => {
    expect(normalizeDecimal(input)).toBeUndefined();
  });

  it('adds exactly', () => {
    expect(addDecimalStrings('0.1', '0.2')).toBe('0.3');
    expect(addDecimalStrings('-2.6137', '0.192', '0.08')).toBe('-2.3417');
    expect(addDecimalStrings('1', '-1')).toBe('0');
    expect(addDecimalStrings('9007199254740993', '0.000000000001')).toBe(
      '9007199254740993.000000000001',
    );
    expect(addDecimalStrings()).toBe('0');
  });
});

describe('readFocusFile', () => {
  const mockDir = createMockDirectory();

  it('reads all 1,000 rows of the FinOps Foundation sample exactly', async () => {
    const records = await readAll(SAMPLE);
    expect(records).toHaveLength(1000);
    expect(sumBy(records, r => r.billedCost)).toEqual({
      USD: '20.52022672899',
    });
    expect(sumBy(records, r => r.effectiveCost)).toEqual({
      USD: '14.97651418586',
    });

    expect(records[0]).toEqual({
      chargePeriodStart: '2024-09-18T22:00:00.000Z',
      chargePeriodEnd: '2024-09-18T23:00:00.000Z',
      billingPeriodStart: '2024-09-01T00:00:00.000Z',
      billedCost: '0.0000008',
      effectiveCost: '0',
      billingCurrency: 'USD',
      serviceCategory: 'Integration',
      serviceName: 'Amazon Simple Queue Service',
      chargeCategory: 'Usage',
      chargeClass: null,
      resourceId:
        'arn:ats:sqs:us-test-2:347410479675:mibelllmel-i-032l64f2065481b12',
      resourceName: null,
      subAccountId: '51738928782',
      regionId: 'us-west-2',
      tags: {},
      source: { file: SAMPLE, line: 2 },
    });
    expect(records[1].tags).toEqual({
      application: 'BrightLensMatrix',
      environment: 'dev',
      business_unit: 'ViennaAI',
    });

    // the negative credit on line 458
    const credit = records.find(r => r.chargeCategory === 'Credit')!;
    expect(credit.billedCost).toBe('-2.6137');
    expect(credit.source.line).toBe(458);

    // the tag key with a leading space is trimmed
    const spaced = records.find(r => r.source.line === 948)!;
    expect(spaced.tags).toEqual({
      env: 'prod',
      org: 'trey',
      Project: 'Foo',
      CostCenter: '1234',
      CostAllocationTest: 'Sameer',
    });
  });

  it('reads a gzip-compressed copy identically, whatever its name', async () => {
    const gz = gzipSync(readFileSync(SAMPLE));
    mockDir.setContent({ 'sample.csv.gz': gz, 'misnamed.csv': gz });
    const plain = await readAll(SAMPLE);
    const strip = (records: CostRecord[]) =>
      records.map(({ source, ...rest }) => ({ ...rest, line: source.line }));

    for (const name of ['sample.csv.gz', 'misnamed.csv']) {
      const records = await readAll(mockDir.resolve(name));
      expect(strip(records)).toEqual(strip(plain));
      expect(records[0].source.file).toBe(mockDir.resolve(name));
    }
  });

  it('handles timestamps, NULL, quoted tags, credits, currencies, month edges and DST', async () => {
    mockDir.setContent({
      'edge.csv': [
        HEADER,
        // ISO with Z, a negative credit, EUR
        '-0.5,-0.50,EUR,2024-09-30T23:00:00Z,2024-10-01T00:00:00Z,Compute Engine,Compute,Credit,NULL,,NULL,NULL',
        // space-separated, fractional seconds, exponent, doubled quotes in tags
        '8E-7,1.2300,USD,2024-10-01 00:00:00.000,2024-10-01 01:00:00.5,S3,Storage,Usage,"r-1","acct","eu-west-1","{""owner"": ""team-a"", "" cost center"": 42.10, ""flag"": true, ""off"": false, ""gone"": null}"',
        // spans the EU DST change (2024-10-27 01:00 UTC): still 24 hours UTC
        '10,10,EUR,2024-10-27 00:00:00,2024-10-28 00:00:00,VM,Compute,Usage,,,,{}',
        '',
      ].join('\n'),
    });
    const records = await readAll(mockDir.resolve('edge.csv'));
    expect(records).toHaveLength(3);

    expect(records[0]).toMatchObject({
      billedCost: '-0.5',
      effectiveCost: '-0.5',
      billingCurrency: 'EUR',
      chargeCategory: 'Credit',
      chargePeriodStart: '2024-09-30T23:00:00.000Z',
      chargePeriodEnd: '2024-10-01T00:00:00.000Z',
      resourceId: null,
      subAccountId: null,
      regionId: null,
      chargeClass: null,
      resourceName: null,
      tags: {},
      source: { line: 2 },
    });
    expect(records[1]).toMatchObject({
      billedCost: '0.0000008',
      effectiveCost: '1.23',
      chargePeriodStart: '2024-10-01T00:00:00.000Z',
      chargePeriodEnd: '2024-10-01T01:00:00.500Z',
      resourceId: 'r-1',
      subAccountId: 'acct',
      regionId: 'eu-west-1',
      tags: {
        owner: 'team-a',
        'cost center': '42.10',
        flag: 'true',
        off: 'false',
      },
      source: { line: 3 },
    });
    expect(records[2]).toMatchObject({
      chargePeriodStart: '2024-10-27T00:00:00.000Z',
      chargePeriodEnd: '2024-10-28T00:00:00.000Z',
    });
    expect(
      Date.parse(records[2].chargePeriodEnd) -
        Date.parse(records[2].chargePeriodStart),
    ).toBe(24 * 3600 * 1000);

    expect(sumBy(records, r => r.billedCost)).toEqual({
      EUR: '9.5',
      USD: '0.0000008',
    });
  });

  it('ignores extra columns, column order and a byte order mark', async () => {
    mockDir.setContent({
      'bom.csv': `\uFEFFId,ChargeCategory,ServiceCategory,ServiceName,ChargePeriodEnd,ChargePeriodStart,BillingCurrency,EffectiveCost,BilledCost\r\n7,Tax,Other,VAT,2024-10-01T00:00:00Z,2024-09-01T00:00:00Z,GBP,1,2\r\n`,
    });
    const records = await readAll(mockDir.resolve('bom.csv'));
    expect(records).toEqual([
      expect.objectContaining({
        billedCost: '2',
        effectiveCost: '1',
        billingCurrency: 'GBP',
        chargeCategory: 'Tax',
        tags: {},
        resourceId: null,
        source: { file: mockDir.resolve('bom.csv'), line: 2 },
      }),
    ]);
  });

  it('reads FOCUS 1.3: an allocated row carries the union of Tags and AllocatedTags', async () => {
    const header =
      'BilledCost,EffectiveCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ServiceProviderName,HostProviderName,ServiceName,ServiceCategory,ChargeCategory,ResourceId,Tags,AllocatedMethodId,AllocatedResourceId,AllocatedTags';
    const tags = (json: object) =>
      `"${JSON.stringify(json).replace(/"/g, '""')}"`;
    mockDir.setContent({
      'focus-1.3.csv': [
        header,
        `6.5,6.5,USD,2025-06-01T00:00:00Z,2025-06-02T00:00:00Z,AWS,AWS,Amazon EKS,Compute,Usage,cluster-1,${tags(
          { owner: 'platform', environment: 'production' },
        )},cpu-requests,pod-checkout,${tags({
          'backstage-entity': 'component:default/checkout-service',
          owner: 'team-checkout',
        })}`,
        `2,2,USD,2025-06-01T00:00:00Z,2025-06-02T00:00:00Z,AWS,AWS,Amazon EKS,Compute,Usage,cluster-1,${tags(
          { owner: 'platform' },
        )},,,`,
      ].join('\n'),
      'bad-allocated-tags.csv': `${header}\n1,1,USD,2025-06-01T00:00:00Z,2025-06-02T00:00:00Z,AWS,AWS,S,Compute,Usage,,,m,r,"[1]"\n`,
    });
    const [allocated, origin] = await readAll(mockDir.resolve('focus-1.3.csv'));
    expect(allocated.tags).toEqual({
      'backstage-entity': 'component:default/checkout-service',
      owner: 'team-checkout',
      environment: 'production',
    });
    expect(allocated.resourceId).toBe('cluster-1');
    expect(origin.tags).toEqual({ owner: 'platform' });

    const error = await readError(mockDir.resolve('bad-allocated-tags.csv'));
    expect(error.line).toBe(2);
    expect(error.column).toEqual({ name: 'AllocatedTags', index: 15 });
  });

  it('reads configured provider columns as tags, where the row has no such tag', async () => {
    mockDir.setContent({
      'azure.csv': [
        'BilledCost,EffectiveCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ServiceName,ServiceCategory,ChargeCategory,Tags,x_CostCenter,x_InvoiceSectionName',
        '1,1,EUR,2025-06-01T00:00:00Z,2025-06-02T00:00:00Z,Virtual Machines,Compute,Usage,"{""owner"":""team-a""}", cc-2001 ,Shop',
        '2,2,EUR,2025-06-01T00:00:00Z,2025-06-02T00:00:00Z,Storage,Storage,Usage,"{""cost-center"":""cc-1001""}",cc-2001,Shop',
        '3,3,EUR,2025-06-01T00:00:00Z,2025-06-02T00:00:00Z,Storage,Storage,Usage,,,Shop',
      ].join('\n'),
    });
    const records: CostRecord[] = [];
    for await (const record of readFocusFile(mockDir.resolve('azure.csv'), {
      tagColumns: { x_CostCenter: 'cost-center', x_Missing: 'missing' },
    })) {
      records.push(record);
    }
    expect(records.map(r => r.tags)).toEqual([
      { owner: 'team-a', 'cost-center': 'cc-2001' },
      { 'cost-center': 'cc-1001' },
      {},
    ]);
    // Not configured: ignored.
    expect((await readAll(mockDir.resolve('azure.csv')))[0].tags).toEqual({
      owner: 'team-a',
    });
  });

  it('names every missing mandatory column before reading any row', async () => {
    mockDir.setContent({
      'missing.csv':
        'Id,BilledCost,ServiceName,ChargeCategory,ChargePeriodStart\n1,1,x,Usage,2024-09-01T00:00:00Z\n',
    });
    const file = mockDir.resolve('missing.csv');
    const iterator = readFocusFile(file)[Symbol.asyncIterator]();
    const error = await iterator.next().then(
      () => undefined,
      e => e,
    );
    expect(error).toBeInstanceOf(FocusFormatError);
    expect(error.missingColumns).toEqual([
      'EffectiveCost',
      'BillingCurrency',
      'ChargePeriodEnd',
      'ServiceCategory',
    ]);
    expect(error.file).toBe(file);
    expect(error.message).toBe(
      `${file}, line 1: not a FOCUS file: missing mandatory columns EffectiveCost, BillingCurrency, ChargePeriodEnd, ServiceCategory`,
    );
  });

  it('reports a malformed decimal with its file, line and column', async () => {
    mockDir.setContent({
      'bad-decimal.csv': [
        HEADER,
        '1,1,USD,2024-09-01T00:00:00Z,2024-09-02T00:00:00Z,S,Compute,Usage,,,,',
        // a quoted cell spanning two physical lines (lines 3–4)
        '1,1,USD,2024-09-01T00:00:00Z,2024-09-02T00:00:00Z,"multi',
        'line",Compute,Usage,,,,',
        '',
        '2,"1,000.00",USD,2024-09-01T00:00:00Z,2024-09-02T00:00:00Z,S,Compute,Usage,,,,',
        '3,3,USD,2024-09-01T00:00:00Z,2024-09-02T00:00:00Z,S,Compute,Usage,,,,',
      ].join('\n'),
    });
    const file = mockDir.resolve('bad-decimal.csv');
    const seen: CostRecord[] = [];
    const error = await (async () => {
      try {
        for await (const record of readFocusFile(file)) {
          seen.push(record);
        }
      } catch (e) {
        return e as FocusFormatError;
      }
      return undefined;
    })();
    expect(seen.map(r => r.source.line)).toEqual([2, 3]);
    expect(error).toBeInstanceOf(FocusFormatError);
    expect(error!.file).toBe(file);
    expect(error!.line).toBe(6);
    expect(error!.column).toEqual({ name: 'EffectiveCost', index: 2 });
    expect(error!.message).toBe(
      `${file}, line 6, column EffectiveCost (#2): expected a decimal number such as 12.34, -0.5 or 8E-7, got "1,000.00"`,
    );
  });

  it('reports a bad timestamp', async () => {
    mockDir.setContent({
      'bad-time.csv': `${HEADER}\n1,1,USD,2024-09-31 00:00:00,2024-10-01 00:00:00,S,Compute,Usage,,,,\n`,
    });
    const error = await readError(mockDir.resolve('bad-time.csv'));
    expect(error.line).toBe(2);
    expect(error.column).toEqual({ name: 'ChargePeriodStart', index: 4 });
    expect(error.message).toMatch(
      /expected a valid date and time, got "2024-09-31 00:00:00"/,
    );

    mockDir.setContent({
      'bad-time2.csv': `${HEADER}\n1,1,USD,2024-09-01T00:00:00Z,09/02/2024,S,Compute,Usage,,,,\n`,
    });
    const error2 = await readError(mockDir.resolve('bad-time2.csv'));
    expect(error2.column).toEqual({ name: 'ChargePeriodEnd', index: 5 });
    expect(error2.message).toMatch(
      /expected a UTC timestamp such as 2024-09-01T00:00:00Z/,
    );
  });

  it('reports bad Tags JSON', async () => {
    mockDir.setContent({
      'bad-tags.csv': `${HEADER}\n1,1,USD,2024-09-01T00:00:00Z,2024-09-02T00:00:00Z,S,Compute,Usage,,,,"{""owner"": ""team-a"""\n`,
      'nested-tags.csv': `${HEADER}\n1,1,USD,2024-09-01T00:00:00Z,2024-09-02T00:00:00Z,S,Compute,Usage,,,,"{""owner"": {""a"": 1}}"\n`,
    });
    const error = await readError(mockDir.resolve('bad-tags.csv'));
    expect(error.line).toBe(2);
    expect(error.column).toEqual({ name: 'Tags', index: 12 });
    expect(error.message).toMatch(/expected a JSON object .* got invalid JSON/);

    const nested = await readError(mockDir.resolve('nested-tags.csv'));
    expect(nested.message).toMatch(/nested value for tag "owner"/);
  });

  it('reports bad currencies, charge categories, empty mandatory cells and broken CSV', async () => {
    const row = (cells: string) => `${HEADER}\n${cells}\n`;
    mockDir.setContent({
      'currency.csv': row(
        '1,1,usd,2024-09-01T00:00:00Z,2024-09-02T00:00:00Z,S,Compute,Usage,,,,',
      ),
      'category.csv': row(
        '1,1,USD,2024-09-01T00:00:00Z,2024-09-02T00:00:00Z,S,Compute,Refund,,,,',
      ),
      'null-cost.csv': row(
        'NULL,1,USD,2024-09-01T00:00:00Z,2024-09-02T00:00:00Z,S,Compute,Usage,,,,',
      ),
      'short-row.csv': row('1,1,USD'),
      'empty.csv': '',
    });
    expect((await readError(mockDir.resolve('currency.csv'))).column).toEqual({
      name: 'BillingCurrency',
      index: 3,
    });
    expect((await readError(mockDir.resolve('category.csv'))).message).toMatch(
      /expected one of Usage, Purchase, Tax, Credit, Adjustment, got "Refund"/,
    );
    const nullCost = await readError(mockDir.resolve('null-cost.csv'));
    expect(nullCost.column).toEqual({ name: 'BilledCost', index: 1 });
    expect(nullCost.message).toMatch(/got an empty cell or NULL/);
    const shortRow = await readError(mockDir.resolve('short-row.csv'));
    expect(shortRow.line).toBe(2);
    expect(shortRow.message).toMatch(/malformed CSV/);
    expect((await readError(mockDir.resolve('empty.csv'))).message).toMatch(
      /empty file/,
    );
  });

  it('reports a broken gzip stream', async () => {
    const gz = gzipSync(readFileSync(SAMPLE));
    mockDir.setContent({ 'truncated.csv.gz': gz.subarray(0, 2000) });
    const error = await readError(mockDir.resolve('truncated.csv.gz'));
    expect(error.message).toMatch(/broken gzip stream/);
  });

  it('stops reading when the caller breaks out early', async () => {
    let count = 0;
    for await (const _record of readFocusFile(SAMPLE)) {
      count += 1;
      if (count === 3) {
        break;
      }
    }
    expect(count).toBe(3);
  });
});
