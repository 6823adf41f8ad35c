/**
 * Ownops source of the FOCUS exports Azure Cost Management delivers to
 * Blob Storage.
 *
 * @packageDocumentation
 */

export { ownopsModuleAzure as default } from './module';
export { AzureFocusExportSource } from './AzureFocusExportSource';
export { openExportContainer } from './storageClient';
export type { ExportContainer } from './storageClient';
export type { AzureExportConfig, AzureStorageCredential } from './config';
