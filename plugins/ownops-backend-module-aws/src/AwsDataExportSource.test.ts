import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  AwsCredentialsManager,
  DefaultAwsCredentialsManager,
} from '@backstage/integration-aws-node';
import { FocusExportDelivery } from '@ownops/backstage-plugin-node';
import { everyText } from '@ownops/backstage-plugin-node/testUtils';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { FakeS3, S3Request } from './__testUtils__/FakeS3';
import { AwsDataExportSource } from './AwsDataExportSource';
import { AwsDataExportConfig } from './dataExportsConfig';
import { createS3Client } from './s3Client';

const BUCKET = 'acme-billing';
const ROOT = 'focus/ownops-focus';
const ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYS3SECRET';

const s3 = new FakeS3(BUCKET);
let endpoint: string;
let scratch: string;

beforeAll(async () => {
  endpoint = await s3.start();
});
afterAll(() => s3.stop());
beforeEach(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'ownops-aws-data-exports-'));
});
afterEach(async () => {
  s3.clear();
  await rm(scratch, { recursive: true, force: true });
});

/** Stores an object in the fake bucket, written at `minute` of 2026-11-15. */
function put(key: string, body: string | Buffer, minute = 0) {
  s3.put(key, body, new Date(Date.UTC(2026, 10, 15, 4, minute)));
}

/** A FOCUS CSV part, gzipped as AWS delivers `.csv.gz` parts. */
const csvPart = (lines: string[]) =>
  gzipSync(
    ['BilledCost,BillingCurrency,ChargePeriodStart,ServiceName', ...lines].join(
      '\n',
    ),
  );

/** Bytes standing in for a Parquet part (the source never looks inside). */
const parquetPart = () =>
  Buffer.concat([Buffer.from('PAR1'), randomBytes(64), Buffer.from('PAR1')]);

/** A manifest shaped as AWS Data Exports writes one. */
function manifest(period: string, executionId: string, dataKeys: string[]) {
  const [year, month] = period.split('-').map(Number);
  return JSON.stringify({
    version: '1.0',
    exportArn: `arn:aws:bcm-data-exports:us-east-1:111122223333:export/ownops-focus-${randomUUID()}`,
    exportName: 'ownops-focus',
    executionId,
    billingPeriod: {
      start: new Date(Date.UTC(year, month - 1)).toISOString(),
      end: new Date(Date.UTC(year, month)).toISOString(),
    },
    columns: [
      { name: 'BilledCost', type: 'decimal' },
      { name: 'BillingCurrency', type: 'string' },
      { name: 'ChargePeriodStart', type: 'timestamp' },
      { name: 'ServiceName', type: 'string' },
    ],
    dataFiles: dataKeys.map(key => `s3://${BUCKET}/${key}`),
  });
}

/**
 * An export set to overwrite: the period's parts and its manifest, written
 * after them. Returns the parts by key.
 */
function overwritten(
  period: string,
  executionId: string,
  parts: Buffer[],
  minute = 0,
) {
  const keys = parts.map(
    (_, index) =>
      `${ROOT}/data/BILLING_PERIOD=${period}/ownops-focus-0000${
        index + 1
      }.csv.gz`,
  );
  keys.forEach((key, index) => put(key, parts[index], minute));
  put(
    `${ROOT}/metadata/BILLING_PERIOD=${period}/ownops-focus-Manifest.json`,
    manifest(period, executionId, keys),
    minute + 1,
  );
  return keys;
}

/**
 * One execution of an export set to create new reports: its own folder
 * under the period, for data and metadata. `write` leaves parts out.
 */
function execution(
  period: string,
  folder: string,
  executionId: string,
  parts: Buffer[],
  minute: number,
  write = parts.length,
) {
  const keys = parts.map(
    (_, index) =>
      `${ROOT}/data/BILLING_PERIOD=${period}/${folder}/ownops-focus-0000${
        index + 1
      }.snappy.parquet`,
  );
  keys.slice(0, write).forEach((key, index) => put(key, parts[index], minute));
  put(
    `${ROOT}/metadata/BILLING_PERIOD=${period}/${folder}/ownops-focus-Manifest.json`,
    manifest(period, executionId, keys),
    minute + 1,
  );
  return keys;
}

const staticCredentials = DefaultAwsCredentialsManager.fromConfig(
  new ConfigReader({
    aws: {
      mainAccount: {
        accessKeyId: ACCESS_KEY_ID,
        secretAccessKey: SECRET_ACCESS_KEY,
      },
    },
  }),
);

