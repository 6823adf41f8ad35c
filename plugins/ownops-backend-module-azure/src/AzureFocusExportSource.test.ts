import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CONTAINER,
  EXPORT_PATH,
  gzipCsvPart,
  parquetLike,
  writeRun,
} from './__testUtils__/exportRuns';
import { ACCOUNT, FakeBlobService } from './__testUtils__/fakeBlobService';
import { AzureFocusExportSource } from './AzureFocusExportSource';
import { readAzureExportsConfig } from './config';
import { openExportContainer } from './storageClient';

const ACCOUNT_KEY = Buffer.from('account-key-of-the-tests').toString('base64');
const OCTOBER = '20261001-20261031';
const NOVEMBER = '20261101-20261130';

let fake: FakeBlobService;
let scratch: string;

beforeEach(async () => {
  fake = await FakeBlobService.start({ pageSize: 2 });
  scratch = await mkdtemp(join(tmpdir(), 'ownops-azure-'));
});

afterEach(async () => {
  await fake.stop();
  await rm(scratch, { recursive: true, force: true });
});

/** The source as the module builds it, from config, signed with the account key. */
function source(entry: object = {}) {
  const [config] = readAzureExportsConfig(
    new ConfigReader({
      ownops: {
        cost: {
          azureExports: [
            {
              id: 'azure-focus',
              connectionString: `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${ACCOUNT_KEY};BlobEndpoint=${fake.accountUrl};`,
              container: CONTAINER,
              path: EXPORT_PATH,
              ...entry,
            },
          ],
        },
      },
    }),
  );
  const logger = mockServices.logger.mock();
  return {
    logger,
    source: new AzureFocusExportSource({
      config,
      container: openExportContainer(config),
      logger,
      pageSize: 2,
    }),
  };
}

const summary = (
  deliveries: Awaited<ReturnType<AzureFocusExportSource['deliveries']>>,
) =>
  deliveries.map(({ key, fingerprint, location, expectedRows }) => ({
    key,
    fingerprint,
    location,
    expectedRows,
  }));

