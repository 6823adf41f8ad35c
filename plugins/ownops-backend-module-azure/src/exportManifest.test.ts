import { costManagementManifest } from './__testUtils__/costManagementManifest';
import { parseExportManifest } from './exportManifest';

const manifest = costManagementManifest({
  path: 'cost/focus-daily',
  range: '20261101-20261130',
  runId: 'af754a8e-30fc-4ef3-bfc6-71bd1efb8598',
  submittedTime: '2026-11-05T06:03:12.1032074Z',
  fileFormat: 'Parquet',
  blobs: [
    {
      blobName:
        'cost/focus-daily/20261101-20261130/202611050603/7b1f/part_0_0001.snappy.parquet',
      byteCount: 2048,
      dataRowCount: 120,
    },
    {
      blobName:
        'cost/focus-daily/20261101-20261130/202611050603/7b1f/part_1_0001.snappy.parquet',
      byteCount: 1024,
      dataRowCount: 31,
    },
  ],
});

const parse = (value: object) => parseExportManifest(JSON.stringify(value));

describe('parseExportManifest', () => {
  it('reads the run id, submitted time, row count and blob names in order', () => {
    expect(parseExportManifest(`\uFEFF${JSON.stringify(manifest)}`)).toEqual({
      runId: 'af754a8e-30fc-4ef3-bfc6-71bd1efb8598',
      submittedTime: '2026-11-05T06:03:12.1032074Z',
      dataRowCount: 151,
      blobNames: [
        'cost/focus-daily/20261101-20261130/202611050603/7b1f/part_0_0001.snappy.parquet',
        'cost/focus-daily/20261101-20261130/202611050603/7b1f/part_1_0001.snappy.parquet',
      ],
    });
  });

  it('reads a run without data rows and files', () => {
    expect(
      parse({ ...manifest, dataRowCount: 0, blobCount: 0, blobs: [] }),
    ).toEqual({
      runId: 'af754a8e-30fc-4ef3-bfc6-71bd1efb8598',
      submittedTime: '2026-11-05T06:03:12.1032074Z',
      dataRowCount: 0,
      blobNames: [],
    });
  });

  it.each<[string, string]>([
    ['{"runInfo":', 'it is not JSON ('],
    ['[]', 'it is not a JSON object'],
    [
      JSON.stringify({
        ...manifest,
        runInfo: { ...manifest.runInfo, runId: '' },
      }),
      'it has no runInfo.runId',
    ],
    [JSON.stringify({ ...manifest, blobs: undefined }), 'it has no blobs list'],
    [
      JSON.stringify({ ...manifest, blobs: [{ name: 'part_0_0001.csv' }] }),
      'blobs[0] has no blobName',
    ],
    [
      JSON.stringify({
        ...manifest,
        blobs: [manifest.blobs[0], manifest.blobs[0]],
      }),
      `it lists ${manifest.blobs[0].blobName} more than once, which would count its costs twice`,
    ],
    [
      JSON.stringify({ ...manifest, blobCount: 3 }),
      'its blobCount 3 is not the 2 blobs it lists',
    ],
    [
      JSON.stringify({ ...manifest, dataRowCount: -1 }),
      'its dataRowCount -1 is not a count of rows',
    ],
    [
      JSON.stringify({ ...manifest, dataRowCount: '151' }),
      'its dataRowCount "151" is not a count of rows',
    ],
  ])('says what is wrong with %s', (text, problem) => {
    expect(parseExportManifest(text)).toEqual(expect.stringContaining(problem));
  });
});
