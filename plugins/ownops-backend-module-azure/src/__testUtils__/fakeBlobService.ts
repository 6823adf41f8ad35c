import { createHash } from 'node:crypto';
import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';

/** Markers are opaque to clients; the fake's is the next name, base64-encoded. */
const toMarker = (name: string) => Buffer.from(name).toString('base64');
const fromMarker = (marker: string) =>
  Buffer.from(marker, 'base64').toString('utf8');

const xml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

/** The account name Azurite uses; path-style URLs carry it as the first segment. */
export const ACCOUNT = 'devstoreaccount1';

interface StoredBlob {
  bytes: Buffer;
  etag: string;
  lastModified: Date;
}

/** One request as the fake saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
}

/**
 * Answers a request instead of the fake's own handling; returns false to
 * let the fake answer it.
 */
export type Interceptor = (
  request: SeenRequest,
  response: ServerResponse,
) => boolean | Promise<boolean>;

/**
 * An in-memory Blob service on 127.0.0.1 (a container exists while it holds
 * a blob) that answers List Blobs
 * (`restype=container&comp=list`, with prefix, marker/NextMarker and
 * maxresults) and Get Blob (bytes, ETag, If-Match) as Azure documents them,
 * with a page size of its own so that listings take several pages.
 */
export class FakeBlobService {
  readonly requests: SeenRequest[] = [];
  private readonly blobs = new Map<string, StoredBlob>();
  private interceptors: Interceptor[] = [];
  private clock = Date.parse('2026-11-01T00:00:00Z');

  private constructor(
    private readonly server: Server,
    private readonly options: { pageSize: number; sasSignature?: string },
  ) {}

  /**
   * `pageSize`: the most blobs the fake lists per page, whatever
   * `maxresults` asks. `sasSignature`: the `sig` every request must carry;
   * without it, requests must carry a SharedKey Authorization header.
   */
  static async start(
    options: { pageSize?: number; sasSignature?: string } = {},
  ) {
    const server = createServer();
    const fake = new FakeBlobService(server, {
      pageSize: options.pageSize ?? 3,
      sasSignature: options.sasSignature,
    });
    server.on('request', (request, response) => {
      fake.handle(request, response).catch(error => {
        response.statusCode = 500;
        response.end(String(error));
      });
    });
    await new Promise<void>(resolve =>
      server.listen(0, '127.0.0.1', () => resolve()),
    );
    return fake;
  }