async function createSource(
  overrides: Partial<AwsDataExportConfig> = {},
  credentials: AwsCredentialsManager = staticCredentials,
) {
  const config: AwsDataExportConfig = {
    id: 'aws-focus',
    bucket: BUCKET,
    prefix: 'focus',
    exportName: 'ownops-focus',
    region: 'us-east-1',
    endpoint,
    tagColumns: {},
    timeoutMs: 5_000,
    ...overrides,
  };
  const logger = mockServices.logger.mock();
  const source = new AwsDataExportSource({
    config,
    client: await createS3Client(config, credentials),
    logger,
  });
  return { source, logger };
}

const summary = (deliveries: FocusExportDelivery[]) =>
  deliveries.map(({ key, fingerprint }) => ({ key, fingerprint }));

async function filesOf(delivery: FocusExportDelivery | undefined) {
  const paths = await delivery!.files(scratch);
  return Promise.all(paths.map(path => readFile(path)));
}

const failureOf = (promise: Promise<unknown>): Promise<Error> =>
  promise.then(
    () => new Error('no error'),
    error => error as Error,
  );

describe('AwsDataExportSource', () => {
  it('delivers a billing period as its manifest lists it, downloaded byte-identical', async () => {
    const parts = [
      csvPart(['1.25,USD,2026-10-01T00:00:00Z,AWS Lambda']),
      csvPart(['40.35,USD,2026-10-02T00:00:00Z,Amazon EC2']),
    ];
    const keys = overwritten('2026-10', 'exec-2026-10-a', parts);
    // A part an earlier execution with more parts left behind.
    put(`${ROOT}/data/BILLING_PERIOD=2026-10/ownops-focus-00003.csv.gz`, 'x');
    // Another export under the same prefix.
    put(
      'focus/ownops-focus-eu/metadata/BILLING_PERIOD=2026-10/ownops-focus-Manifest.json',
      manifest('2026-10', 'other', []),
    );
    const { source } = await createSource({
      tagColumns: { x_CostCenter: 'cost-center' },
    });

    expect(source).toMatchObject({
      id: 'aws-focus',
      location: 's3://acme-billing/focus/ownops-focus',
      tagColumns: { x_CostCenter: 'cost-center' },
    });
    const deliveries = await source.deliveries();
    expect(deliveries).toEqual([
      {
        key: 'BILLING_PERIOD=2026-10',
        fingerprint: expect.stringMatching(/^exec-2026-10-a [0-9a-f]{32}$/),
        location:
          's3://acme-billing/focus/ownops-focus/data/BILLING_PERIOD=2026-10',
        files: expect.any(Function),
      },
    ]);

    const paths = await deliveries[0].files(scratch);
    expect(paths).toEqual([
      join(scratch, 'ownops-focus-00001.csv.gz'),
      join(scratch, 'ownops-focus-00002.csv.gz'),
    ]);
    expect(await Promise.all(paths.map(path => readFile(path)))).toEqual(parts);
    expect(await readdir(scratch)).toHaveLength(2);
    expect(
      s3.requests
        .filter(request => request.key?.includes('/data/'))
        .map(request => request.key),
    ).toEqual(keys);
  });

  it("downloads in the manifest's order, under unique names", async () => {
    const period = `${ROOT}/data/BILLING_PERIOD=2026-10`;
    const keys = [
      `${period}/ownops-focus-00002.csv.gz`,
      `${period}/ownops-focus-00001.csv.gz`,
      `${period}/part/ownops-focus-00001.csv.gz`,
    ];
    keys.forEach((key, index) => put(key, `part ${index}`));
    put(
      `${ROOT}/metadata/BILLING_PERIOD=2026-10/ownops-focus-Manifest.json`,
      manifest('2026-10', 'exec-1', keys),
      1,
    );
    const { source } = await createSource();
    const [delivery] = await source.deliveries();

    const paths = await delivery.files(scratch);
    expect(paths.map(path => relative(scratch, path))).toEqual([
      'ownops-focus-00002.csv.gz',
      'ownops-focus-00001.csv.gz',
      join('part', 'ownops-focus-00001.csv.gz'),
    ]);
    expect(
      (await Promise.all(paths.map(path => readFile(path)))).map(String),
    ).toEqual(['part 0', 'part 1', 'part 2']);
  });

  it('reads only the latest execution of an export that creates new reports', async () => {
    const older = [parquetPart(), parquetPart()];
    const newer = [parquetPart(), parquetPart(), parquetPart()];
    execution('2026-11', '20261114T041503Z-0a1b', 'exec-older', older, 0);
    const newerKeys = execution(
      '2026-11',
      '20261115T041503Z-9f8e',
      'exec-newer',
      newer,
      10,
    );
    const { source } = await createSource();
    const deliveries = await source.deliveries();

    expect(summary(deliveries)).toEqual([
      {
        key: 'BILLING_PERIOD=2026-11',
        fingerprint: expect.stringMatching(/^exec-newer /),
      },
    ]);
    expect(deliveries[0].location).toBe(
      's3://acme-billing/focus/ownops-focus/data/BILLING_PERIOD=2026-11',
    );
    const paths = await deliveries[0].files(scratch);
    expect(await Promise.all(paths.map(path => readFile(path)))).toEqual(newer);
    // Below the scratch folder, each file is where it is below the location.
    expect(
      paths.map(
        path =>
          `${deliveries[0].location}/${relative(scratch, path)
            .split(sep)
            .join('/')}`,
      ),
    ).toEqual(newerKeys.map(key => `s3://${BUCKET}/${key}`));
  });

  it('leaves out a billing period whose manifest lists a part not in the bucket yet', async () => {
    overwritten('2026-10', 'exec-oct', [csvPart(['1,USD,x,y'])]);
    const keys = overwritten('2026-11', 'exec-nov', [
      csvPart(['2,USD,x,y']),
      csvPart(['3,USD,x,y']),
    ]);
    s3.delete(keys[1]);
    const { source, logger } = await createSource();

    expect(summary(await source.deliveries())).toEqual([
      { key: 'BILLING_PERIOD=2026-10', fingerprint: expect.any(String) },
    ]);
    expect(logger.info).toHaveBeenCalledWith(
      `AWS Data Exports source aws-focus: BILLING_PERIOD=2026-11 is left out until a later run finds it complete: s3://acme-billing/${ROOT}/metadata/BILLING_PERIOD=2026-11/ownops-focus-Manifest.json lists 1 of 2 data files not in the bucket (s3://acme-billing/${keys[1]})`,
    );

    put(keys[1], csvPart(['3,USD,x,y']));
    expect(summary(await source.deliveries())).toEqual([
      { key: 'BILLING_PERIOD=2026-10', fingerprint: expect.any(String) },
      {
        key: 'BILLING_PERIOD=2026-11',
        fingerprint: expect.stringMatching(/^exec-nov /),
      },
    ]);
  });

  it('reads the previous complete execution while the latest one misses its last part', async () => {
    const complete = [parquetPart(), parquetPart()];
    execution('2026-11', '20261114T041503Z-0a1b', 'exec-complete', complete, 0);
    const missing = execution(
      '2026-11',
      '20261115T041503Z-9f8e',
      'exec-incomplete',
      [parquetPart(), parquetPart()],
      10,
      1,
    );
    const { source, logger } = await createSource();
    const deliveries = await source.deliveries();

    expect(summary(deliveries)).toEqual([
      {
        key: 'BILLING_PERIOD=2026-11',
        fingerprint: expect.stringMatching(/^exec-complete /),
      },
    ]);
    expect(await filesOf(deliveries[0])).toEqual(complete);
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining(
        `the latest delivery of BILLING_PERIOD=2026-11 is not complete yet (s3://acme-billing/${ROOT}/metadata/BILLING_PERIOD=2026-11/20261115T041503Z-9f8e/ownops-focus-Manifest.json lists 1 of 2 data files not in the bucket (s3://acme-billing/${missing[1]})); reading the previous complete one`,
      ),
    );
  });

  it('gives an unchanged billing period the same fingerprint on every listing', async () => {
    overwritten('2026-10', 'exec-oct', [csvPart(['1,USD,x,y'])]);
    execution(
      '2026-11',
      '20261115T041503Z-9f8e',
      'exec-nov',
      [parquetPart()],
      5,
    );
    const { source } = await createSource();

    const first = summary(await source.deliveries());
    const second = summary(await source.deliveries());
    expect(first.map(({ key }) => key)).toEqual([
      'BILLING_PERIOD=2026-10',
      'BILLING_PERIOD=2026-11',
    ]);
    expect(second).toEqual(first);
  });

  it('gives a restated billing period a new fingerprint and its new parts', async () => {
    overwritten('2026-10', 'exec-oct-1', [csvPart(['1.00,USD,x,y'])]);
    const { source } = await createSource();
    const [before] = await source.deliveries();

    const restated = [csvPart(['1.10,USD,x,y']), csvPart(['-0.10,USD,x,y'])];
    overwritten('2026-10', 'exec-oct-2', restated, 30);
    const [after] = await source.deliveries();

    expect(after.key).toBe(before.key);
    expect(before.fingerprint).toMatch(/^exec-oct-1 /);
    expect(after.fingerprint).toMatch(/^exec-oct-2 /);
    expect(await filesOf(after)).toEqual(restated);
  });

  it('follows continuation tokens through every page of the listing', async () => {
    overwritten('2026-09', 'exec-sep', [csvPart(['1,USD,x,y'])]);
    overwritten('2026-10', 'exec-oct', [csvPart(['2,USD,x,y'])]);
    execution(
      '2026-11',
      '20261115T041503Z-9f8e',
      'exec-nov',
      [parquetPart(), parquetPart()],
      5,
    );
    const { source } = await createSource();
    const deliveries = await source.deliveries();

    expect(deliveries.map(delivery => delivery.key)).toEqual([
      'BILLING_PERIOD=2026-09',
      'BILLING_PERIOD=2026-10',
      'BILLING_PERIOD=2026-11',
    ]);
    const listings = s3.requests.filter(request => request.key === undefined);
    // 7 objects, 2 per page.
    expect(listings).toHaveLength(4);
    expect(listings.map(request => request.query.prefix)).toEqual(
      Array(4).fill(`${ROOT}/`),
    );
    expect(listings[0].query['continuation-token']).toBeUndefined();
    expect(
      listings.slice(1).map(request => request.query['continuation-token']),
    ).toEqual([expect.any(String), expect.any(String), expect.any(String)]);
    expect(new Set(listings.map(l => l.query['continuation-token'])).size).toBe(
      4,
    );
  });

  it('reads an export without a prefix', async () => {
    put(
      'ownops-focus/data/BILLING_PERIOD=2026-10/ownops-focus-00001.csv.gz',
      'a',
    );
    put(
      'ownops-focus/metadata/BILLING_PERIOD=2026-10/ownops-focus-Manifest.json',
      manifest('2026-10', 'exec-1', [
        'ownops-focus/data/BILLING_PERIOD=2026-10/ownops-focus-00001.csv.gz',
      ]),
      1,
    );
    const { source } = await createSource({ prefix: '' });

    expect(source.location).toBe('s3://acme-billing/ownops-focus');
    expect((await source.deliveries()).map(d => d.location)).toEqual([
      's3://acme-billing/ownops-focus/data/BILLING_PERIOD=2026-10',
    ]);
  });

  it.each([
    ['is not JSON', () => '<html>', 'it is not JSON'],
    [
      'has no dataFiles',
      () => JSON.stringify({ executionId: 'exec-1' }),
      'dataFiles is missing',
    ],
    [
      'lists a file of another billing period',
      () =>
        manifest('2026-10', 'exec-1', [
          `${ROOT}/data/BILLING_PERIOD=2026-09/ownops-focus-00001.csv.gz`,
        ]),
      `its dataFiles list "s3://acme-billing/${ROOT}/data/BILLING_PERIOD=2026-09/ownops-focus-00001.csv.gz" is not a file in s3://acme-billing/${ROOT}/data/BILLING_PERIOD=2026-10/`,
    ],
    [
      'lists a file in another bucket',
      () =>
        JSON.stringify({
          executionId: 'exec-1',
          dataFiles: [
            `s3://elsewhere/${ROOT}/data/BILLING_PERIOD=2026-10/a.csv.gz`,
          ],
        }),
      'is not in s3://acme-billing/',
    ],
    [
      'lists a file whose path leaves the folder',
      () =>
        manifest('2026-10', 'exec-1', [
          `${ROOT}/data/BILLING_PERIOD=2026-10/../../../../etc/cron.d/x`,
        ]),
      'a name Ownops does not write to disk',
    ],
    [
      'lists a file twice',
      () =>
        manifest('2026-10', 'exec-1', [
          `${ROOT}/data/BILLING_PERIOD=2026-10/ownops-focus-00001.csv.gz`,
          `${ROOT}/data/BILLING_PERIOD=2026-10/ownops-focus-00001.csv.gz`,
        ]),
      'more than once, which would count its costs twice',
    ],
  ])('fails naming the manifest when it %s', async (_, body, problem) => {
    put(`${ROOT}/data/BILLING_PERIOD=2026-10/ownops-focus-00001.csv.gz`, 'a');
    put(
      `${ROOT}/metadata/BILLING_PERIOD=2026-10/ownops-focus-Manifest.json`,
      body(),
      1,
    );
    const { source } = await createSource();
    const error = await failureOf(source.deliveries());

    expect(error.message).toContain(
      `AWS Data Exports source aws-focus: the manifest s3://acme-billing/${ROOT}/metadata/BILLING_PERIOD=2026-10/ownops-focus-Manifest.json is not one Ownops understands: `,
    );
    expect(error.message).toContain(problem);
  });

  it('fails the download of a part that changed after it was listed', async () => {
    const keys = overwritten('2026-10', 'exec-1', [csvPart(['1,USD,x,y'])]);
    const { source } = await createSource();
    const [delivery] = await source.deliveries();
    // A newer execution overwrites the part in place.
    put(keys[0], csvPart(['2,USD,x,y']), 40);
    const error = await failureOf(delivery.files(scratch));

    expect(error.message).toBe(
      `AWS Data Exports source aws-focus: downloading s3://acme-billing/${keys[0]} failed with PreconditionFailed (HTTP 412): At least one of the pre-conditions you specified did not hold; the object changed while it was read (a newer export execution is overwriting it); the next run reads the export again`,
    );
  });

  it('explains a bucket it may not list', async () => {
    s3.intercept((_, response) => {
      s3.error(response, 403, 'AccessDenied', 'Access Denied');
      return true;
    });
    const credentials = DefaultAwsCredentialsManager.fromConfig(
      new ConfigReader({
        aws: {
          accounts: [
            {
              accountId: '111122223333',
              accessKeyId: ACCESS_KEY_ID,
              secretAccessKey: SECRET_ACCESS_KEY,
            },
          ],
        },
      }),
    );
    const { source } = await createSource(
      { accountId: '111122223333' },
      credentials,
    );
    const error = await failureOf(source.deliveries());

    expect(error.message).toBe(
      `AWS Data Exports source aws-focus (account 111122223333): listing s3://acme-billing/${ROOT}/ failed with AccessDenied (HTTP 403): Access Denied; grant the AWS credentials s3:ListBucket on the bucket and s3:GetObject on the export's objects (and kms:Decrypt if the bucket is encrypted with a KMS key)`,
    );
    // Access Denied is not retried.
    expect(s3.requests).toHaveLength(1);
  });

  it('signs every request with the configured credentials', async () => {
    overwritten('2026-10', 'exec-1', [csvPart(['1,USD,x,y'])]);
    const { source } = await createSource();
    await filesOf((await source.deliveries())[0]);

    expect(s3.requests).toHaveLength(3);
    for (const request of s3.requests) {
      expect(request.headers.authorization).toMatch(
        new RegExp(
          `^AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/\\d{8}/us-east-1/s3/aws4_request`,
        ),
      );
    }
  });
});

