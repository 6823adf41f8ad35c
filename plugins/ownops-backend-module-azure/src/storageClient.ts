import {
  ClientSecretCredential,
  DefaultAzureCredential,
} from '@azure/identity';
import { BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import { redactSecrets } from '@ownops/backstage-plugin-node';
import { AzureExportConfig } from './config';
import { secretsOf } from './secrets';

/**
 * The export's container, and what to say about it without credentials.
 *
 * @public
 */
export interface ExportContainer {
  client: ContainerClient;
  /** `https://<account>.blob.core.windows.net/<container>`, never with a SAS. */
  url: string;
  /** What signs the requests, for advice in errors: `the SAS token (ownops.cost.azureExports[0].sasToken)`. */
  credentialName: string;
  /** Every form of the credential's secrets, to keep out of messages. */
  secrets: string[];
}

/**
 * A client for the export's container, signed as configured. Throws a
 * message naming the key when a connection string cannot be read.
 *
 * @public
 */
export function openExportContainer(
  config: AzureExportConfig,
): ExportContainer {
  const { credential, configKey, container } = config;
  const secrets = secretsOf(credential);
  let service: BlobServiceClient;
  let credentialName: string;
  switch (credential.kind) {
    case 'connectionString':
      try {
        service = BlobServiceClient.fromConnectionString(
          credential.connectionString,
        );
      } catch (error) {
        throw new Error(
          `${configKey}.connectionString is not a storage account connection string: ${redactSecrets(
            (error as Error).message,
            secrets,
          )}`,
        );
      }
      credentialName = `the connection string (${configKey}.connectionString)`;
      break;
    case 'sasToken':
      service = new BlobServiceClient(
        `${credential.accountUrl}?${credential.sasToken}`,
      );
      credentialName = `the SAS token (${configKey}.sasToken); it needs read and list permissions and must not have expired`;
      break;
    case 'clientSecret':
      service = new BlobServiceClient(
        credential.accountUrl,
        new ClientSecretCredential(
          credential.tenantId,
          credential.clientId,
          credential.clientSecret,
        ),
      );
      credentialName = `the service principal ${credential.clientId} of tenant ${credential.tenantId} (${configKey}.clientId, tenantId, clientSecret)`;
      break;
    default:
      service = new BlobServiceClient(
        credential.accountUrl,
        new DefaultAzureCredential(),
      );
      credentialName =
        'DefaultAzureCredential (environment variables, workload or managed identity, Azure CLI)';
  }
  const client = service.getContainerClient(container);
  return {
    client,
    url: withoutQuery(client.url),
    credentialName,
    secrets,
  };
}

function withoutQuery(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, '');
}
