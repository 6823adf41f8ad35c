import { AzureStorageCredential } from './config';

/**
 * Every form in which a credential's secrets could be quoted back: the whole
 * value, and each signature or key inside it, as written, URL-decoded and
 * URL-encoded.
 */
export function secretsOf(credential: AzureStorageCredential): string[] {
  switch (credential.kind) {
    case 'connectionString':
      return withEncodings([
        credential.connectionString,
        ...connectionStringSecrets(credential.connectionString),
      ]);
    case 'sasToken':
      return withEncodings([
        credential.sasToken,
        ...sasSignatures(credential.sasToken),
      ]);
    case 'clientSecret':
      return withEncodings([credential.clientSecret]);
    default:
      return [];
  }
}

function connectionStringSecrets(connectionString: string): string[] {
  return connectionString.split(';').flatMap(part => {
    const separator = part.indexOf('=');
    const name = part.slice(0, separator).trim().toLowerCase();
    const value = part.slice(separator + 1).trim();
    if (separator === -1 || !value) {
      return [];
    }
    if (name === 'accountkey') {
      return [value];
    }
    if (name === 'sharedaccesssignature') {
      return [value, ...sasSignatures(value)];
    }
    return [];
  });
}

/** The `sig` values of a SAS token as written (URL-encoded or not). */
function sasSignatures(sasToken: string): string[] {
  return sasToken
    .replace(/^\?/, '')
    .split('&')
    .filter(parameter => parameter.startsWith('sig='))
    .map(parameter => parameter.slice('sig='.length));
}

function withEncodings(secrets: string[]): string[] {
  const forms = secrets.flatMap(secret => [
    secret,
    encodeURIComponent(secret),
    safeDecode(secret),
  ]);
  return [...new Set(forms)];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
