/** One blob of a run as its manifest lists it. */
export interface ManifestBlob {
  blobName: string;
  byteCount: number;
  dataRowCount: number;
}

/**
 * A run's `manifest.json` as Cost Management writes it (API version
 * 2023-07-01-preview and later), its counts the sums of its blobs'.
 */
export function costManagementManifest(run: {
  /** The export's folder: root folder path and export name. */
  path: string;
  /** The date range folder, `yyyyMMdd-yyyyMMdd`. */
  range: string;
  runId: string;
  submittedTime: string;
  blobs: ManifestBlob[];
  fileFormat?: 'Csv' | 'Parquet';
  dataOverwriteBehavior?: 'CreateNewReport' | 'OverwritePreviousReport';
}) {
  const exportName = run.path.split('/').pop();
  const [from, to] = run.range.split('-');
  const day = (date: string) =>
    `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T00:00:00`;
  const fileFormat = run.fileFormat ?? 'Csv';
  return {
    manifestVersion: '2024-04-01',
    byteCount: run.blobs.reduce((sum, blob) => sum + blob.byteCount, 0),
    blobCount: run.blobs.length,
    dataRowCount: run.blobs.reduce((sum, blob) => sum + blob.dataRowCount, 0),
    exportConfig: {
      exportName,
      resourceId: `/providers/Microsoft.Billing/billingAccounts/1234/providers/Microsoft.CostManagement/exports/${exportName}`,
      dataVersion: '1.0r2',
      apiVersion: '2023-07-01-preview',
      type: 'FocusCost',
      timeFrame: 'MonthToDate',
      granularity: 'Daily',
    },
    deliveryConfig: {
      partitionData: true,
      dataOverwriteBehavior: run.dataOverwriteBehavior ?? 'CreateNewReport',
      fileFormat,
      compressionMode: fileFormat === 'Parquet' ? 'snappy' : 'gzip',
      containerUri:
        '/subscriptions/0000/resourceGroups/finops/providers/Microsoft.Storage/storageAccounts/finops',
      rootFolderPath: run.path.split('/').slice(0, -1).join('/'),
    },
    runInfo: {
      executionType: 'Scheduled',
      submittedTime: run.submittedTime,
      runId: run.runId,
      startDate: day(from),
      endDate: day(to),
    },
    blobs: run.blobs,
  };
}
