import { LoggerService } from '@backstage/backend-plugin-api';
import {
  CheckedManifest,
  FocusExportDelivery,
  FocusExportSource,
  latestCompleteDeliveries,
} from '@ownops/backstage-plugin-node';
import { createWriteStream } from 'node:fs';
import { basename, join } from 'node:path';
import { Writable } from 'node:stream';
import { AzureExportConfig } from './config';
import { downloadBlob } from './downloadBlob';
import { ExportLayout } from './exportLayout';
import { ExportManifest, parseExportManifest } from './exportManifest';
import { ExportContainer } from './storageClient';
import { explainStorageError } from './storageErrors';
import { withTimeout } from './timeouts';

/** Azure's largest List Blobs page. */
const MAX_PAGE_SIZE = 5000;
/** Larger manifests are refused rather than read into memory. */
const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

/** A blob as a listing shows it. */
interface ListedBlob {
  name: string;
  /** As the listing gives it, unquoted. */
  etag: string;
  size: number;
  lastModified: Date;
}

/** Latest delivered first; the later name first when written in the same second. */
const latestFirst = (a: ListedBlob, b: ListedBlob) =>
  b.lastModified.getTime() - a.lastModified.getTime() ||
  (a.name < b.name ? 1 : -1);

/** A file name for a downloaded blob: unique, in manifest order, safe on every file system. */
const localName = (index: number, blobName: string) =>
  `${String(index + 1).padStart(5, '0')}-${basename(blobName)
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .slice(0, 200)}`;

/**
 * FOCUS exports that Azure Cost Management writes to Blob Storage: one
 * delivery per date range folder (`20261101-20261130`), the latest run of
 * it whose manifest's blobs are all in the container. See the README for
 * how runs, fingerprints and incomplete runs are decided.
 *
 * @public
 */
export class AzureFocusExportSource implements FocusExportSource {
  readonly id: string;
  readonly location: string;
  readonly tagColumns?: Record<string, string>;
  private readonly layout: ExportLayout;
  private readonly name: string;

  constructor(
    private readonly options: {
      config: AzureExportConfig;
      container: ExportContainer;
      logger: LoggerService;
      /** Blobs asked for per List Blobs page; at most 5000, Azure's limit. */
      pageSize?: number;
    },
  ) {
    const { config } = options;
    this.id = config.id;
    this.name = `Azure export source ${config.id}`;
    this.layout = new ExportLayout(config.path);
    this.location = this.url(config.path);
    this.tagColumns =
      Object.keys(config.tagColumns).length > 0 ? config.tagColumns : undefined;
  }

  async deliveries(signal?: AbortSignal): Promise<FocusExportDelivery[]> {
    const blobs = await this.list(signal);
    const manifests = new Map<string, ListedBlob[]>();
    for (const blob of blobs.values()) {
      const range = this.layout.manifestRange(blob.name);
      if (range) {
        manifests.set(range, [...(manifests.get(range) ?? []), blob]);
      }
    }
    if (manifests.size === 0 && blobs.size > 0) {
      this.options.logger.warn(
        `${this.name} found ${blobs.size} blobs in ${this.location} but no export run (<yyyyMMdd-yyyyMMdd>/…/manifest.json) among them; ${this.options.config.configKey}.path must be the export's folder: its root folder path and export name`,
      );
    }
    for (const runs of manifests.values()) {
      runs.sort(latestFirst);
    }
    return latestCompleteDeliveries({
      manifests,
      check: (manifest, range) => this.check(manifest, range, blobs, signal),
      logger: this.options.logger,
      words: {
        source: this.name,
        location: this.location,
        keys: 'date ranges',
        delivery: 'run',
      },
    });
  }

  /** The run's delivery, if the blobs its manifest lists are all there. */
  private async check(
    manifestBlob: ListedBlob,
    range: string,
    blobs: Map<string, ListedBlob>,
    signal?: AbortSignal,
  ): Promise<CheckedManifest> {
    const manifest = await this.readManifest(manifestBlob, signal);
    const run = this.describeRun(manifestBlob, manifest);
    const missing = manifest.blobNames.filter(name => !blobs.has(name));
    if (missing.length > 0) {
      return {
        incomplete: `${run} lists ${missing.length} of ${
          manifest.blobNames.length
        } blobs not in the container yet (${missing[0]}${
          missing.length > 1 ? ', …' : ''
        })`,
      };
    }
    const files = manifest.blobNames.map(name => blobs.get(name)!);
    return {
      name: run,
      delivery: {
        key: range,
        fingerprint: manifest.runId,
        location: this.url(this.layout.runFolder(manifestBlob.name)),
        expectedRows: manifest.dataRowCount,
        files: (scratch, filesSignal) =>
          this.download(files, scratch, filesSignal),
      },
    };
  }

