import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  DeployTarget,
  ownopsDeployTargetsExtensionPoint,
} from '@ownops/backstage-plugin-node';
import { JsonObject } from '@backstage/types';
import ownopsModuleKubernetes from './index';

jest.setTimeout(30_000);

const kubernetes = (cluster: JsonObject = {}) => ({
  serviceLocatorMethod: { type: 'multiTenant' },
  clusterLocatorMethods: [
    { type: 'catalog' },
    {
      type: 'config',
      clusters: [
        {
          name: 'prod',
          url: 'https://k8s.test',
          authProvider: 'serviceAccount',
          serviceAccountToken: 'sa-token-secret',
          ...cluster,
        },
      ],
    },
  ],
});

async function start(data: JsonObject) {
  const addDeployTarget = jest.fn();
  const logger = mockServices.logger.mock();
  await startTestBackend({
    extensionPoints: [[ownopsDeployTargetsExtensionPoint, { addDeployTarget }]],
    features: [
      ownopsModuleKubernetes,
      mockServices.rootConfig.factory({ data }),
      logger.factory,
    ],
  });
  const targets: DeployTarget[] = addDeployTarget.mock.calls.flat();
  return { targets, logger };
}

describe('ownopsModuleKubernetes', () => {
  it('registers one deploy target per configured target', async () => {
    const { targets } = await start({
      kubernetes: kubernetes(),
      ownops: {
        kubernetes: {
          targets: [
            {
              id: 'k8s-prod',
              title: 'Production',
              cluster: 'prod',
              namespace: 'shop',
            },
            { id: 'k8s-prod-batch', cluster: 'prod', timeout: '30s' },
          ],
        },
      },
    });
    expect(
      targets.map(t => ({ id: t.id, title: t.title, type: t.type })),
    ).toEqual([
      { id: 'k8s-prod', title: 'Production', type: 'kubernetes' },
      { id: 'k8s-prod-batch', title: undefined, type: 'kubernetes' },
    ]);
    expect(typeof targets[0].rollback).toBe('function');
    expect(typeof targets[0].status).toBe('function');
    expect(typeof targets[0].listHistory).toBe('function');
    expect(targets[0].listVersions).toBeUndefined();
  });

  it('registers nothing, saying which key enables it, without ownops.kubernetes config', async () => {
    const { targets, logger } = await start({ kubernetes: kubernetes() });
    expect(targets).toEqual([]);
    expect(logger.info).toHaveBeenCalledWith(
      'No Kubernetes deploy targets: set ownops.kubernetes.targets to deploy to Kubernetes clusters',
    );
  });

  it('stops start-up on a cluster name the kubernetes config does not have', async () => {
    await expect(
      start({
        kubernetes: kubernetes(),
        ownops: {
          kubernetes: { targets: [{ id: 'k8s', cluster: 'staging' }] },
        },
      }),
    ).rejects.toThrow(
      'ownops.kubernetes.targets[0].cluster "staging" is not a cluster of kubernetes.clusterLocatorMethods (type: config); known clusters: prod',
    );
  });

  it('stops start-up on a cluster that does not use a service account token', async () => {
    await expect(
      start({
        kubernetes: kubernetes({
          authProvider: 'google',
          serviceAccountToken: undefined,
        }),
        ownops: { kubernetes: { targets: [{ id: 'k8s', cluster: 'prod' }] } },
      }),
    ).rejects.toThrow(
      'kubernetes.clusterLocatorMethods[1].clusters[0].authProvider of cluster "prod" is "google"; the Ownops Kubernetes module only supports service account tokens',
    );
  });
});