describe('AwsDataExportSource and its abort signal', () => {
  /** What the promise settles with within a second, or 'still running'. */
  const withinASecond = (promise: Promise<Error>) =>
    Promise.race([
      promise,
      new Promise<string>(resolve =>
        setTimeout(() => resolve('still running'), 1_000),
      ),
    ]);

  it('stops listing as soon as the signal aborts', async () => {
    s3.intercept(() => true); // never answers
    const { source } = await createSource({ timeoutMs: 60_000 });
    const controller = new AbortController();
    const listing = failureOf(source.deliveries(controller.signal));
    await new Promise(resolve => setTimeout(resolve, 100));
    controller.abort();

    expect(await withinASecond(listing)).toMatchObject({ name: 'AbortError' });
    expect(s3.requests).toHaveLength(1);
  });

  it('stops a download when the signal aborts, and downloads nothing more', async () => {
    overwritten('2026-10', 'exec-1', [
      Buffer.alloc(64 * 1024, 1),
      Buffer.alloc(64 * 1024, 2),
    ]);
    const { source } = await createSource({ timeoutMs: 60_000 });
    const [delivery] = await source.deliveries();
    const controller = new AbortController();
    s3.requests.length = 0;
    s3.intercept((_, response) => {
      response.writeHead(200, { 'content-length': 64 * 1024 });
      // Half the part, then nothing.
      response.write(Buffer.alloc(32 * 1024, 1));
      setTimeout(() => controller.abort(), 100);
      return true;
    });
    const download = failureOf(delivery.files(scratch, controller.signal));

    expect(await withinASecond(download)).toMatchObject({
      name: 'AbortError',
    });
    expect(s3.requests).toHaveLength(1);
  });

  it('downloads nothing with a signal aborted before', async () => {
    overwritten('2026-10', 'exec-1', [csvPart(['1,USD,x,y'])]);
    const { source } = await createSource();
    const [delivery] = await source.deliveries();
    s3.requests.length = 0;
    const error = await failureOf(delivery.files(scratch, AbortSignal.abort()));

    expect(error.name).toBe('AbortError');
    expect(s3.requests).toEqual([]);
    expect(await readdir(scratch)).toEqual([]);
  });
});

