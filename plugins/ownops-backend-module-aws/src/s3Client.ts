import { S3Client } from '@aws-sdk/client-s3';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { AwsDataExportConfig } from './dataExportsConfig';

/** Attempts per request, including the first; the SDK backs off between them. */
const MAX_ATTEMPTS = 3;

/**
 * An S3 client with the credentials the `aws` config gives the export's
 * account (the main account or the default provider chain when none is
 * given) and a timeout per request. Another endpoint (an S3-compatible
 * store) is addressed path-style.
 */
export async function createS3Client(
  config: AwsDataExportConfig,
  credentials: AwsCredentialsManager,
): Promise<S3Client> {
  const { sdkCredentialProvider } = await credentials.getCredentialProvider(
    config.accountId ? { accountId: config.accountId } : undefined,
  );
  return new S3Client({
    region: config.region,
    credentials: sdkCredentialProvider,
    maxAttempts: MAX_ATTEMPTS,
    endpoint: config.endpoint,
    forcePathStyle: config.endpoint !== undefined,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: Math.min(config.timeoutMs, 10_000),
      requestTimeout: config.timeoutMs,
    }),
  });
}
