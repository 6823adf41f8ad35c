import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { JsonObject, JsonValue } from '@backstage/types';
import { readGithubTargets } from './readGithubTargets';

const integrations = {
  github: [
    { host: 'github.com', token: 'ghp_token' },
    {
      host: 'ghe.example.com',
      apiBaseUrl: 'https://ghe.example.com/api/v3',
      apps: [
        {
          appId: 1,
          clientId: 'Iv1.1',
          clientSecret: 'secret',
          privateKey: '-----BEGIN RSA PRIVATE KEY-----',
        },
      ],
    },
    { host: 'bare.example.com', apiBaseUrl: 'https://bare.example.com/api' },
  ],
};

function read(
  targets: JsonValue[],
  withIntegrations: JsonObject = integrations,
) {
  const config = new ConfigReader({
    integrations: withIntegrations,
    ownops: { github: { targets } },
  });
  return readGithubTargets(config, ScmIntegrations.fromConfig(config));
}

describe('readGithubTargets', () => {
  it('reads nothing without ownops.github.targets', () => {
    const config = new ConfigReader({ ownops: {} });
    expect(
      readGithubTargets(config, ScmIntegrations.fromConfig(config)),
    ).toEqual([]);
  });

  it('fills in the defaults', () => {
    expect(read([{ id: 'gha', workflow: 'deploy.yml' }])).toEqual([
      {
        id: 'gha',
        title: undefined,
        host: 'github.com',
        workflow: 'deploy.yml',
        ref: undefined,
        inputs: { version: 'version', environment: 'environment' },
        versions: 'none',
        timeoutMs: 10_000,
      },
    ]);
  });

  it('reads every key', () => {
    expect(
      read([
        {
          id: 'ghe-prod',
          title: 'Production (GHES)',
          host: 'ghe.example.com',
          workflow: '161335',
          ref: 'release',
          inputs: { version: 'image_tag', environment: false },
          versions: 'releases',
          timeout: '30s',
        },
        { id: 'tags', workflow: 'ship.yaml', versions: 'tags', timeout: 2500 },
        { id: 'object', workflow: 'ship.yaml', timeout: { minutes: 1 } },
      ]),
    ).toEqual([
      {
        id: 'ghe-prod',
        title: 'Production (GHES)',
        host: 'ghe.example.com',
        workflow: '161335',
        ref: 'release',
        inputs: { version: 'image_tag', environment: undefined },
        versions: 'releases',
        timeoutMs: 30_000,
      },
      expect.objectContaining({
        id: 'tags',
        versions: 'tags',
        timeoutMs: 2500,
      }),
      expect.objectContaining({ id: 'object', timeoutMs: 60_000 }),
    ]);
  });

  it.each([
    [
      [
        { id: 'gha', workflow: 'deploy.yml' },
        { id: 'gha', workflow: 'other.yml' },
      ],
      'ownops.github.targets[1].id "gha" is already used by ownops.github.targets[0]; every GitHub deploy target needs a unique id',
    ],
    [
      [{ id: 'Prod Target', workflow: 'deploy.yml' }],
      'ownops.github.targets[0].id "Prod Target" must be lower-case letters',
    ],
    [
      [{ id: 'gha', workflow: 'deploy.yml', host: 'git.example.com' }],
      'ownops.github.targets[0].host "git.example.com" has no entry in integrations.github',
    ],
    [
      [{ id: 'gha', workflow: 'deploy.yml', host: 'bare.example.com' }],
      'ownops.github.targets[0]: integrations.github for host bare.example.com has neither a token nor apps',
    ],
    [
      [{ id: 'gha', workflow: '../deploy.yml' }],
      'ownops.github.targets[0].workflow "../deploy.yml" must be a workflow file name',
    ],
    [
      [{ id: 'gha', workflow: 'deploy.sh' }],
      'ownops.github.targets[0].workflow "deploy.sh" must be a workflow file name',
    ],
    [
      [{ id: 'gha', workflow: 'deploy.yml', versions: 'commits' }],
      'ownops.github.targets[0].versions "commits" must be one of releases, tags, none',
    ],
    [
      [{ id: 'gha', workflow: 'deploy.yml', ref: ' ' }],
      'ownops.github.targets[0].ref must not be empty',
    ],
    [
      [{ id: 'gha', workflow: 'deploy.yml', inputs: { version: false } }],
      'ownops.github.targets[0].inputs.version cannot be disabled',
    ],
    [
      [{ id: 'gha', workflow: 'deploy.yml', inputs: { environment: 'a b' } }],
      'ownops.github.targets[0].inputs.environment must be the name of a workflow_dispatch input',
    ],
    [
      [
        {
          id: 'gha',
          workflow: 'deploy.yml',
          inputs: { environment: 'version' },
        },
      ],
      'ownops.github.targets[0].inputs: version and environment are both "version"',
    ],
    [
      [{ id: 'gha', workflow: 'deploy.yml', timeout: 'soon' }],
      'ownops.github.targets[0].timeout must be a duration',
    ],
    [
      [{ id: 'gha', workflow: 'deploy.yml', timeout: 0 }],
      'ownops.github.targets[0].timeout must be a positive duration',
    ],
  ])('refuses %j', (targets, message) => {
    expect(() => read(targets)).toThrow(message);
  });

  it('refuses github.com without credentials', () => {
    expect(() => read([{ id: 'gha', workflow: 'deploy.yml' }], {})).toThrow(
      'integrations.github for host github.com has neither a token nor apps',
    );
  });
});
