import { createMockDirectory } from '@backstage/backend-test-utils';
import { CostRecord } from '@ownops/backstage-plugin-node';
import { resolve as resolvePath } from 'node:path';
import { FocusFormatError } from './FocusFormatError';
import { readFocusExport } from './readFocusExport';
import { readFocusFile } from './readFocusFile';
import { ParquetCompression, writeParquet } from './__testUtils__/writeParquet';

jest.setTimeout(60_000);

const SAMPLE = resolvePath(__dirname, '__fixtures__/focus_sample.csv');

async function readAll(
  read: (path: string) => AsyncIterable<CostRecord>,
  path: string,
): Promise<CostRecord[]> {
  const records: CostRecord[] = [];
  for await (const record of read(path)) records.push(record);
  return records;
}

const withoutSource = (records: CostRecord[]) =>
  records.map(({ source: _source, ...rest }) => rest);

describe('readFocusParquet (through readFocusExport)', () => {
  const mockDir = createMockDirectory();
  let csvRecords: CostRecord[];

  beforeAll(async () => {
    csvRecords = await readAll(readFocusFile, SAMPLE);
  });

  it.each<ParquetCompression>(['snappy', 'gzip', 'zstd', 'uncompressed'])(
    'reads the FinOps Foundation sample as %s Parquet exactly as the CSV',
    async compression => {
      mockDir.clear();
      const path = mockDir.resolve(`sample.${compression}.parquet`);
      await writeParquet(SAMPLE, path, { compression });
      const records = await readAll(readFocusExport, path);
      expect(withoutSource(records)).toEqual(withoutSource(csvRecords));
      expect(records[0].source).toEqual({ file: path, row: 1 });
      expect(records[999].source).toEqual({ file: path, row: 1000 });
    },
  );

  it('reads typed columns (DECIMAL(38,18) costs, TIMESTAMP WITH TIME ZONE periods) as the same exact values', async () => {
    mockDir.clear();
    const path = mockDir.resolve('typed.parquet');
    await writeParquet(SAMPLE, path, { typed: true });
    expect(withoutSource(await readAll(readFocusExport, path))).toEqual(
      withoutSource(csvRecords),
    );
  });

  it('reads Tags written as a map or as a struct', async () => {
    mockDir.setContent({
      'bill.csv': [
        'BilledCost,EffectiveCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ServiceName,ServiceCategory,ChargeCategory,Tags',
        '1.5,1.25,USD,2026-11-01T00:00:00Z,2026-11-02T00:00:00Z,Amazon EC2,Compute,Usage,"{""owner"":""team-checkout"",""environment"":""production""}"',
        '2,2,USD,2026-11-01T00:00:00Z,2026-11-02T00:00:00Z,Amazon S3,Storage,Usage,"{""owner"":""team-payments""}"',
        '3,3,USD,2026-11-01T00:00:00Z,2026-11-02T00:00:00Z,AWS Data Transfer,Networking,Usage,',
      ].join('\n'),
    });
    const csv = mockDir.resolve('bill.csv');
    const map = mockDir.resolve('map.parquet');
    const struct = mockDir.resolve('struct.parquet');
    await writeParquet(csv, map, { tags: 'map' });
    await writeParquet(csv, struct, {
      tags: { struct: ['owner', 'environment'] },
    });
    const expected = [
      { owner: 'team-checkout', environment: 'production' },
      { owner: 'team-payments' },
      {},
    ];
    for (const path of [map, struct]) {
      const records = await readAll(readFocusExport, path);
      expect(records.map(r => r.tags)).toEqual(expected);
      expect(records.map(r => r.effectiveCost)).toEqual(['1.25', '2', '3']);
    }
  });

  it('reads configured provider columns as tags', async () => {
    mockDir.setContent({
      'azure.csv': [
        'BilledCost,EffectiveCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ServiceName,ServiceCategory,ChargeCategory,Tags,x_CostCenter',
        '1,1,EUR,2025-06-01T00:00:00Z,2025-06-02T00:00:00Z,Virtual Machines,Compute,Usage,"{""owner"":""team-a""}",cc-2001',
        '2,2,EUR,2025-06-01T00:00:00Z,2025-06-02T00:00:00Z,Storage,Storage,Usage,"{""cost-center"":""cc-1001""}",cc-2001',
      ].join('\n'),
    });
    const path = mockDir.resolve('azure.parquet');
    await writeParquet(mockDir.resolve('azure.csv'), path, { tags: 'map' });
    const records: CostRecord[] = [];
    for await (const record of readFocusExport(path, {
      tagColumns: { x_CostCenter: 'cost-center' },
    })) {
      records.push(record);
    }
    expect(records.map(r => r.tags)).toEqual([
      { owner: 'team-a', 'cost-center': 'cc-2001' },
      { 'cost-center': 'cc-1001' },
    ]);
  });

  it('names the file, row and column of a malformed cell', async () => {
    mockDir.setContent({
      'bad.csv': [
        'BilledCost,EffectiveCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ServiceName,ServiceCategory,ChargeCategory',
        '1,1,USD,2026-11-01T00:00:00Z,2026-11-02T00:00:00Z,S,Compute,Usage',
        '1,1,USD,2026-11-01T00:00:00Z,2026-11-02T00:00:00Z,S,Compute,Usage',
        '1,12.3.4,USD,2026-11-01T00:00:00Z,2026-11-02T00:00:00Z,S,Compute,Usage',
      ].join('\n'),
    });
    const path = mockDir.resolve('bad.parquet');
    await writeParquet(mockDir.resolve('bad.csv'), path);
    const error = await readAll(readFocusExport, path).catch(e => e);
    expect(error).toBeInstanceOf(FocusFormatError);
    expect(error.message).toBe(
      `${path}, row 3, column EffectiveCost (#2): expected a decimal number such as 12.34, -0.5 or 8E-7, got "12.3.4"`,
    );
  });

  it('names every missing mandatory column, and refuses a file that is not Parquet inside', async () => {
    mockDir.setContent({
      'partial.csv': 'BilledCost,BillingCurrency,ServiceName\n1,USD,S\n',
      'broken.parquet': 'PAR1 but nothing after',
    });
    const partial = mockDir.resolve('partial.parquet');
    await writeParquet(mockDir.resolve('partial.csv'), partial);
    const missing = await readAll(readFocusExport, partial).catch(e => e);
    expect(missing.missingColumns).toEqual([
      'EffectiveCost',
      'ChargePeriodStart',
      'ChargePeriodEnd',
      'ServiceCategory',
      'ChargeCategory',
    ]);

    const broken = mockDir.resolve('broken.parquet');
    const error = await readAll(readFocusExport, broken).catch(e => e);
    expect(error).toBeInstanceOf(FocusFormatError);
    expect(error.message).toMatch(
      new RegExp(`^${broken}: not a readable Parquet file: `),
    );
  });

  it('stops reading when the caller breaks out early', async () => {
    mockDir.clear();
    const path = mockDir.resolve('sample.parquet');
    await writeParquet(SAMPLE, path);
    let count = 0;
    for await (const _record of readFocusExport(path)) {
      if (++count === 5) break;
    }
    expect(count).toBe(5);
  });
});
