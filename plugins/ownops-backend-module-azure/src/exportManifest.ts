/**
 * What Ownops reads of the `manifest.json` Cost Management writes with each
 * export run.
 */
export interface ExportManifest {
  /** `runInfo.runId`: new for every run. */
  runId: string;
  /** `runInfo.submittedTime`, as written. */
  submittedTime?: string;
  /** `dataRowCount`: the rows of all the run's files together. */
  dataRowCount?: number;
  /** `blobs[].blobName`, in the manifest's order: paths inside the container. */
  blobNames: string[];
}

/**
 * Parses a manifest; returns what is wrong with it, for people, if it is
 * not one Ownops understands.
 */
export function parseExportManifest(text: string): ExportManifest | string {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return `it is not JSON (${(error as Error).message})`;
  }
  if (!isObject(json)) {
    return 'it is not a JSON object';
  }
  const { runInfo, blobs, blobCount, dataRowCount } = json;
  const runId = isObject(runInfo) ? runInfo.runId : undefined;
  if (typeof runId !== 'string' || runId.trim() === '') {
    return 'it has no runInfo.runId';
  }
  if (!Array.isArray(blobs)) {
    return 'it has no blobs list';
  }
  const blobNames: string[] = [];
  for (const [index, blob] of blobs.entries()) {
    const name = isObject(blob) ? blob.blobName : undefined;
    if (typeof name !== 'string' || name === '') {
      return `blobs[${index}] has no blobName`;
    }
    blobNames.push(name);
  }
  const repeated = blobNames.find(
    (name, index) => blobNames.indexOf(name) !== index,
  );
  if (repeated) {
    return `it lists ${repeated} more than once, which would count its costs twice`;
  }
  if (blobCount !== undefined && blobCount !== blobNames.length) {
    return `its blobCount ${JSON.stringify(blobCount)} is not the ${
      blobNames.length
    } blobs it lists`;
  }
  if (
    dataRowCount !== undefined &&
    !(Number.isSafeInteger(dataRowCount) && (dataRowCount as number) >= 0)
  ) {
    return `its dataRowCount ${JSON.stringify(
      dataRowCount,
    )} is not a count of rows`;
  }
  const submittedTime = isObject(runInfo) ? runInfo.submittedTime : undefined;
  return {
    runId,
    submittedTime:
      typeof submittedTime === 'string' ? submittedTime : undefined,
    dataRowCount: dataRowCount as number | undefined,
    blobNames,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}