describe('AwsDataExportSource faults', () => {
  it('quotes nothing of an answer that is not S3 XML', async () => {
    s3.intercept((request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end(
        `<html>Bad gateway for ${request.headers.authorization} ${SECRET_ACCESS_KEY}</html>`,
      );
      return true;
    });
    const { source } = await createSource();
    const error = await failureOf(source.deliveries());

    expect(error.message).toBe(
      `AWS Data Exports source aws-focus: listing s3://acme-billing/${ROOT}/ failed with Unknown (HTTP 502): UnknownError; S3 kept failing the request; the next run tries again`,
    );
    expect(everyText(error)).not.toContain('Bad gateway');
    // Retried up to 3 attempts in all.
    expect(s3.requests).toHaveLength(3);
  });

  it('reads on after S3 fails a request once', async () => {
    overwritten('2026-10', 'exec-1', [csvPart(['1,USD,x,y'])]);
    let failed = false;
    s3.intercept((_, response) => {
      if (failed) return false;
      failed = true;
      s3.error(response, 503, 'SlowDown', 'Please reduce your request rate.');
      return true;
    });
    const { source } = await createSource();

    expect(summary(await source.deliveries())).toEqual([
      { key: 'BILLING_PERIOD=2026-10', fingerprint: expect.any(String) },
    ]);
    expect(s3.requests[1].query).toEqual(s3.requests[0].query);
  });
});

