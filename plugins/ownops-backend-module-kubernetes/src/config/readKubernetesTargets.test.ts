import { ConfigReader } from '@backstage/config';
import { JsonObject, JsonValue } from '@backstage/types';
import { readKubernetesTargets } from './readKubernetesTargets';

const clusters = [
  {
    name: 'prod',
    url: 'https://k8s.test/',
    authProvider: 'serviceAccount',
    serviceAccountToken: 'sa-token-secret',
    caData: 'LS0tLS1CRUdJTg==',
    skipTLSVerify: true,
  },
  {
    name: 'eks',
    url: 'https://eks.test',
    authMetadata: { 'kubernetes.io/auth-provider': 'aws' },
  },
];

function read(targets: JsonValue[], extra: JsonObject = {}) {
  return readKubernetesTargets(
    new ConfigReader({
      kubernetes: { clusterLocatorMethods: [{ type: 'config', clusters }] },
      ownops: { kubernetes: { targets } },
      ...extra,
    }),
  );
}

describe('readKubernetesTargets', () => {
  it("resolves each target's cluster and reads its timeout", () => {
    const [first, second, third] = read([
      { id: 'a', cluster: 'prod' },
      { id: 'b', cluster: 'prod', timeout: '2m', namespace: 'shop' },
      { id: 'c', cluster: 'prod', timeout: 2500 },
    ]);
    expect(first).toEqual({
      id: 'a',
      title: undefined,
      namespace: undefined,
      timeoutMs: 10_000,
      cluster: {
        name: 'prod',
        url: 'https://k8s.test',
        configKey: 'kubernetes.clusterLocatorMethods[0].clusters[0]',
        authProvider: 'serviceAccount',
        serviceAccountToken: 'sa-token-secret',
        caData: 'LS0tLS1CRUdJTg==',
        caFile: undefined,
        skipTLSVerify: true,
      },
    });
    expect(second).toMatchObject({ timeoutMs: 120_000, namespace: 'shop' });
    expect(third.timeoutMs).toBe(2500);
  });

  it('reads nothing, not even the kubernetes config, without targets', () => {
    expect(
      readKubernetesTargets(
        new ConfigReader({ kubernetes: { clusterLocatorMethods: 'broken' } }),
      ),
    ).toEqual([]);
  });

  it('reads the auth provider from authMetadata and refuses it', () => {
    expect(() => read([{ id: 'a', cluster: 'eks' }])).toThrow(
      'kubernetes.clusterLocatorMethods[0].clusters[1].authProvider of cluster "eks" is "aws"; the Ownops Kubernetes module only supports service account tokens',
    );
  });

  it('names the key of invalid entries', () => {
    expect(() => read([{ id: 'Prod!', cluster: 'prod' }])).toThrow(
      'ownops.kubernetes.targets[0].id "Prod!"',
    );
    expect(() =>
      read([
        { id: 'a', cluster: 'prod' },
        { id: 'a', cluster: 'prod' },
      ]),
    ).toThrow(
      'ownops.kubernetes.targets[1].id "a" is used by another Kubernetes target',
    );
    expect(() => read([{ id: 'a', cluster: 'prod', timeout: 0 }])).toThrow(
      'ownops.kubernetes.targets[0].timeout must be a positive duration',
    );
    expect(() =>
      readKubernetesTargets(
        new ConfigReader({
          ownops: { kubernetes: { targets: [{ id: 'a', cluster: 'prod' }] } },
        }),
      ),
    ).toThrow(
      'ownops.kubernetes.targets[0].cluster "prod" is not a cluster of kubernetes.clusterLocatorMethods (type: config); no clusters are configured there',
    );
  });
});
