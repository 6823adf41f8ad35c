import { ConfigReader } from '@backstage/config';
import { readArgoCdInstances } from './config';

const read = (instances: object[]) =>
  readArgoCdInstances(new ConfigReader({ ownops: { argocd: { instances } } }));

const base = {
  id: 'argocd',
  url: 'https://argocd.example.com/',
  token: 'abcd1234',
};

describe('readArgoCdInstances', () => {
  it('reads an instance with its defaults', () => {
    expect(read([base])).toEqual([
      {
        id: 'argocd',
        title: undefined,
        baseUrl: 'https://argocd.example.com',
        token: 'abcd1234',
        project: undefined,
        waitForHealthy: true,
        timeoutMs: 10_000,
      },
    ]);
  });

  it('reads the timeout as a duration or milliseconds', () => {
    expect(read([{ ...base, timeout: '45s' }])[0].timeoutMs).toBe(45_000);
    expect(read([{ ...base, timeout: { minutes: 1 } }])[0].timeoutMs).toBe(
      60_000,
    );
    expect(read([{ ...base, timeout: 2500 }])[0].timeoutMs).toBe(2500);
  });

  it('keeps a path prefix of the server URL', () => {
    expect(
      read([{ ...base, url: 'https://tools.example.com/argo-cd/' }])[0].baseUrl,
    ).toBe('https://tools.example.com/argo-cd');
  });

  it.each([
    [
      { ...base, url: 'argocd.example.com' },
      'ownops.argocd.instances[0].url "argocd.example.com" is not a URL',
    ],
    [
      { ...base, url: 'ftp://argocd.example.com' },
      'ownops.argocd.instances[0].url must be an http(s) URL',
    ],
    [
      { ...base, url: 'https://argocd.example.com?token=x' },
      'ownops.argocd.instances[0].url must not carry a query',
    ],
    [
      { ...base, id: 'Argo CD' },
      'ownops.argocd.instances[0].id "Argo CD" must be lower-case',
    ],
    [{ ...base, token: ' ' }, 'ownops.argocd.instances[0].token is empty'],
    [
      { ...base, timeout: 0 },
      'ownops.argocd.instances[0].timeout must be a positive duration',
    ],
    [
      { id: 'argocd', url: 'https://argocd.example.com' },
      "Missing required config value at 'ownops.argocd.instances[0].token'",
    ],
  ])('refuses %j', (instance, message) => {
    expect(() => read([instance])).toThrow(message);
  });
});
