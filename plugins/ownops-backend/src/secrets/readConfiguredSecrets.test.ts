import { ConfigReader } from '@backstage/config';
import { readConfiguredSecrets } from './readConfiguredSecrets';

describe('readConfiguredSecrets', () => {
  it('finds credentials by key name anywhere, command env values and provider headers', () => {
    const secrets = readConfiguredSecrets(
      new ConfigReader({
        integrations: { github: [{ host: 'github.com', token: 'ghp_abc123' }] },
        backend: { auth: { keys: [{ secret: 'backend-key-1' }] } },
        ownops: {
          pagerduty: { apiToken: 'pd-token-1', timeout: '5s' },
          opsgenie: { apiKey: 'genie-key-1' },
          argocd: { instances: [{ id: 'main', token: 'argo-token-1' }] },
          commandTargets: [
            { id: 'local', command: ['deploy'], env: { REGION: 'eu-west-1' } },
          ],
          cost: {
            opencost: [
              {
                id: 'oc',
                baseUrl: 'https://opencost.test',
                headers: { 'X-Api': 'header-value-1' },
              },
            ],
          },
          kubernetes: { targets: [{ authProvider: 'serviceAccount' }] },
        },
      }),
    );
    expect(secrets.sort()).toEqual(
      [
        'ghp_abc123',
        'backend-key-1',
        'pd-token-1',
        'genie-key-1',
        'argo-token-1',
        'eu-west-1',
        'header-value-1',
      ].sort(),
    );
  });

  it('leaves out values too short to be credentials', () => {
    expect(
      readConfiguredSecrets(new ConfigReader({ app: { token: 'abc' } })),
    ).toEqual([]);
  });
});
