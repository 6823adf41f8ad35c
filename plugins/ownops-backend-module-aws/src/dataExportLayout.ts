import { shapeProblem } from '@ownops/backstage-plugin-node';

/** What Ownops reads of an AWS Data Exports manifest. */
export interface DataExportManifest {
  /** The export execution that wrote the delivery, when the manifest names it. */
  executionId?: string;
  /** The delivery's data files as `s3://bucket/key` URIs, in order. */
  dataFiles: string[];
}

/** A folder or file name safe on every file system, and not `.` or `..`. */
const SAFE_NAME = /^[A-Za-z0-9_=-][A-Za-z0-9._=-]{0,254}$/;

const escapeRegExp = (text: string) =>
  text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Where AWS Data Exports writes one export in its bucket:
 *
 * - data: `<prefix>/<export>/data/BILLING_PERIOD=YYYY-MM/…`;
 * - manifests: `<prefix>/<export>/metadata/BILLING_PERIOD=YYYY-MM/<export>-Manifest.json`
 *   when the export overwrites its delivery, or one folder deeper (one folder
 *   per execution) when it creates a new one on every refresh.
 */
export class DataExportLayout {
  /** The key every object of the export starts with: `<prefix>/<export>/`. */
  readonly root: string;
  private readonly manifestKey: RegExp;

  constructor(
    private readonly options: {
      bucket: string;
      prefix: string;
      exportName: string;
    },
  ) {
    const { prefix, exportName } = options;
    this.root = `${prefix ? `${prefix}/` : ''}${exportName}/`;
    this.manifestKey = new RegExp(
      `^${escapeRegExp(
        this.root,
      )}metadata/BILLING_PERIOD=(\\d{4}-(?:0[1-9]|1[0-2]))/(?:[^/]+/)?${escapeRegExp(
        exportName,
      )}-Manifest\\.json$`,
    );
  }

  /** `s3://bucket/key`. */
  uri(key: string): string {
    return `s3://${this.options.bucket}/${key}`;
  }

  /** The billing period (`YYYY-MM`) of a manifest's key; undefined for any other key. */
  manifestPeriod(key: string): string | undefined {
    return this.manifestKey.exec(key)?.[1];
  }

  /** The folder of a billing period's data files, without trailing `/`. */
  dataFolder(period: string): string {
    return `${this.root}data/BILLING_PERIOD=${period}`;
  }

  /**
   * A data file a billing period's manifest lists: its key, and its path in
   * the period's data folder (`<execution>/<file>` or `<file>`), which is
   * also where it is downloaded to. Or a sentence saying why the URI is not
   * one of that period's data files.
   */
  dataFile(
    uri: string,
    period: string,
  ): { key: string; path: string } | string {
    const bucketUri = this.uri('');
    if (!uri.startsWith(bucketUri)) {
      return `${JSON.stringify(uri)} is not in ${bucketUri}`;
    }
    const key = uri.slice(bucketUri.length);
    const folder = `${this.dataFolder(period)}/`;
    if (!key.startsWith(folder)) {
      return `${JSON.stringify(uri)} is not a file in ${this.uri(folder)}`;
    }
    const path = key.slice(folder.length);
    if (!path.split('/').every(part => SAFE_NAME.test(part))) {
      return `${JSON.stringify(
        uri,
      )}, a name Ownops does not write to disk (only letters, digits, ".", "_", "=" and "-", not starting with ".")`;
    }
    return { key, path };
  }
}

/**
 * The manifest's execution id and data files, or a sentence saying what in
 * the text does not fit.
 */
export function parseManifest(text: string): DataExportManifest | string {
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    return 'it is not JSON';
  }
  const problem = shapeProblem(manifest, {
    dataFiles: ['string'],
    executionId: 'string?',
  });
  if (problem) {
    return problem;
  }
  const { dataFiles, executionId } = manifest as {
    dataFiles: string[];
    executionId?: string | null;
  };
  return { dataFiles, executionId: executionId || undefined };
}
