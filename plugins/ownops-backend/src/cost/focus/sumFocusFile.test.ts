import { createMockDirectory } from '@backstage/backend-test-utils';
import { DEFAULT_OWNER_TAG_KEYS } from '@ownops/backstage-plugin-common';
import { CostRecord } from '@ownops/backstage-plugin-node';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { gzipSync } from 'node:zlib';
import { collectCost } from '../ingest/collectCost';
import { readFocusFile } from './readFocusFile';
import { sumFocusFile } from './sumFocusFile';
import { writeParquet } from './__testUtils__/writeParquet';

jest.setTimeout(60_000);

const SAMPLE = resolvePath(__dirname, '__fixtures__/focus_sample.csv');
const GENERATOR = resolvePath(
  __dirname,
  '../../../../../examples/cost/generate.mjs',
);
const CSV = { parquet: false, gzip: false };
const options = { keys: DEFAULT_OWNER_TAG_KEYS, topUnallocated: 100 };

async function* each<T>(items: Iterable<T> | AsyncIterable<T>) {
  yield* items;
}

/** What ingestion stores from records: rollups, unallocated resources, shares. */
async function collected(records: AsyncIterable<CostRecord>) {
  const { billingPeriods, rollups, unallocated, rowsRead, unallocatedShare } =
    await collectCost(records, options);
  const sorted = rollups.map(r => JSON.stringify(r)).sort();
  return {
    billingPeriods,
    rollups: sorted,
    unallocated,
    rowsRead,
    unallocatedShare,
  };
}

