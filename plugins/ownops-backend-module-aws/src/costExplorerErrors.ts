import { AwsErrorContext, readAwsError } from './awsErrors';

/** What to do about each Cost Explorer error, by its error code. */
const ADVICE: Record<string, string> = {
  AccessDeniedException:
    'grant the AWS credentials ce:GetCostAndUsage and ce:GetTags (in the management account for an organization)',
  UnrecognizedClientException:
    'check the AWS credentials in the aws config (aws.mainAccount or aws.accounts[])',
  InvalidSignatureException:
    'check the AWS credentials in the aws config (aws.mainAccount or aws.accounts[])',
  ExpiredTokenException:
    'the AWS credentials have expired; renew them or use a role (aws.accounts[].roleName)',
  DataUnavailableException:
    'enable Cost Explorer in the AWS Billing and Cost Management console; data appears within 24 hours',
  LimitExceededException:
    'Cost Explorer kept refusing requests as too many; run ingestion less often (ownops.cost.ingestion.schedule) or raise maxAttempts',
  BillExpirationException:
    'the period is older than Cost Explorer keeps (14 months of daily data); lower ownops.cost.ingestion.lookbackMonths',
  InvalidNextTokenException:
    'the data changed while it was read page by page; the next run reads it again',
  RequestChangedException:
    'the data changed while it was read page by page; the next run reads it again',
  ValidationException:
    'check ownops.tags.keys: the tag keys must be activated as cost allocation tags in the Billing console',
  CredentialsProviderError:
    'configure AWS credentials: aws.mainAccount, aws.accounts[] with roleName or accessKeyId, or the default provider chain (environment, instance role)',
  RetryAfterTooLong:
    'the next scheduled run tries again; run ingestion less often (ownops.cost.ingestion.schedule) if this repeats',
  TimeoutError:
    'Cost Explorer did not answer in time; raise the timeout or check the network path to Cost Explorer',
};

/**
 * An error from the Cost Explorer client as a message that names the source
 * and says what to do, without the credentials in use (see
 * {@link readAwsError}). The SDK error is not kept as the cause, since its
 * hidden `$response` holds the body.
 */
export function explainCostExplorerError(
  error: unknown,
  context: AwsErrorContext,
): Error {
  const { name, message, unreadableBody } = readAwsError(
    error,
    context.secrets,
  );
  const account = context.accountId ? ` (account ${context.accountId})` : '';
  if (unreadableBody) {
    return new Error(
      `AWS Cost Explorer source ${context.sourceId}${account}: ${context.what} was answered with a body that is not JSON (an outage or proxy page?); the next run tries again`,
    );
  }
  const advice = (name && ADVICE[name]) ?? 'see the message from AWS';
  return new Error(
    `AWS Cost Explorer source ${context.sourceId}${account}: ${
      context.what
    } failed with ${name ?? 'an error'}: ${message}; ${advice}`,
  );
}