describe('a canary secret access key and session token', () => {
  it.each<[string, (request: S3Request) => boolean, number]>([
    ['listing', request => request.key === undefined, 0],
    ['reading a manifest', request => !!request.key?.endsWith('.json'), 0],
    ['downloading', request => !!request.key?.includes('/data/'), 1],
  ])(
    'stay out of logs, errors and locations when S3 echoes them while %s',
    async (_, echoes, deliveriesFound) => {
      const secretAccessKey = `canary-${randomUUID()}`;
      const sessionToken = `canary-token-${randomUUID()}`;
      const credentials: AwsCredentialsManager = {
        getCredentialProvider: async () => ({
          sdkCredentialProvider: async () => ({
            accessKeyId: ACCESS_KEY_ID,
            secretAccessKey,
            sessionToken,
          }),
        }),
      };
      overwritten('2026-10', 'exec-1', [csvPart(['1,USD,x,y'])]);
      s3.intercept((request, response) => {
        if (!echoes(request)) return false;
        s3.error(
          response,
          403,
          'InvalidToken',
          `The token ${request.headers['x-amz-security-token']} of ${request.headers.authorization} is invalid (the secret is ${secretAccessKey})`,
        );
        return true;
      });
      const { source, logger } = await createSource({}, credentials);
      let deliveries: FocusExportDelivery[] = [];
      const error = await failureOf(
        source.deliveries().then(async found => {
          deliveries = found;
          return found[0].files(scratch);
        }),
      );

      expect(error.message).toMatch(
        /failed with InvalidToken \(HTTP 403\): The token \*\*\* of AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/.* is invalid \(the secret is \*\*\*\); check the AWS credentials/,
      );
      // The requests did carry the token: the fake could echo it.
      expect(s3.requests.at(-1)?.headers['x-amz-security-token']).toBe(
        sessionToken,
      );
      const seen = everyText([
        error,
        source.location,
        deliveries.map(delivery => delivery.location),
        logger.debug.mock.calls,
        logger.info.mock.calls,
        logger.warn.mock.calls,
        logger.error.mock.calls,
      ]);
      expect(seen).not.toContain(secretAccessKey);
      expect(seen).not.toContain(sessionToken);
      expect(deliveries).toHaveLength(deliveriesFound);
    },
  );
});
