import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { AwsCostSourceConfig } from './config';
import { refuseLongRetryAfter } from './retryAfterLimit';

/**
 * A Cost Explorer client with the credentials the `aws` config gives the
 * source's account (the main account or the default provider chain when
 * none is given), a timeout per request and bounded retries; the SDK backs
 * off on throttling and 5xx answers itself.
 */
export async function createCostExplorerClient(
  config: AwsCostSourceConfig,
  credentials: AwsCredentialsManager,
): Promise<CostExplorerClient> {
  const { sdkCredentialProvider } = await credentials.getCredentialProvider(
    config.accountId ? { accountId: config.accountId } : undefined,
  );
  const client = new CostExplorerClient({
    region: config.region,
    credentials: sdkCredentialProvider,
    maxAttempts: config.maxAttempts,
    endpoint: config.endpoint,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: Math.min(config.timeoutMs, 10_000),
      requestTimeout: config.timeoutMs,
    }),
  });
  refuseLongRetryAfter(client);
  return client;
}
