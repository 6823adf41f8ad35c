import { isRestError } from '@azure/storage-blob';
import { redactSecrets } from '@ownops/backstage-plugin-node';
import { TimeoutError } from './timeouts';

const READ_AGAIN = 'the next run reads the export again';
const TRY_AGAIN = 'the next run tries again';

/**
 * What to do about each Azure Storage error code; `{credential}` names what
 * signs the requests, `{config}` the export's config key.
 */
const ADVICE: Record<string, string> = {
  AuthenticationFailed: 'check {credential}',
  InvalidAuthenticationInfo: 'check {credential}',
  NoAuthenticationInformation: 'check {credential}',
  AuthorizationPermissionMismatch:
    'grant the identity of {credential} the Storage Blob Data Reader role on the container or the storage account',
  AuthorizationFailure:
    'the storage account refused the request: check its firewall (allow the backstage backend) and {credential}',
  AuthorizationResourceTypeMismatch:
    'the SAS token must allow the container and object resource types (srt=co) or be a container SAS',
  AuthorizationServiceMismatch: 'the SAS token must allow the blob service',
  AccountIsDisabled: 'the storage account is disabled; ask its owner',
  ContainerNotFound:
    'the container does not exist: check {config}.container and the account',
  ResourceNotFound: 'check {config}.accountUrl or connectionString',
  BlobNotFound: `the blob was removed since it was listed; ${READ_AGAIN}`,
  ConditionNotMet: `the blob changed since it was listed (a newer export run is overwriting it); ${READ_AGAIN}`,
  ServerBusy: `Azure Storage is busy; ${TRY_AGAIN}`,
  InternalError: `Azure Storage failed the request; ${TRY_AGAIN}`,
  OperationTimedOut: `Azure Storage timed out; ${TRY_AGAIN}`,
};

/** Errors of @azure/identity: the credential could not get a token. */
const CREDENTIAL_ERRORS = [
  'AuthenticationError',
  'AggregateAuthenticationError',
  'CredentialUnavailableError',
  'AuthenticationRequiredError',
];

/**
 * An error of the Azure SDK as a message that names the source, says what
 * failed and what to do, with every form of the credential's secrets taken
 * out: Azure's message, or a proxy's, may quote what was sent. The SDK's
 * error is not kept as the cause, since it holds the request and response.
 */
export function explainStorageError(
  error: unknown,
  context: {
    /** What was being done, e.g. `listing https://…/container/path`. */
    what: string;
    /** Who was doing it, e.g. `Azure export source azure-focus`. */
    source: string;
    credentialName: string;
    configKey: string;
    secrets: string[];
  },
): Error {
  const { what, source, credentialName, configKey, secrets } = context;
  const advise = (code: string | undefined) =>
    code && ADVICE[code]
      ? `; ${ADVICE[code]
          .replace('{credential}', credentialName)
          .replace('{config}', configKey)}`
      : '';
  let message: string;
  if (error instanceof TimeoutError) {
    message = `${what} failed: ${error.message}; raise ${configKey}.timeout or check the network path to the storage account`;
  } else if (isRestError(error) && error.statusCode !== undefined) {
    // Azure's message without its RequestId and Time lines, or a proxy's page
    // cut short: redacted first, so that no part of a secret is left.
    const said = redactSecrets(
      error.message.split('\n')[0].trim(),
      secrets,
    ).slice(0, 300);
    message = error.code
      ? `${what} was answered ${error.statusCode} ${
          error.code
        }: ${said}${advise(error.code)}`
      : `${what} was answered ${error.statusCode} by something other than Azure Storage (a proxy, or an outage page?): ${said}`;
  } else if (isRestError(error)) {
    message = `${what} failed, Azure Storage could not be reached: ${
      error.message
    }${error.code ? ` (${error.code})` : ''}; ${TRY_AGAIN}`;
  } else if (CREDENTIAL_ERRORS.includes((error as Error)?.name)) {
    message = `${what} failed, no Microsoft Entra token: ${
      (error as Error).message
    }; check ${credentialName}`;
  } else {
    message = `${what} failed: ${(error as Error)?.message ?? String(error)}`;
  }
  return new Error(`${source}: ${redactSecrets(message, secrets)}`);
}
