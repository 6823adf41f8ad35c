import { createHash } from 'node:crypto';
import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';
import { crc32 } from 'node:zlib';

/** One request the fake S3 answered. */
export interface S3Request {
  method: string;
  /** The object key, or undefined for a request to the bucket. */
  key?: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
}

interface StoredObject {
  body: Buffer;
  etag: string;
  lastModified: Date;
}

/** Answers a request itself instead of the fake S3, or returns undefined. */
export type S3Override = (
  request: S3Request,
  response: ServerResponse,
) => boolean | Promise<boolean>;

const escapeXml = (text: string) =>
  text.replace(
    /[<>&'"]/g,
    char =>
      ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' }[
        char
      ]!),
  );

/** S3 lists keys in the order of their UTF-8 bytes. */
const byteOrder = (a: string, b: string) =>
  Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * An S3 bucket on loopback, answering path-style ListObjectsV2 and
 * GetObject (with If-Match) as the S3 API reference documents them, from
 * objects kept in memory. Listings return at most `pageSize` keys per page,
 * so that every listing of more is paginated.
 */
export class FakeS3 {
  readonly requests: S3Request[] = [];
  private readonly objects = new Map<string, StoredObject>();
  private override?: S3Override;
  private server?: Server;

  constructor(readonly bucket: string, private readonly pageSize = 2) {}

  /** Starts listening on an ephemeral port of 127.0.0.1; returns the endpoint. */
  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      this.answer(request, response).catch(error => {
        response.statusCode = 500;
        response.end(String(error));
      });
    });
    await new Promise<void>(resolve =>
      this.server!.listen(0, '127.0.0.1', resolve),
    );
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise(resolve => this.server?.close(resolve));
  }

  /** Stores an object; `lastModified` defaults to now. */
  put(key: string, body: string | Buffer, lastModified = new Date()): void {
    const bytes = Buffer.from(body);
    this.objects.set(key, {
      body: bytes,
      etag: `"${createHash('md5').update(bytes).digest('hex')}"`,
      lastModified,
    });
  }

  delete(key: string): void {
    this.objects.delete(key);
  }

  /** Empties the bucket and forgets the requests and the interception. */
  clear(): void {
    this.objects.clear();
    this.requests.length = 0;
    this.override = undefined;
  }

  /** Lets `override` answer requests first, until it is set again. */
  intercept(override: S3Override | undefined): void {
    this.override = override;
  }

  private async answer(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://s3.test');
    const [, bucket, ...key] = url.pathname.split('/');
    const recorded: S3Request = {
      method: request.method ?? 'GET',
      key: key.join('/') ? decodeURIComponent(key.join('/')) : undefined,
      query: Object.fromEntries(url.searchParams),
      headers: request.headers,
    };
    this.requests.push(recorded);
    if (this.override && (await this.override(recorded, response))) {
      return;
    }
    if (bucket !== this.bucket) {
      this.error(
        response,
        404,
        'NoSuchBucket',
        'The specified bucket does not exist',
      );
    } else if (
      recorded.key === undefined &&
      recorded.query['list-type'] === '2'
    ) {
      this.list(recorded, response);
    } else if (recorded.key !== undefined && recorded.method === 'GET') {
      this.get(recorded, recorded.key, response);
    } else {
      this.error(
        response,
        501,
        'NotImplemented',
        'The fake S3 does not do this',
      );
    }
  }

  private list({ query }: S3Request, response: ServerResponse) {
    const prefix = query.prefix ?? '';
    const maxKeys = Math.min(Number(query['max-keys'] ?? 1000), this.pageSize);
    const after = query['continuation-token']
      ? Buffer.from(query['continuation-token'], 'base64url').toString()
      : '';
    const keys = [...this.objects.keys()]
      .filter(key => key.startsWith(prefix) && byteOrder(key, after) > 0)
      .sort(byteOrder);
    const page = keys.slice(0, maxKeys);
    const truncated = keys.length > page.length;
    const contents = page.map(key => {
      const object = this.objects.get(key)!;
      return `<Contents><Key>${escapeXml(
        key,
      )}</Key><LastModified>${object.lastModified.toISOString()}</LastModified><ETag>${escapeXml(
        object.etag,
      )}</ETag><Size>${
        object.body.length
      }</Size><StorageClass>STANDARD</StorageClass></Contents>`;
    });
    const token = query['continuation-token']
      ? `<ContinuationToken>${escapeXml(
          query['continuation-token'],
        )}</ContinuationToken>`
      : '';
    const next = truncated
      ? `<NextContinuationToken>${Buffer.from(page[page.length - 1]).toString(
          'base64url',
        )}</NextContinuationToken>`
      : '';
    response.setHeader('content-type', 'application/xml');
    response.end(
      `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${
        this.bucket
      }</Name><Prefix>${escapeXml(prefix)}</Prefix><KeyCount>${
        page.length
      }</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${token}${next}${contents.join(
        '',
      )}</ListBucketResult>`,
    );
  }

  private get(request: S3Request, key: string, response: ServerResponse) {
    const object = this.objects.get(key);
    if (!object) {
      this.error(
        response,
        404,
        'NoSuchKey',
        'The specified key does not exist.',
      );
      return;
    }
    const ifMatch = request.headers['if-match'];
    if (ifMatch && ifMatch !== object.etag) {
      this.error(
        response,
        412,
        'PreconditionFailed',
        'At least one of the pre-conditions you specified did not hold',
      );
      return;
    }
    const checksum = Buffer.alloc(4);
    checksum.writeUInt32BE(crc32(object.body));
    response.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': object.body.length,
      etag: object.etag,
      'last-modified': object.lastModified.toUTCString(),
      // As S3 answers for an object uploaded with a checksum, when asked.
      ...(request.headers['x-amz-checksum-mode'] === 'ENABLED' && {
        'x-amz-checksum-crc32': checksum.toString('base64'),
      }),
    });
    response.end(object.body);
  }

  /** An S3 error answer, as the S3 API reference documents it. */
  error(
    response: ServerResponse,
    status: number,
    code: string,
    message: string,
  ) {
    response.writeHead(status, { 'content-type': 'application/xml' });
    response.end(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escapeXml(
        message,
      )}</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>`,
    );
  }
}