describe('AzureFocusExportSource', () => {
  it('delivers each date range as the manifest of its latest run lists it, downloading exactly its blobs, byte for byte, in manifest order', async () => {
    const october = writeRun(fake, {
      range: OCTOBER,
      runFolder: '202611010412',
      submittedTime: '2026-11-01T04:12:09.5211234Z',
      parts: [
        gzipCsvPart('part_0_0001.csv.gz', OCTOBER, 40),
        gzipCsvPart('part_1_0001.csv.gz', OCTOBER, 25),
      ],
    });
    // Create new report: yesterday's run of November stays beside today's.
    const older = writeRun(fake, {
      range: NOVEMBER,
      runFolder: '202611040602',
      submittedTime: '2026-11-04T06:02:41.0000000Z',
      parts: [gzipCsvPart('part_0_0001.csv.gz', NOVEMBER, 30, '9.99')],
    });
    const latest = writeRun(fake, {
      range: NOVEMBER,
      runFolder: '202611050603',
      submittedTime: '2026-11-05T06:03:12.0000000Z',
      parts: [
        {
          file: 'part_0_0001.snappy.parquet',
          bytes: parquetLike(300_000),
          rows: 120,
        },
        {
          file: 'part_0_0002.snappy.parquet',
          bytes: parquetLike(70_000),
          rows: 31,
        },
        { file: 'part_0_0003.snappy.parquet', bytes: parquetLike(10), rows: 0 },
      ],
      // The manifest's order, not the names', is the order of the files.
      manifestOrder: [2, 0, 1],
    });
    const { source: azure } = source({
      tagColumns: { x_CostCenter: 'cost-center' },
    });

    const deliveries = await azure.deliveries();

    expect(azure.id).toBe('azure-focus');
    expect(azure.location).toBe(`${fake.accountUrl}/billing/cost/focus-daily`);
    expect(azure.tagColumns).toEqual({ x_CostCenter: 'cost-center' });
    expect(summary(deliveries)).toEqual([
      {
        key: OCTOBER,
        fingerprint: october.runId,
        location: `${fake.accountUrl}/billing/${october.folder}`,
        expectedRows: 65,
      },
      {
        key: NOVEMBER,
        fingerprint: latest.runId,
        location: `${fake.accountUrl}/billing/${latest.folder}`,
        expectedRows: 151,
      },
    ]);
    expect(latest.runId).not.toBe(older.runId);
    expect(fake.downloads).toEqual([
      `${october.folder}/manifest.json`,
      `${latest.folder}/manifest.json`,
    ]);

    const files = await deliveries[1].files(scratch);

    expect(files).toEqual([
      join(scratch, '00001-part_0_0003.snappy.parquet'),
      join(scratch, '00002-part_0_0001.snappy.parquet'),
      join(scratch, '00003-part_0_0002.snappy.parquet'),
    ]);
    const contents = await Promise.all(files.map(file => readFile(file)));
    expect(contents).toEqual(latest.parts.map(part => part.bytes));
    expect(fake.downloads.slice(2)).toEqual(latest.blobNames);
    expect(fake.downloads.join()).not.toContain(older.folder);
  });

  it('leaves out a run whose manifest lists a blob not in the container yet, reading the previous complete run, then reads it once it is complete', async () => {
    const complete = writeRun(fake, {
      range: NOVEMBER,
      runFolder: '202611040602',
      submittedTime: '2026-11-04T06:02:41Z',
      parts: [gzipCsvPart('part_0_0001.csv.gz', NOVEMBER, 30)],
    });
    const underWay = writeRun(fake, {
      range: NOVEMBER,
      runFolder: '202611050603',
      submittedTime: '2026-11-05T06:03:12Z',
      parts: [
        gzipCsvPart('part_0_0001.csv.gz', NOVEMBER, 30),
        gzipCsvPart('part_0_0002.csv.gz', NOVEMBER, 12),
      ],
      withheld: ['part_0_0002.csv.gz'],
    });
    const { source: azure, logger } = source();

    const before = await azure.deliveries();

    expect(summary(before)).toEqual([
      {
        key: NOVEMBER,
        fingerprint: complete.runId,
        location: `${fake.accountUrl}/billing/${complete.folder}`,
        expectedRows: 30,
      },
    ]);
    expect(logger.info).toHaveBeenCalledWith(
      `Azure export source azure-focus: the latest run of ${NOVEMBER} is not complete yet (run ${underWay.runId} (submitted 2026-11-05T06:03:12Z) at ${fake.accountUrl}/billing/${underWay.folder} lists 1 of 2 blobs not in the container yet (${underWay.blobNames[1]})); reading the previous complete one, run ${complete.runId} (submitted 2026-11-04T06:02:41Z) at ${fake.accountUrl}/billing/${complete.folder}`,
    );
    expect(await before[0].files(scratch)).toHaveLength(1);
    expect(fake.downloads.slice(-1)).toEqual(complete.blobNames);

    fake.put(CONTAINER, underWay.blobNames[1], underWay.parts[1].bytes);
    const after = await azure.deliveries();

    expect(summary(after)).toEqual([
      {
        key: NOVEMBER,
        fingerprint: underWay.runId,
        location: `${fake.accountUrl}/billing/${underWay.folder}`,
        expectedRows: 42,
      },
    ]);
  });

  it('leaves out a date range whose only run is not complete yet', async () => {
    writeRun(fake, {
      range: OCTOBER,
      runFolder: '202611010412',
      submittedTime: '2026-11-01T04:12:09Z',
      parts: [gzipCsvPart('part_0_0001.csv.gz', OCTOBER, 3)],
    });
    const underWay = writeRun(fake, {
      range: NOVEMBER,
      runFolder: '202611050603',
      submittedTime: '2026-11-05T06:03:12Z',
      parts: [gzipCsvPart('part_0_0001.csv.gz', NOVEMBER, 3)],
      withheld: ['part_0_0001.csv.gz'],
    });
    const { source: azure, logger } = source();

    const deliveries = await azure.deliveries();

    expect(deliveries.map(delivery => delivery.key)).toEqual([OCTOBER]);
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining(
        `azure-focus: ${NOVEMBER} is left out until a later run finds it complete: run ${underWay.runId}`,
      ),
    );
  });

  it('keeps the fingerprint of an unchanged range and gives a restated range a new one', async () => {
    writeRun(fake, {
      range: OCTOBER,
      runFolder: '202611010412',
      submittedTime: '2026-11-01T04:12:09Z',
      parts: [gzipCsvPart('part_0_0001.csv.gz', OCTOBER, 5)],
    });
    writeRun(fake, {
      range: NOVEMBER,
      runFolder: '202611050603',
      submittedTime: '2026-11-05T06:03:12Z',
      parts: [gzipCsvPart('part_0_0001.csv.gz', NOVEMBER, 5)],
    });
    const { source: azure } = source();

    const first = summary(await azure.deliveries());
    const second = summary(await azure.deliveries());
    // October restated: "export selected dates" runs it again.
    const restated = writeRun(fake, {
      range: OCTOBER,
      runFolder: '202611060915',
      submittedTime: '2026-11-06T09:15:00Z',
      parts: [gzipCsvPart('part_0_0001.csv.gz', OCTOBER, 6, '-0.5')],
    });
    const third = summary(await azure.deliveries());

    expect(second).toEqual(first);
    expect(third).toEqual([
      {
        key: OCTOBER,
        fingerprint: restated.runId,
        location: `${fake.accountUrl}/billing/${restated.folder}`,
        expectedRows: 6,
      },
      first[1],
    ]);
    expect(third[0].fingerprint).not.toBe(first[0].fingerprint);
  });

  it('follows the continuation markers through every page of the listing', async () => {
    const ranges = ['20260801-20260831', '20260901-20260930', OCTOBER];
    for (const range of ranges) {
      writeRun(fake, {
        range,
        runFolder: `${range.slice(0, 6)}050603`,
        submittedTime: '2026-11-05T06:03:12Z',
        parts: [
          gzipCsvPart('part_0_0001.csv.gz', range, 2),
          gzipCsvPart('part_0_0002.csv.gz', range, 2),
        ],
      });
    }
    fake.put(
      CONTAINER,
      'cost/other-export/20261001-20261031/manifest.json',
      '{}',
    );
    const { source: azure } = source();

    const deliveries = await azure.deliveries();

    expect(deliveries.map(delivery => delivery.key)).toEqual(ranges);
    // 9 blobs, 2 a page: 5 pages, each after the first asking from its marker.
    expect(fake.listMarkers).toHaveLength(5);
    expect(fake.listMarkers[0]).toBe('');
    expect(fake.listMarkers.slice(1).every(marker => marker !== '')).toBe(true);
    expect(
      fake.requests
        .filter(request => request.query.get('comp') === 'list')
        .map(request => [
          request.query.get('prefix'),
          request.query.get('maxresults'),
        ]),
    ).toEqual(Array(5).fill(['cost/focus-daily/', '2']));
  });

  it('warns when the path holds blobs but no export run', async () => {
    fake.put(
      CONTAINER,
      'cost/focus-daily/focus-daily/20261101-20261130/202611050603/manifest.json',
      '{}',
    );
    const { source: azure, logger } = source();

    expect(await azure.deliveries()).toEqual([]);
    expect(logger.warn).toHaveBeenCalledWith(
      `Azure export source azure-focus found 1 blobs in ${fake.accountUrl}/billing/cost/focus-daily but no export run (<yyyyMMdd-yyyyMMdd>/…/manifest.json) among them; ownops.cost.azureExports[0].path must be the export's folder: its root folder path and export name`,
    );
  });

  it('refuses a manifest it does not understand, naming it', async () => {
    fake.put(
      CONTAINER,
      `${EXPORT_PATH}/${NOVEMBER}/202611050603/manifest.json`,
      JSON.stringify({ runInfo: { runId: 'r-1' }, blobs: [{ name: 'x' }] }),
    );
    const { source: azure } = source();

    await expect(azure.deliveries()).rejects.toThrow(
      `Azure export source azure-focus: the manifest ${fake.accountUrl}/billing/${EXPORT_PATH}/${NOVEMBER}/202611050603/manifest.json is not one Ownops understands: blobs[0] has no blobName`,
    );
  });

  it('fails a download when the blob changed since it was listed, or is gone', async () => {
    const run = writeRun(fake, {
      range: NOVEMBER,
      runFolder: '202611050603',
      submittedTime: '2026-11-05T06:03:12Z',
      parts: [
        gzipCsvPart('part_0_0001.csv.gz', NOVEMBER, 3),
        gzipCsvPart('part_0_0002.csv.gz', NOVEMBER, 3),
      ],
      dataOverwriteBehavior: 'OverwritePreviousReport',
    });
    const { source: azure } = source();
    const [delivery] = await azure.deliveries();

    fake.put(CONTAINER, run.blobNames[0], 'overwritten by the next run');
    await expect(delivery.files(scratch)).rejects.toThrow(
      `Azure export source azure-focus: downloading ${fake.accountUrl}/billing/${run.blobNames[0]} was answered 412 ConditionNotMet: The condition specified using HTTP conditional header(s) is not met.; the blob changed since it was listed (a newer export run is overwriting it); the next run reads the export again`,
    );

    const [again] = await azure.deliveries();
    fake.remove(CONTAINER, run.blobNames[1]);
    await expect(
      again.files(await mkdtemp(join(scratch, 'again-'))),
    ).rejects.toThrow(
      `downloading ${fake.accountUrl}/billing/${run.blobNames[1]} was answered 404 BlobNotFound: The specified blob does not exist.; the blob was removed since it was listed; the next run reads the export again`,
    );
  });

  it('stops listing and downloading when its signal aborts', async () => {
    const run = writeRun(fake, {
      range: NOVEMBER,
      runFolder: '202611050603',
      submittedTime: '2026-11-05T06:03:12Z',
      parts: [
        {
          file: 'part_0_0001.snappy.parquet',
          bytes: parquetLike(200_000),
          rows: 9,
        },
        {
          file: 'part_0_0002.snappy.parquet',
          bytes: parquetLike(1_000),
          rows: 1,
        },
      ],
    });
    const { source: azure } = source();
    const [delivery] = await azure.deliveries();
    const aborted = new AbortController();
    const reason = new Error('the ingestion run was cancelled');
    let connectionClosed = false;
    fake.intercept((request, response) => {
      if (!request.path.endsWith('part_0_0001.snappy.parquet')) {
        return false;
      }
      // Half the blob, then nothing, until the client goes away.
      response.writeHead(200, {
        'content-length': '200000',
        etag: request.headers['if-match'] as string,
        'x-ms-blob-type': 'BlockBlob',
      });
      response.write(run.parts[0].bytes.subarray(0, 100_000));
      response.on('close', () => {
        connectionClosed = true;
      });
      setTimeout(() => aborted.abort(reason), 50);
      return true;
    });

    await expect(delivery.files(scratch, aborted.signal)).rejects.toBe(reason);
    await expect(azure.deliveries(aborted.signal)).rejects.toBe(reason);
    // The second file is never asked for.
    expect(fake.downloads.slice(-1)).toEqual([run.blobNames[0]]);
    await new Promise(resolve => setTimeout(resolve, 20));
    expect(connectionClosed).toBe(true);
  });

  it('gives up on Azure after the timeout, naming the key to raise', async () => {
    writeRun(fake, {
      range: NOVEMBER,
      runFolder: '202611050603',
      submittedTime: '2026-11-05T06:03:12Z',
      parts: [gzipCsvPart('part_0_0001.csv.gz', NOVEMBER, 3)],
    });
    const { source: azure } = source({ timeout: 200 });
    const [delivery] = await azure.deliveries();
    fake.intercept(() => true);

    await expect(delivery.files(scratch)).rejects.toThrow(
      /^Azure export source azure-focus: downloading http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/billing\/cost\/focus-daily\/20261101-20261130\/202611050603\/[0-9a-f-]+\/part_0_0001\.csv\.gz failed: Azure Storage sent nothing for 200 ms \(after 0 bytes\); raise ownops\.cost\.azureExports\[0\]\.timeout or check the network path to the storage account$/,
    );
    await expect(azure.deliveries()).rejects.toThrow(
      `Azure export source azure-focus: listing ${fake.accountUrl}/billing/cost/focus-daily failed: no answer within 200 ms; raise ownops.cost.azureExports[0].timeout or check the network path to the storage account`,
    );
  });

  it('says what to do when the storage account refuses it', async () => {
    const { source: azure } = source();
    fake.intercept((_request, response) => {
      response.writeHead(403, {
        'x-ms-error-code': 'AuthorizationFailure',
        'content-type': 'application/xml',
      });
      response.end(
        '<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthorizationFailure</Code><Message>This request is not authorized to perform this operation.\nRequestId:1</Message></Error>',
      );
      return true;
    });

    await expect(azure.deliveries()).rejects.toThrow(
      `Azure export source azure-focus: listing ${fake.accountUrl}/billing/cost/focus-daily was answered 403 AuthorizationFailure: This request is not authorized to perform this operation.; the storage account refused the request: check its firewall (allow the backstage backend) and the connection string (ownops.cost.azureExports[0].connectionString)`,
    );
  });

  it('says when the container does not exist', async () => {
    const { source: azure } = source({ container: 'no-such-container' });

    await expect(azure.deliveries()).rejects.toThrow(
      `Azure export source azure-focus: listing ${fake.accountUrl}/no-such-container/cost/focus-daily was answered 404 ContainerNotFound: The specified container does not exist.; the container does not exist: check ownops.cost.azureExports[0].container and the account`,
    );
  });
});