  private describeRun(manifestBlob: ListedBlob, manifest: ExportManifest) {
    return `run ${manifest.runId}${
      manifest.submittedTime ? ` (submitted ${manifest.submittedTime})` : ''
    } at ${this.url(this.layout.runFolder(manifestBlob.name))}`;
  }

  private async readManifest(
    blob: ListedBlob,
    signal?: AbortSignal,
  ): Promise<ExportManifest> {
    const url = this.url(blob.name);
    const refuse = (problem: string) =>
      new Error(
        `${this.name}: the manifest ${url} is not one Ownops understands: ${problem}`,
      );
    if (blob.size > MAX_MANIFEST_BYTES) {
      throw refuse(
        `it is ${blob.size} bytes, more than the ${MAX_MANIFEST_BYTES} Ownops reads`,
      );
    }
    const chunks: Buffer[] = [];
    await this.call(`reading the manifest ${url}`, signal, () =>
      downloadBlob(
        this.options.container.client.getBlobClient(blob.name),
        new Writable({
          write(chunk: Buffer, _encoding, done) {
            chunks.push(chunk);
            done();
          },
        }),
        {
          etag: blob.etag,
          idleTimeoutMs: this.options.config.timeoutMs,
          signal,
        },
      ),
    );
    const manifest = parseExportManifest(
      Buffer.concat(chunks).toString('utf8'),
    );
    if (typeof manifest === 'string') {
      throw refuse(manifest);
    }
    return manifest;
  }

  /** Every blob of the export, following the continuation markers. */
  private async list(signal?: AbortSignal): Promise<Map<string, ListedBlob>> {
    const { container, config } = this.options;
    const pageSize = Math.min(
      this.options.pageSize ?? MAX_PAGE_SIZE,
      MAX_PAGE_SIZE,
    );
    const what = `listing ${this.location}`;
    const blobs = new Map<string, ListedBlob>();
    let marker: string | undefined;
    do {
      const continuationToken = marker;
      const page = await this.call(what, signal, () =>
        withTimeout(config.timeoutMs, signal, abortSignal =>
          container.client
            .listBlobsFlat({ prefix: this.layout.prefix, abortSignal })
            .byPage({ continuationToken, maxPageSize: pageSize })
            .next(),
        ),
      );
      if (page.done) {
        break;
      }
      for (const { name, properties } of page.value.segment.blobItems) {
        const { etag, contentLength, lastModified } = properties;
        if (!etag || contentLength === undefined || !lastModified) {
          throw new Error(
            `${this.name}: ${what} answered with the blob ${name} without Etag, Content-Length or Last-Modified`,
          );
        }
        blobs.set(name, { name, etag, size: contentLength, lastModified });
      }
      marker = page.value.continuationToken || undefined;
    } while (marker);
    return blobs;
  }

  /** Downloads the blobs into `scratch`, in order, under unique names. */
  private async download(
    blobs: ListedBlob[],
    scratch: string,
    signal?: AbortSignal,
  ): Promise<string[]> {
    const paths: string[] = [];
    for (const [index, blob] of blobs.entries()) {
      signal?.throwIfAborted();
      const path = join(scratch, localName(index, blob.name));
      const url = this.url(blob.name);
      const bytes = await this.call(`downloading ${url}`, signal, () =>
        downloadBlob(
          this.options.container.client.getBlobClient(blob.name),
          createWriteStream(path, { flags: 'wx' }),
          {
            etag: blob.etag,
            idleTimeoutMs: this.options.config.timeoutMs,
            signal,
          },
        ),
      );
      if (bytes !== blob.size) {
        throw new Error(
          `${this.name}: downloading ${url} gave ${bytes} bytes, but the listing says ${blob.size}; the next run reads it again`,
        );
      }
      paths.push(path);
    }
    return paths;
  }

  /** `https://<account>.blob.core.windows.net/<container>/<name>`, without credentials. */
  private url(name: string): string {
    return `${this.options.container.url}/${name}`;
  }

  private async call<T>(
    what: string,
    signal: AbortSignal | undefined,
    request: () => Promise<T>,
  ): Promise<T> {
    try {
      return await request();
    } catch (error) {
      signal?.throwIfAborted();
      const { container, config } = this.options;
      throw explainStorageError(error, {
        what,
        source: this.name,
        credentialName: container.credentialName,
        configKey: config.configKey,
        secrets: container.secrets,
      });
    }
  }
}
