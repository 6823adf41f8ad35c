import { redactSecrets } from '@ownops/backstage-plugin-node';
import { secretsOf } from './secrets';

describe('secretsOf', () => {
  it('takes the account key and the SAS signature out of a connection string, in every encoding', () => {
    const connectionString =
      'BlobEndpoint=https://finops.blob.core.windows.net/;SharedAccessSignature=sv=2022-11-02&sp=rl&sig=YWJj%2BZGVm%3D;AccountKey=a2V5K2tleQ==';
    const secrets = secretsOf({ kind: 'connectionString', connectionString });

    const text = `quoted: ${connectionString} | sig=YWJj%2BZGVm%3D | YWJj+ZGVm= | a2V5K2tleQ%3D%3D | a2V5K2tleQ==`;

    expect(redactSecrets(text, secrets)).toBe(
      'quoted: *** | sig=*** | *** | *** | ***',
    );
  });

  it('takes a SAS token out whole before its signature', () => {
    const sasToken = 'sv=2022-11-02&sp=rl&sig=c2lnbmF0dXJl';
    const secrets = secretsOf({
      kind: 'sasToken',
      accountUrl: 'https://finops.blob.core.windows.net',
      sasToken,
    });

    expect(redactSecrets(`?${sasToken} and c2lnbmF0dXJl`, secrets)).toBe(
      '?*** and ***',
    );
  });

  it('has no secrets for DefaultAzureCredential', () => {
    expect(
      secretsOf({
        kind: 'defaultAzureCredential',
        accountUrl: 'https://finops.blob.core.windows.net',
      }),
    ).toEqual([]);
  });
});
