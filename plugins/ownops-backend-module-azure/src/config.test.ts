import { ConfigReader } from '@backstage/config';
import { readAzureExportsConfig } from './config';

const read = (...entries: object[]) =>
  readAzureExportsConfig(
    new ConfigReader({ ownops: { cost: { azureExports: entries } } }),
  );

const ACCOUNT_URL = 'https://finops.blob.core.windows.net';
const SAS =
  'sv=2022-11-02&ss=b&srt=co&sp=rl&se=2027-01-01T00:00:00Z&sig=c2FzLXNpZw%3D%3D';
const base = {
  id: 'azure-focus',
  container: 'billing',
  path: 'cost/focus-daily',
};

describe('readAzureExportsConfig', () => {
  it('reads nothing when the key is absent', () => {
    expect(readAzureExportsConfig(new ConfigReader({}))).toEqual([]);
  });

  it('reads each way of signing in, the folder without slashes, tag columns and timeout', () => {
    const exports = read(
      { ...base, id: 'default-credential', accountUrl: `${ACCOUNT_URL}/` },
      {
        ...base,
        id: 'service-principal',
        accountUrl: ACCOUNT_URL,
        tenantId: 'tenant-1',
        clientId: 'client-1',
        clientSecret: 'secret-1',
        path: '/cost//focus-daily/',
        tagColumns: { x_CostCenter: ' cost-center ' },
        timeout: '2m',
      },
      { ...base, id: 'sas', accountUrl: ACCOUNT_URL, sasToken: `?${SAS}` },
      {
        ...base,
        id: 'connection-string',
        connectionString:
          'DefaultEndpointsProtocol=https;AccountName=finops;AccountKey=a2V5;EndpointSuffix=core.windows.net',
      },
    );

    expect(exports).toEqual([
      {
        id: 'default-credential',
        configKey: 'ownops.cost.azureExports[0]',
        credential: { kind: 'defaultAzureCredential', accountUrl: ACCOUNT_URL },
        container: 'billing',
        path: 'cost/focus-daily',
        tagColumns: {},
        timeoutMs: 30_000,
      },
      {
        id: 'service-principal',
        configKey: 'ownops.cost.azureExports[1]',
        credential: {
          kind: 'clientSecret',
          accountUrl: ACCOUNT_URL,
          tenantId: 'tenant-1',
          clientId: 'client-1',
          clientSecret: 'secret-1',
        },
        container: 'billing',
        path: 'cost/focus-daily',
        tagColumns: { x_CostCenter: 'cost-center' },
        timeoutMs: 120_000,
      },
      {
        id: 'sas',
        configKey: 'ownops.cost.azureExports[2]',
        credential: {
          kind: 'sasToken',
          accountUrl: ACCOUNT_URL,
          sasToken: SAS,
        },
        container: 'billing',
        path: 'cost/focus-daily',
        tagColumns: {},
        timeoutMs: 30_000,
      },
      {
        id: 'connection-string',
        configKey: 'ownops.cost.azureExports[3]',
        credential: {
          kind: 'connectionString',
          connectionString:
            'DefaultEndpointsProtocol=https;AccountName=finops;AccountKey=a2V5;EndpointSuffix=core.windows.net',
        },
        container: 'billing',
        path: 'cost/focus-daily',
        tagColumns: {},
        timeoutMs: 30_000,
      },
    ]);
  });

  it.each<[string, object, string]>([
    [
      'an id with capitals',
      { id: 'Azure' },
      'ownops.cost.azureExports[0].id must be lower-case letters, digits and dashes, got "Azure"',
    ],
    [
      'no id',
      { id: undefined },
      "Missing required config value at 'ownops.cost.azureExports[0].id'",
    ],
    [
      'no account',
      { accountUrl: undefined },
      'ownops.cost.azureExports[0].accountUrl is missing: set accountUrl (https://<account>.blob.core.windows.net) or connectionString',
    ],
    [
      'an account URL that is not one',
      { accountUrl: 'finops.blob.core.windows.net' },
      'ownops.cost.azureExports[0].accountUrl is not a URL',
    ],
    [
      'an ftp account URL',
      { accountUrl: 'ftp://finops.blob.core.windows.net' },
      'ownops.cost.azureExports[0].accountUrl must be an https URL',
    ],
    [
      'an http account URL with Entra ID',
      { accountUrl: 'http://finops.blob.core.windows.net' },
      'ownops.cost.azureExports[0].accountUrl must be https to sign in with Microsoft Entra ID',
    ],
    [
      'a SAS in the account URL',
      { accountUrl: `${ACCOUNT_URL}?${SAS}` },
      'ownops.cost.azureExports[0].accountUrl must be the bare blob endpoint, without a query string or user; put a SAS token in ownops.cost.azureExports[0].sasToken',
    ],
    [
      'a SAS token without a signature',
      { sasToken: 'sv=2022-11-02&sp=rl' },
      'ownops.cost.azureExports[0].sasToken must be a shared access signature',
    ],
    [
      'a SAS token and a client secret',
      { sasToken: SAS, clientId: 'c', tenantId: 't', clientSecret: 's' },
      'ownops.cost.azureExports[0].clientId cannot be used with ownops.cost.azureExports[0].sasToken',
    ],
    [
      'a client id without its secret',
      { clientId: 'c', tenantId: 't' },
      'ownops.cost.azureExports[0].clientSecret is missing: clientId, tenantId and clientSecret go together',
    ],
    [
      'a connection string and an account URL',
      { connectionString: 'AccountName=a;AccountKey=a2V5' },
      'ownops.cost.azureExports[0].accountUrl cannot be used with ownops.cost.azureExports[0].connectionString',
    ],
    [
      'a connection string and a SAS token',
      {
        accountUrl: undefined,
        connectionString: 'AccountName=a;AccountKey=a2V5',
        sasToken: SAS,
      },
      'ownops.cost.azureExports[0].sasToken cannot be used with ownops.cost.azureExports[0].connectionString',
    ],
    [
      'no container',
      { container: undefined },
      "Missing required config value at 'ownops.cost.azureExports[0].container'",
    ],
    [
      'a container name Azure refuses',
      { container: 'Billing_2026' },
      'ownops.cost.azureExports[0].container must be a container name (3 to 63 lower-case letters, digits and single dashes), got "Billing_2026"',
    ],
    [
      'an empty path',
      { path: '//' },
      "ownops.cost.azureExports[0].path must be the export's folder in the container",
    ],
    [
      'a path ending in a date range',
      { path: 'cost/focus-daily/20261101-20261130/' },
      "ownops.cost.azureExports[0].path ends in the date range folder 20261101-20261130; point it at the export's folder above it",
    ],
    [
      'an empty tag key',
      { tagColumns: { x_CostCenter: ' ' } },
      "ownops.cost.azureExports[0].tagColumns.x_CostCenter must be the tag key the column's values are read as",
    ],
    [
      'a timeout that is not a duration',
      { timeout: 'soon' },
      'Invalid ownops.cost.azureExports[0].timeout "soon"',
    ],
  ])('refuses %s, naming the key', (_, entry, message) => {
    expect(() => read({ ...base, accountUrl: ACCOUNT_URL, ...entry })).toThrow(
      message,
    );
  });

  it('refuses a second export with the same id', () => {
    expect(() =>
      read(
        { ...base, accountUrl: ACCOUNT_URL },
        { ...base, accountUrl: ACCOUNT_URL, path: 'cost/other' },
      ),
    ).toThrow(
      'ownops.cost.azureExports[1].id "azure-focus" is already used by ownops.cost.azureExports[0]; every export needs a unique id',
    );
  });
});
