import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  DeployTarget,
  ownopsDeployTargetsExtensionPoint,
} from '@ownops/backstage-plugin-node';
import { ArgoCdDeployTarget } from './ArgoCdDeployTarget';
import { ownopsModuleArgoCd } from './module';

async function start(data: object) {
  const addDeployTarget = jest.fn();
  const logger = mockServices.logger.mock();
  await startTestBackend({
    extensionPoints: [[ownopsDeployTargetsExtensionPoint, { addDeployTarget }]],
    features: [
      ownopsModuleArgoCd,
      mockServices.rootConfig.factory({ data }),
      logger.factory,
    ],
  });
  return { addDeployTarget, logger };
}

describe('ownopsModuleArgoCd', () => {
  it('registers one deploy target per Argo CD instance', async () => {
    const { addDeployTarget } = await start({
      ownops: {
        argocd: {
          instances: [
            {
              id: 'argocd-staging',
              title: 'Argo CD (staging cluster)',
              url: 'https://argocd.staging.example.com/',
              token: 'staging-token-123',
            },
            {
              id: 'argocd-prod',
              url: 'https://argocd.example.com',
              token: 'prod-token-456',
              project: 'checkout',
              waitForHealthy: false,
              timeout: '30s',
            },
          ],
        },
      },
    });
    expect(addDeployTarget).toHaveBeenCalledTimes(1);
    const targets = addDeployTarget.mock.calls[0] as ArgoCdDeployTarget[];
    expect(targets.map(t => [t.id, t.title, t.type])).toEqual([
      ['argocd-staging', 'Argo CD (staging cluster)', 'argocd'],
      ['argocd-prod', undefined, 'argocd'],
    ]);
    expect(targets.every(t => t instanceof ArgoCdDeployTarget)).toBe(true);
    expect(typeof (targets[0] as DeployTarget).listVersions).toBe('undefined');
  });

  it('registers nothing without config and says which key enables it', async () => {
    const { addDeployTarget, logger } = await start({});
    expect(addDeployTarget).not.toHaveBeenCalled();
    expect(logger.info).toHaveBeenCalledWith(
      'No Argo CD deploy targets: set ownops.argocd.instances to deploy with Argo CD',
    );
  });

  it('stops start-up on a duplicate id, naming the key', async () => {
    await expect(
      start({
        ownops: {
          argocd: {
            instances: [
              { id: 'argocd', url: 'https://a.example.com', token: 'token-a' },
              { id: 'argocd', url: 'https://b.example.com', token: 'token-b' },
            ],
          },
        },
      }),
    ).rejects.toThrow(
      'ownops.argocd.instances[1].id "argocd" is already used by ownops.argocd.instances[0]',
    );
  });
});
