import { ConfigReader } from '@backstage/config';
import {
  CapturingRootLogger,
  everyText,
} from '@ownops/backstage-plugin-node/testUtils';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CONTAINER,
  EXPORT_PATH,
  gzipCsvPart,
  writeRun,
} from './__testUtils__/exportRuns';
import {
  ACCOUNT,
  FakeBlobService,
  sendError,
} from './__testUtils__/fakeBlobService';
import { AzureFocusExportSource } from './AzureFocusExportSource';
import { readAzureExportsConfig } from './config';
import { openExportContainer } from './storageClient';

const NOVEMBER = '20261101-20261130';

let fake: FakeBlobService | undefined;
let scratch: string;

beforeEach(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'ownops-azure-canary-'));
});

afterEach(async () => {
  await fake?.stop();
  fake = undefined;
  await rm(scratch, { recursive: true, force: true });
});

function sourceFrom(entry: object) {
  const [config] = readAzureExportsConfig(
    new ConfigReader({
      ownops: {
        cost: {
          azureExports: [
            {
              id: 'azure-canary',
              container: CONTAINER,
              path: EXPORT_PATH,
              ...entry,
            },
          ],
        },
      },
    }),
  );
  const logger = new CapturingRootLogger();
  const source = new AzureFocusExportSource({
    config,
    container: openExportContainer(config),
    logger,
    pageSize: 2,
  });
  return { source, logger };
}

/** Azure, or a proxy in front of it, quoting back everything it was sent. */
function refuseQuotingTheRequest(...alsoQuoted: string[]) {
  fake!.intercept((request, response) => {
    sendError(
      response,
      403,
      'AuthenticationFailed',
      `Server failed to authenticate the request. query: ${
        request.query
      } sig: ${request.query.get('sig')} authorization: ${
        request.headers.authorization
      } ${alsoQuoted.join(' ')}`,
    );
    return true;
  });
}

/** A proxy in front of Azure answering with a page that quotes the request. */
function proxyPageQuotingTheRequest() {
  fake!.intercept((request, response) => {
    response.writeHead(502, { 'content-type': 'text/html' });
    response.end(
      `<html><body>Bad gateway for ${request.path}?${request.query}</body></html>`,
    );
    return true;
  });
}

/** Every form the secret could be quoted in, and their beginnings and ends, should a message be cut. */
const forms = (secret: string) =>
  [secret, encodeURIComponent(secret), decodeURIComponent(secret)].flatMap(
    form => [form, form.slice(0, 16), form.slice(-16)],
  );

describe('a canary secret', () => {
  it('in a SAS token stays out of logs, errors and locations', async () => {
    // Base64 signatures hold + / =, which travel URL-encoded.
    const signature = `canary+${randomBytes(12).toString('base64')}/=`;
    fake = await FakeBlobService.start({
      pageSize: 2,
      sasSignature: signature,
    });
    writeRun(fake, {
      range: NOVEMBER,
      runFolder: '202611050603',
      submittedTime: '2026-11-05T06:03:12Z',
      parts: [gzipCsvPart('part_0_0001.csv.gz', NOVEMBER, 3)],
    });
    const { source, logger } = sourceFrom({
      accountUrl: fake.accountUrl,
      sasToken: `?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2027-01-01T00%3A00%3A00Z&sig=${encodeURIComponent(
        signature,
      )}`,
    });

    const deliveries = await source.deliveries();
    expect(deliveries).toHaveLength(1);
    refuseQuotingTheRequest();
    const downloadError = await deliveries[0].files(scratch).catch(e => e);
    const listingError = await source.deliveries().catch(e => e);
    fake.reset();
    proxyPageQuotingTheRequest();
    const proxyError = await source.deliveries().catch(e => e);

    expect(downloadError.message).toContain(
      'was answered 403 AuthenticationFailed',
    );
    expect(listingError.message).toContain('sig: ***');
    expect(proxyError.message).toContain(
      'was answered 502 by something other than Azure Storage (a proxy, or an outage page?): <html><body>Bad gateway for /devstoreaccount1/billing?',
    );
    const seen = everyText([
      source.location,
      deliveries.map(delivery => delivery.location),
      downloadError,
      listingError,
      proxyError,
      logger.lines,
    ]);
    for (const form of forms(encodeURIComponent(signature))) {
      expect(seen).not.toContain(form);
    }
  });

  it('as the account key of a connection string stays out of logs, errors and locations', async () => {
    fake = await FakeBlobService.start({ pageSize: 2 });
    writeRun(fake, {
      range: NOVEMBER,
      runFolder: '202611050603',
      submittedTime: '2026-11-05T06:03:12Z',
      parts: [gzipCsvPart('part_0_0001.csv.gz', NOVEMBER, 3)],
    });
    const accountKey = randomBytes(64).toString('base64');
    const { source, logger } = sourceFrom({
      connectionString: `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${accountKey};BlobEndpoint=${fake.accountUrl};`,
    });

    const deliveries = await source.deliveries();
    expect(deliveries).toHaveLength(1);
    refuseQuotingTheRequest(`key: ${accountKey}`);
    const error = await source.deliveries().catch(e => e);
    const startUpError = (() => {
      try {
        sourceFrom({
          connectionString: `DefaultEndpointsProtocol=http;AccountKey=${accountKey};`,
        });
        return undefined;
      } catch (e) {
        return e as Error;
      }
    })();

    expect(error.message).toContain('key: ***');
    expect(startUpError?.message).toMatch(
      /^ownops\.cost\.azureExports\[0\]\.connectionString is not a storage account connection string: /,
    );
    const seen = everyText([
      source.location,
      deliveries.map(delivery => delivery.location),
      error,
      startUpError,
      logger.lines,
    ]);
    for (const form of forms(accountKey)) {
      expect(seen).not.toContain(form);
    }
  });

  it('as a client secret stays out of logs and errors when no token can be had', async () => {
    const closedPort = await freePort();
    const previous = process.env.AZURE_AUTHORITY_HOST;
    process.env.AZURE_AUTHORITY_HOST = `https://127.0.0.1:${closedPort}`;
    try {
      const clientSecret = `canary~${randomUUID()}`;
      const { source, logger } = sourceFrom({
        accountUrl: `https://127.0.0.1:${closedPort}/${ACCOUNT}`,
        tenantId: '00000000-0000-0000-0000-000000000001',
        clientId: '00000000-0000-0000-0000-000000000002',
        clientSecret,
      });
      const conflict = (() => {
        try {
          sourceFrom({
            accountUrl: 'https://finops.blob.core.windows.net',
            sasToken: 'sv=1&sig=abcd',
            clientId: 'c',
            tenantId: 't',
            clientSecret,
          });
          return undefined;
        } catch (e) {
          return e as Error;
        }
      })();

      const error = await source.deliveries().catch(e => e);

      expect(error.message).toMatch(
        /^Azure export source azure-canary: listing https:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/billing\/cost\/focus-daily failed, no Microsoft Entra token: .+; check the service principal 00000000-0000-0000-0000-000000000002 of tenant 00000000-0000-0000-0000-000000000001/,
      );
      expect(conflict?.message).toContain('cannot be used with');
      const seen = everyText([source.location, error, conflict, logger.lines]);
      for (const form of forms(clientSecret)) {
        expect(seen).not.toContain(form);
      }
    } finally {
      if (previous === undefined) {
        delete process.env.AZURE_AUTHORITY_HOST;
      } else {
        process.env.AZURE_AUTHORITY_HOST = previous;
      }
    }
  }, 30_000);
});

/** A loopback port nothing listens on. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise(resolve => server.close(resolve));
  return port;
}