  /** `http://127.0.0.1:<port>/devstoreaccount1` */
  get accountUrl(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/${ACCOUNT}`;
  }

  /** Stores a blob; each one is written a second after the previous. */
  put(container: string, name: string, content: string | Buffer) {
    const bytes = Buffer.from(content);
    this.clock += 1000;
    this.blobs.set(`${container}/${name}`, {
      bytes,
      etag: `0x8DE${createHash('sha256')
        .update(`${name}:${this.clock}`)
        .update(bytes)
        .digest('hex')
        .slice(0, 13)
        .toUpperCase()}`,
      lastModified: new Date(this.clock),
    });
  }

  remove(container: string, name: string) {
    this.blobs.delete(`${container}/${name}`);
  }

  /** Lets `interceptor` answer requests first, until the fake is reset. */
  intercept(interceptor: Interceptor) {
    this.interceptors.push(interceptor);
  }

  /** Drops the interceptors. */
  reset() {
    this.interceptors = [];
  }

  /** The markers of the List Blobs requests, in order ('' for the first page). */
  get listMarkers(): string[] {
    return this.requests
      .filter(request => request.query.get('comp') === 'list')
      .map(request => request.query.get('marker') ?? '');
  }

  /** The blob names of the Get Blob requests, in order. */
  get downloads(): string[] {
    return this.requests
      .filter(request => request.method === 'GET' && !request.query.has('comp'))
      .map(request => request.path.split('/').slice(3).join('/'));
  }

  async stop() {
    this.server.closeAllConnections();
    await new Promise(resolve => this.server.close(resolve));
  }

  private async handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://fake');
    const path = decodeURIComponent(url.pathname);
    const seen: SeenRequest = {
      method: request.method ?? 'GET',
      path,
      query: url.searchParams,
      headers: request.headers,
    };
    this.requests.push(seen);
    for (const interceptor of this.interceptors) {
      if (await interceptor(seen, response)) {
        return;
      }
    }
    const signed = this.options.sasSignature
      ? url.searchParams.get('sig') === this.options.sasSignature
      : request.headers.authorization?.startsWith(`SharedKey ${ACCOUNT}:`);
    if (!signed) {
      sendError(
        response,
        403,
        'AuthenticationFailed',
        'Server failed to authenticate the request.',
      );
      return;
    }
    const [, account, container, ...blobPath] = path.split('/');
    if (account !== ACCOUNT || !container) {
      sendError(
        response,
        400,
        'InvalidUri',
        'The requested URI does not represent any resource on the server.',
      );
      return;
    }
    if (
      url.searchParams.get('restype') === 'container' &&
      url.searchParams.get('comp') === 'list'
    ) {
      this.list(container, url.searchParams, response);
      return;
    }
    if (seen.method === 'GET' && blobPath.length > 0) {
      this.get(`${container}/${blobPath.join('/')}`, request, response);
      return;
    }
    sendError(
      response,
      400,
      'UnsupportedHttpVerb',
      'The fake does not answer this request.',
    );
  }

  private list(
    container: string,
    query: URLSearchParams,
    response: ServerResponse,
  ) {
    const inContainer = [...this.blobs.keys()].filter(key =>
      key.startsWith(`${container}/`),
    );
    if (inContainer.length === 0) {
      sendError(
        response,
        404,
        'ContainerNotFound',
        'The specified container does not exist.',
      );
      return;
    }
    const prefix = query.get('prefix') ?? '';
    const marker = query.get('marker') ?? '';
    const maxResults = Number(query.get('maxresults') ?? 5000);
    const names = inContainer
      .map(key => key.slice(container.length + 1))
      .filter(name => name.startsWith(prefix))
      .sort()
      .filter(name => !marker || name >= fromMarker(marker));
    const page = names.slice(0, Math.min(maxResults, this.options.pageSize));
    const next = names[page.length];
    const items = page
      .map(name => {
        const blob = this.blobs.get(`${container}/${name}`)!;
        return `<Blob><Name>${xml(
          name,
        )}</Name><Properties><Creation-Time>${blob.lastModified.toUTCString()}</Creation-Time><Last-Modified>${blob.lastModified.toUTCString()}</Last-Modified><Etag>${
          blob.etag
        }</Etag><Content-Length>${
          blob.bytes.length
        }</Content-Length><Content-Type>application/octet-stream</Content-Type><BlobType>BlockBlob</BlobType><AccessTier>Hot</AccessTier><AccessTierInferred>true</AccessTierInferred><LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState><ServerEncrypted>true</ServerEncrypted></Properties><OrMetadata /></Blob>`;
      })
      .join('');
    const body = `\uFEFF<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="${xml(
      this.accountUrl,
    )}/" ContainerName="${xml(container)}"><Prefix>${xml(prefix)}</Prefix>${
      marker ? `<Marker>${xml(marker)}</Marker>` : ''
    }<MaxResults>${maxResults}</MaxResults><Blobs>${items}</Blobs><NextMarker>${
      next ? xml(toMarker(next)) : ''
    }</NextMarker></EnumerationResults>`;
    response.writeHead(200, {
      'content-type': 'application/xml',
      'x-ms-request-id': `req-${this.requests.length}`,
      'x-ms-version': '2025-11-05',
    });
    response.end(body);
  }

  private get(key: string, request: IncomingMessage, response: ServerResponse) {
    const blob = this.blobs.get(key);
    if (!blob) {
      sendError(
        response,
        404,
        'BlobNotFound',
        'The specified blob does not exist.',
      );
      return;
    }
    const ifMatch = request.headers['if-match'];
    if (ifMatch !== undefined && ifMatch !== `"${blob.etag}"`) {
      sendError(
        response,
        412,
        'ConditionNotMet',
        'The condition specified using HTTP conditional header(s) is not met.',
      );
      return;
    }
    response.writeHead(200, {
      'content-length': String(blob.bytes.length),
      'content-type': 'application/octet-stream',
      etag: `"${blob.etag}"`,
      'last-modified': blob.lastModified.toUTCString(),
      'x-ms-blob-type': 'BlockBlob',
      'x-ms-request-id': `req-${this.requests.length}`,
      'x-ms-version': '2025-11-05',
    });
    response.end(blob.bytes);
  }
}

/** Answers an error the way Azure Storage does: the code in a header and in an XML body. */
export function sendError(
  response: ServerResponse,
  status: number,
  code: string,
  message: string,
) {
  response.writeHead(status, {
    'content-type': 'application/xml',
    'x-ms-error-code': code,
    'x-ms-request-id': 'req-error',
    'x-ms-version': '2025-11-05',
  });
  response.end(
    `\uFEFF<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${xml(
      message,
    )}\nRequestId:req-error\nTime:2026-11-05T06:00:00.0000000Z</Message></Error>`,
  );
}