describe('sumFocusFile', () => {
  const mockDir = createMockDirectory();

  it('sums the FinOps Foundation sample into fewer records with exactly the rollups of every row', async () => {
    const summed = await sumFocusFile(SAMPLE, CSV);
    expect(summed).toBeDefined();
    expect(summed!.length).toBeLessThan(1000);
    expect(summed!.reduce((n, r) => n + r.rows, 0)).toBe(1000);
    expect(await collected(each(summed!))).toEqual(
      await collected(readFocusFile(SAMPLE)),
    );
  });

  it('sums the example bill, gzip CSV and Parquet alike, into the rollups of every row', async () => {
    const out = mockDir.resolve('bill');
    const made = spawnSync(
      process.execPath,
      [GENERATOR, '--today', '2027-03-17', '--out', out, '--gzip'],
      { encoding: 'utf8' },
    );
    expect(made.status).toBe(0);
    for (const file of readdirSync(out).sort()) {
      const path = join(out, file);
      const parquet = join(out, file.replace('.csv.gz', '.parquet'));
      await writeParquet(path, parquet, { tags: 'map', typed: true });
      const rowByRow = await collected(readFocusFile(path));
      const fromCsv = await sumFocusFile(path, { parquet: false, gzip: true });
      const fromParquet = await sumFocusFile(parquet, {
        parquet: true,
        gzip: false,
      });
      expect(fromCsv!.length).toBeLessThan(rowByRow.rowsRead);
      expect(await collected(each(fromCsv!))).toEqual(rowByRow);
      expect(await collected(each(fromParquet!))).toEqual(rowByRow);
    }
  });

  it('reads provider tag columns as the row reader does', async () => {
    mockDir.setContent({
      'azure.csv': [
        'BilledCost,EffectiveCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ServiceName,ServiceCategory,ChargeCategory,Tags,x_CostCenter',
        '1,1,EUR,2025-06-01T00:00:00Z,2025-06-02T00:00:00Z,VM,Compute,Usage,"{""owner"":""team-a""}",cc-2001',
        '2,2,EUR,2025-06-01T00:00:00Z,2025-06-02T00:00:00Z,VM,Compute,Usage,"{""owner"":""team-a""}",cc-2001',
        '4,4,EUR,2025-06-01T00:00:00Z,2025-06-02T00:00:00Z,Storage,Storage,Usage,"{""cost-center"":""cc-1001""}",cc-2001',
      ].join('\n'),
    });
    const path = mockDir.resolve('azure.csv');
    const tagColumns = { x_CostCenter: 'cost-center' };
    const summed = await sumFocusFile(path, CSV, { tagColumns });
    expect(summed).toHaveLength(2);
    expect(await collected(each(summed!))).toEqual(
      await collected(readFocusFile(path, { tagColumns })),
    );
  });

  it.each([
    ['a malformed cost', '1,12.3.4'],
    ['a cost in exponent notation', '1,8E-7'],
    ['more than 18 decimals', '1,0.0000000000000000001'],
    ['an empty mandatory cost', '1,'],
  ])('leaves a file with %s to the row reader', async (_what, costs) => {
    mockDir.setContent({
      'bill.csv': [
        'BilledCost,EffectiveCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ServiceName,ServiceCategory,ChargeCategory',
        '1,1,USD,2026-11-01T00:00:00Z,2026-11-02T00:00:00Z,S,Compute,Usage',
        `${costs},USD,2026-11-01T00:00:00Z,2026-11-02T00:00:00Z,S,Compute,Usage`,
      ].join('\n'),
    });
    expect(
      await sumFocusFile(mockDir.resolve('bill.csv'), CSV),
    ).toBeUndefined();
  });

  it.each([
    [
      'a bad timestamp',
      '1,1,USD,2026-02-30T00:00:00Z,2026-03-01T00:00:00Z,S,Compute,Usage,',
    ],
    [
      'sub-millisecond time',
      '1,1,USD,2026-11-01T00:00:00.0001Z,2026-11-02T00:00:00Z,S,Compute,Usage,',
    ],
    [
      'a lower-case currency',
      '1,1,usd,2026-11-01T00:00:00Z,2026-11-02T00:00:00Z,S,Compute,Usage,',
    ],
    [
      'an unknown charge category',
      '1,1,USD,2026-11-01T00:00:00Z,2026-11-02T00:00:00Z,S,Compute,Refund,',
    ],
    [
      'NULL as a service name',
      '1,1,USD,2026-11-01T00:00:00Z,2026-11-02T00:00:00Z,NULL,Compute,Usage,',
    ],
    [
      'tags that are not an object',
      '1,1,USD,2026-11-01T00:00:00Z,2026-11-02T00:00:00Z,S,Compute,Usage,[1]',
    ],
  ])('leaves a file with %s to the row reader', async (_what, line) => {
    mockDir.setContent({
      'bill.csv': [
        'BilledCost,EffectiveCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ServiceName,ServiceCategory,ChargeCategory,Tags',
        line,
      ].join('\n'),
    });
    expect(
      await sumFocusFile(mockDir.resolve('bill.csv'), CSV),
    ).toBeUndefined();
  });

  it('reads a header name with spaces as the row reader does (trimmed), and leaves a repeated name or a missing column to the row reader', async () => {
    const row =
      '1,1,USD,2026-11-01T00:00:00Z,2026-11-02T00:00:00Z,S,Compute,Usage';
    mockDir.setContent({
      'spaced.csv': `BilledCost,EffectiveCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ServiceName,ServiceCategory, ChargeCategory\n${row}\n`,
      'twice.csv': `BilledCost,EffectiveCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ServiceName,ServiceCategory,ChargeCategory,BilledCost\n${row},2\n`,
      'missing.csv': `BilledCost,EffectiveCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ServiceName,ServiceCategory\n1,1,USD,2026-11-01T00:00:00Z,2026-11-02T00:00:00Z,S,Compute\n`,
    });
    const spaced = mockDir.resolve('spaced.csv');
    expect(await collected(each((await sumFocusFile(spaced, CSV))!))).toEqual(
      await collected(readFocusFile(spaced)),
    );
    for (const file of ['twice.csv', 'missing.csv']) {
      expect([file, await sumFocusFile(mockDir.resolve(file), CSV)]).toEqual([
        file,
        undefined,
      ]);
    }
  });

  it('checks typed Parquet columns by type: a sub-millisecond timestamp goes to the row reader', async () => {
    const header =
      'BilledCost,EffectiveCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ServiceName,ServiceCategory,ChargeCategory';
    mockDir.setContent({
      'ok.csv': `${header}\n1.5,1.25,USD,2026-11-01T00:00:00.123Z,2026-11-02T00:00:00Z,S,Compute,Usage\n`,
      'micro.csv': `${header}\n1.5,1.25,USD,2026-11-01T00:00:00.0005Z,2026-11-02T00:00:00Z,S,Compute,Usage\n`,
    });
    const parquet = { parquet: true, gzip: false };
    for (const name of ['ok', 'micro']) {
      await writeParquet(
        mockDir.resolve(`${name}.csv`),
        mockDir.resolve(`${name}.parquet`),
        { typed: true },
      );
    }
    expect(await sumFocusFile(mockDir.resolve('ok.parquet'), parquet)).toEqual([
      expect.objectContaining({
        billedCost: '1.5',
        effectiveCost: '1.25',
        chargePeriodStart: '2026-11-01T00:00:00.000Z',
        rows: 1,
      }),
    ]);
    expect(
      await sumFocusFile(mockDir.resolve('micro.parquet'), parquet),
    ).toBeUndefined();
  });

  it('reads gzip by content, as told, and leaves a mislabelled file to the row reader', async () => {
    const csv = `BilledCost,EffectiveCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ServiceName,ServiceCategory,ChargeCategory\n1.5,1.5,USD,2026-11-01T00:00:00Z,2026-11-02T00:00:00Z,S,Compute,Usage\n`;
    mockDir.setContent({ 'bill.csv': gzipSync(csv) });
    const path = mockDir.resolve('bill.csv');
    expect(await sumFocusFile(path, { parquet: false, gzip: true })).toEqual([
      expect.objectContaining({ billedCost: '1.5', rows: 1 }),
    ]);
    expect(await sumFocusFile(path, CSV)).toBeUndefined();
  });
});
