import { createMockDirectory } from '@backstage/backend-test-utils';
import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:https';
import { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { KubernetesClusterConfig } from '../config/readKubernetesClusters';
import { KubernetesClient } from './KubernetesClient';

// A real HTTPS API server on loopback: the CA and skipTLSVerify settings
// travel as an undici dispatcher through Node's own fetch, which msw would hide.
const fixtures = resolve(__dirname, '../__testUtils__');
const cert = readFileSync(resolve(fixtures, 'loopback-cert.pem'), 'utf8');
const key = readFileSync(resolve(fixtures, 'loopback-key.pem'), 'utf8');

let server: Server;
let url: string;
const seen: Array<string | undefined> = [];

beforeAll(async () => {
  server = createServer({ cert, key }, (req, res) => {
    seen.push(req.headers.authorization);
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        kind: 'Deployment',
        apiVersion: 'apps/v1',
        metadata: { name: 'checkout', namespace: 'shop', generation: 1 },
        spec: { template: {} },
      }),
    );
  });
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise(done => server.close(done)));

const mockDir = createMockDirectory();

function client(cluster: Partial<KubernetesClusterConfig>, tokenFile?: string) {
  return new KubernetesClient({
    cluster: {
      name: 'loopback',
      url,
      configKey: 'kubernetes.clusterLocatorMethods[0].clusters[0]',
      authProvider: 'serviceAccount',
      skipTLSVerify: false,
      ...cluster,
    },
    timeoutMs: 5_000,
    retryBaseDelayMs: 1,
    tokenFile,
  });
}

const signal = new AbortController().signal;

describe('KubernetesClient over TLS', () => {
  it('trusts the cluster CA from caData (base64, as in kubeconfig)', async () => {
    const deployment = await client({
      serviceAccountToken: 'token-a',
      caData: Buffer.from(cert).toString('base64'),
    }).getDeployment('shop', 'checkout', signal);
    expect(deployment?.metadata.name).toBe('checkout');
    expect(seen.at(-1)).toBe('Bearer token-a');
  });

  it('trusts the cluster CA from caFile', async () => {
    mockDir.setContent({ 'ca.crt': cert });
    const deployment = await client({
      serviceAccountToken: 'token-a',
      caFile: mockDir.resolve('ca.crt'),
    }).getDeployment('shop', 'checkout', signal);
    expect(deployment?.metadata.name).toBe('checkout');
  });

  it('refuses an unknown CA, and accepts it with skipTLSVerify', async () => {
    await expect(
      client({ serviceAccountToken: 'token-a' }).getDeployment(
        'shop',
        'checkout',
        signal,
      ),
    ).rejects.toThrow(
      /Kubernetes cluster "loopback" could not be reached for GET .*: (DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)/,
    );
    const deployment = await client({
      serviceAccountToken: 'token-a',
      skipTLSVerify: true,
    }).getDeployment('shop', 'checkout', signal);
    expect(deployment?.metadata.name).toBe('checkout');
  });

  it('reads the mounted service account token when none is configured, each time', async () => {
    mockDir.setContent({ token: 'mounted-1\n' });
    const mounted = client({ skipTLSVerify: true }, mockDir.resolve('token'));
    await mounted.getDeployment('shop', 'checkout', signal);
    expect(seen.at(-1)).toBe('Bearer mounted-1');
    mockDir.setContent({ token: 'mounted-2' });
    await mounted.getDeployment('shop', 'checkout', signal);
    expect(seen.at(-1)).toBe('Bearer mounted-2');
  });

  it('says how to configure a token when none is configured or mounted', async () => {
    const missing = mockDir.resolve('absent-token');
    await expect(
      client({ skipTLSVerify: true }, missing).getDeployment(
        'shop',
        'checkout',
        signal,
      ),
    ).rejects.toThrow(
      `Cluster "loopback" has no serviceAccountToken in kubernetes.clusterLocatorMethods[0].clusters[0], and this backend has no mounted service account token at ${missing}; set kubernetes.clusterLocatorMethods[0].clusters[0].serviceAccountToken`,
    );
  });

  it('fails at construction when caFile cannot be read', () => {
    expect(() => client({ caFile: mockDir.resolve('missing.crt') })).toThrow(
      'kubernetes.clusterLocatorMethods[0].clusters[0].caFile of cluster "loopback" could not be read (ENOENT)',
    );
  });
});
