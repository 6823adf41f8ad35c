import { AwsErrorContext, readAwsError } from './awsErrors';

const CHECK_CREDENTIALS =
  'check the AWS credentials in the aws config (aws.mainAccount or aws.accounts[])';
const CHECK_REGION =
  "set ownops.cost.awsDataExports[].region to the bucket's region";
const READ_AGAIN = 'the next run reads the export again';
const TRY_AGAIN = 'S3 kept failing the request; the next run tries again';

/** What to do about each S3 error, by its error code. */
const ADVICE: Record<string, string> = {
  AccessDenied:
    "grant the AWS credentials s3:ListBucket on the bucket and s3:GetObject on the export's objects (and kms:Decrypt if the bucket is encrypted with a KMS key)",
  AllAccessDisabled: 'the bucket is disabled; ask its owner',
  NoSuchBucket: 'check ownops.cost.awsDataExports[].bucket',
  PermanentRedirect: CHECK_REGION,
  AuthorizationHeaderMalformed: CHECK_REGION,
  IllegalLocationConstraintException: CHECK_REGION,
  InvalidAccessKeyId: CHECK_CREDENTIALS,
  SignatureDoesNotMatch: CHECK_CREDENTIALS,
  InvalidToken: CHECK_CREDENTIALS,
  ExpiredToken:
    'the AWS credentials have expired; renew them or use a role (aws.accounts[].roleName)',
  CredentialsProviderError:
    'configure AWS credentials: aws.mainAccount, aws.accounts[] with roleName or accessKeyId, or the default provider chain (environment, instance role)',
  NoSuchKey: `the object was removed while it was read; ${READ_AGAIN}`,
  PreconditionFailed: `the object changed while it was read (a newer export execution is overwriting it); ${READ_AGAIN}`,
  SlowDown: TRY_AGAIN,
  ServiceUnavailable: TRY_AGAIN,
  InternalError: TRY_AGAIN,
  TimeoutError:
    'S3 did not answer in time; raise ownops.cost.awsDataExports[].timeout or check the network path to S3',
};

/**
 * An error from the S3 client as a message that names the source and says
 * what to do, without the credentials in use (see {@link readAwsError}).
 * The SDK error is not kept as the cause, since its hidden `$response`
 * holds the body.
 */
export function explainS3Error(
  error: unknown,
  context: AwsErrorContext,
): Error {
  const { name, status, message, unreadableBody } = readAwsError(
    error,
    context.secrets,
  );
  const source = `AWS Data Exports source ${context.sourceId}${
    context.accountId ? ` (account ${context.accountId})` : ''
  }`;
  if (unreadableBody) {
    return new Error(
      `${source}: ${context.what} was answered with a body that is not S3's XML (an outage or proxy page?); the next run tries again`,
    );
  }
  const advice =
    (name && ADVICE[name]) ??
    (status && status >= 500 ? TRY_AGAIN : 'see the message from S3');
  return new Error(
    `${source}: ${context.what} failed with ${name ?? 'an error'}${
      status ? ` (HTTP ${status})` : ''
    }: ${message}; ${advice}`,
  );
}
