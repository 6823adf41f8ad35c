import {
  GetObjectCommand,
  GetObjectCommandOutput,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  CheckedManifest,
  FocusExportDelivery,
  FocusExportSource,
  latestCompleteDeliveries,
} from '@ownops/backstage-plugin-node';
import { createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { credentialSecrets } from './credentialSecrets';
import { DataExportLayout, parseManifest } from './dataExportLayout';
import { AwsDataExportConfig } from './dataExportsConfig';
import { explainS3Error } from './s3Errors';

/** Larger manifests are refused rather than read into memory. */
const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

/** An object as a listing shows it. */
interface ListedObject {
  key: string;
  /** As S3 sends it, with its quotes, for `If-Match`. */
  etag: string;
  size: number;
  lastModified: Date;
}

/** A manifest as a listing shows it, with the billing period it is of. */
interface ListedManifest extends ListedObject {
  period: string;
}

const unquoted = (etag: string) => etag.replace(/^"|"$/g, '');

/** Latest first; the later key first when written in the same second. */
const latestFirst = (a: ListedObject, b: ListedObject) =>
  b.lastModified.getTime() - a.lastModified.getTime() ||
  (a.key < b.key ? 1 : -1);

/**
 * FOCUS exports that AWS Data Exports writes to S3: one delivery per
 * billing period, the one its latest complete manifest lists. See the
 * README for how executions, fingerprints and incomplete manifests are
 * decided.
 */
export class AwsDataExportSource implements FocusExportSource {
  readonly id: string;
  readonly location: string;
  readonly tagColumns?: Record<string, string>;
  private readonly layout: DataExportLayout;

  constructor(
    private readonly options: {
      config: AwsDataExportConfig;
      client: S3Client;
      logger: LoggerService;
    },
  ) {
    const { config } = options;
    this.id = config.id;
    this.layout = new DataExportLayout(config);
    this.location = this.layout.uri(this.layout.root.replace(/\/$/, ''));
    this.tagColumns =
      Object.keys(config.tagColumns).length > 0 ? config.tagColumns : undefined;
  }

  async deliveries(signal?: AbortSignal): Promise<FocusExportDelivery[]> {
    const objects = await this.list(this.layout.root, signal);
    const manifests = new Map<string, ListedManifest[]>();
    for (const object of objects.values()) {
      const period = this.layout.manifestPeriod(object.key);
      if (period) {
        const key = `BILLING_PERIOD=${period}`;
        manifests.set(key, [
          ...(manifests.get(key) ?? []),
          { ...object, period },
        ]);
      }
    }
    for (const ofPeriod of manifests.values()) {
      ofPeriod.sort(latestFirst);
    }
    return latestCompleteDeliveries({
      manifests,
      check: (manifest, key) => this.check(manifest, key, objects, signal),
      logger: this.options.logger,
      words: {
        source: `AWS Data Exports source ${this.id}`,
        location: this.location,
        keys: 'billing periods',
        delivery: 'delivery',
      },
    });
  }

  /** The delivery the manifest lists, if its data files are all in the bucket. */
  private async check(
    candidate: ListedManifest,
    key: string,
    objects: Map<string, ListedObject>,
    signal?: AbortSignal,
  ): Promise<CheckedManifest> {
    const manifest = await this.readManifest(candidate, signal);
    const missing = manifest.files
      .map(file => file.key)
      .filter(fileKey => !objects.has(fileKey));
    if (missing.length > 0) {
      return {
        incomplete: `${this.layout.uri(candidate.key)} lists ${
          missing.length
        } of ${
          manifest.files.length
        } data files not in the bucket (${this.layout.uri(missing[0])}${
          missing.length > 1 ? ', …' : ''
        })`,
      };
    }
    const files = manifest.files.map(file => ({
      ...objects.get(file.key)!,
      path: file.path,
    }));
    return {
      name: this.layout.uri(candidate.key),
      delivery: {
        key,
        // The ETag changes if a manifest is ever rewritten under the same id.
        fingerprint: `${manifest.executionId ?? 'no-execution-id'} ${unquoted(
          candidate.etag,
        )}`,
        location: this.layout.uri(this.layout.dataFolder(candidate.period)),
        files: (scratch, filesSignal) =>
          this.download(files, scratch, filesSignal),
      },
    };
  }

  /** The manifest's execution id and the data files it lists. */
  private async readManifest(
    object: ListedManifest,
    signal?: AbortSignal,
  ): Promise<{
    executionId?: string;
    files: Array<{ key: string; path: string }>;
  }> {
    const uri = this.layout.uri(object.key);
    const refuse = (problem: string) =>
      new Error(
        `AWS Data Exports source ${this.id}: the manifest ${uri} is not one Ownops understands: ${problem}`,
      );
    if (object.size > MAX_MANIFEST_BYTES) {
      throw refuse(
        `it is ${object.size} bytes, more than the ${MAX_MANIFEST_BYTES} Ownops reads`,
      );
    }
    const what = `reading the manifest ${uri}`;
    const text = await this.call(
      async () => {
        const answer = await this.getObject(object, signal);
        return (await answer.Body?.transformToString('utf-8')) ?? '';
      },
      what,
      signal,
    );
    const manifest = parseManifest(text);
    if (typeof manifest === 'string') {
      throw refuse(manifest);
    }
    const files = manifest.dataFiles.map(dataFile => {
      const file = this.layout.dataFile(dataFile, object.period);
      if (typeof file === 'string') {
        throw refuse(`its dataFiles list ${file}`);
      }
      return file;
    });
    const keys = files.map(file => file.key);
    const repeated = keys.find((key, index) => keys.indexOf(key) !== index);
    if (repeated) {
      throw refuse(
        `its dataFiles list ${this.layout.uri(
          repeated,
        )} more than once, which would count its costs twice`,
      );
    }
    return { executionId: manifest.executionId, files };
  }

  /** Every object under the prefix, following continuation tokens. */
  private async list(
    prefix: string,
    signal?: AbortSignal,
  ): Promise<Map<string, ListedObject>> {
    const { bucket } = this.options.config;
    const what = `listing ${this.layout.uri(prefix)}`;
    const objects = new Map<string, ListedObject>();
    let token: string | undefined;
    do {
      const input = {
        Bucket: bucket,
        Prefix: prefix,
        ContinuationToken: token,
      };
      const answer = await this.call(
        () =>
          this.options.client.send(new ListObjectsV2Command(input), {
            abortSignal: signal,
          }),
        what,
        signal,
      );
      for (const { Key, ETag, Size, LastModified } of answer.Contents ?? []) {
        if (!Key || !ETag || Size === undefined || !LastModified) {
          throw new Error(
            `AWS Data Exports source ${this.id}: ${what} answered with an object without Key, ETag, Size or LastModified`,
          );
        }
        objects.set(Key, {
          key: Key,
          etag: ETag,
          size: Size,
          lastModified: LastModified,
        });
      }
      token = answer.IsTruncated ? answer.NextContinuationToken : undefined;
      if (answer.IsTruncated && !token) {
        throw new Error(
          `AWS Data Exports source ${this.id}: ${what} answered with a truncated page without NextContinuationToken`,
        );
      }
    } while (token);
    return objects;
  }

  /**
   * Downloads the objects into `scratch`, in order, each at its path in the
   * data folder, so that a file's local path names the object.
   */
  private async download(
    objects: Array<ListedObject & { path: string }>,
    scratch: string,
    signal?: AbortSignal,
  ): Promise<string[]> {
    const paths: string[] = [];
    for (const object of objects) {
      signal?.throwIfAborted();
      const path = join(scratch, ...object.path.split('/'));
      await mkdir(dirname(path), { recursive: true });
      await this.downloadObject(object, path, signal);
      paths.push(path);
    }
    return paths;
  }

  private async downloadObject(
    object: ListedObject,
    path: string,
    signal?: AbortSignal,
  ): Promise<void> {
    const uri = this.layout.uri(object.key);
    const what = `downloading ${uri}`;
    await this.call(
      async () => {
        const answer = await this.getObject(object, signal);
        if (!(answer.Body instanceof Readable)) {
          throw new TypeError('the answer has no body to stream');
        }
        await pipeline(answer.Body, createWriteStream(path), { signal });
      },
      what,
      signal,
    );
    const { size } = await stat(path);
    if (size !== object.size) {
      throw new Error(
        `AWS Data Exports source ${this.id}: ${what} gave ${size} bytes, but the listing says ${object.size}; the next run reads it again`,
      );
    }
  }

  /**
   * The object as listed (`If-Match` its ETag): one that changed since
   * belongs to another execution.
   */
  private getObject(
    object: ListedObject,
    signal?: AbortSignal,
  ): Promise<GetObjectCommandOutput> {
    return this.options.client.send(
      new GetObjectCommand({
        Bucket: this.options.config.bucket,
        Key: object.key,
        IfMatch: object.etag,
      }),
      { abortSignal: signal },
    );
  }

  private async call<T>(
    request: () => Promise<T>,
    what: string,
    signal?: AbortSignal,
  ): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (signal?.aborted) {
        throw signal.reason;
      }
      throw explainS3Error(error, {
        what,
        sourceId: this.id,
        accountId: this.options.config.accountId,
        secrets: await credentialSecrets(this.options.client),
      });
    }
  }
}
