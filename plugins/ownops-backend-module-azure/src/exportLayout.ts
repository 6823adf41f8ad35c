const DATE_RANGE = /^\d{8}-\d{8}$/;

/**
 * Where Cost Management writes an export's runs in its container:
 * `<path>/<yyyyMMdd-yyyyMMdd>/<run folders>/manifest.json`, beside or above
 * the run's data files. `path` is the export's folder (root folder path
 * and export name).
 */
export class ExportLayout {
  constructor(readonly path: string) {}

  /** The prefix every blob of the export starts with. */
  get prefix(): string {
    return `${this.path}/`;
  }

  /**
   * The date range folder (`20261101-20261130`) of a run's manifest, or
   * undefined if the blob is not a run's manifest.
   */
  manifestRange(blobName: string): string | undefined {
    if (!blobName.startsWith(this.prefix)) {
      return undefined;
    }
    const [range, ...rest] = blobName.slice(this.prefix.length).split('/');
    return DATE_RANGE.test(range) && rest[rest.length - 1] === 'manifest.json'
      ? range
      : undefined;
  }

  /** The folder of a run: the one its manifest is in. */
  runFolder(manifestName: string): string {
    return manifestName.slice(0, manifestName.lastIndexOf('/'));
  }
}
