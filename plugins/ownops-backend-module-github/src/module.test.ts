import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  DeployTarget,
  ownopsDeployTargetsExtensionPoint,
} from '@ownops/backstage-plugin-node';
import ownopsModuleGithub from './index';

async function start(data: object) {
  const addDeployTarget = jest.fn();
  const logger = mockServices.logger.mock();
  await startTestBackend({
    extensionPoints: [[ownopsDeployTargetsExtensionPoint, { addDeployTarget }]],
    features: [
      ownopsModuleGithub,
      mockServices.rootConfig.factory({ data }),
      logger.factory,
    ],
  });
  const targets: DeployTarget[] = addDeployTarget.mock.calls.flat();
  return { targets, addDeployTarget, logger };
}

const integrations = {
  github: [
    { host: 'github.com', token: 'ghp_moduleTestToken' },
    {
      host: 'ghe.example.com',
      apiBaseUrl: 'https://ghe.example.com/api/v3',
      token: 'ghp_gheToken',
    },
  ],
};

describe('ownops github module', () => {
  it('adds a deploy target per ownops.github.targets entry', async () => {
    const { targets, addDeployTarget, logger } = await start({
      integrations,
      ownops: {
        github: {
          targets: [
            { id: 'gha-staging', workflow: 'deploy.yml' },
            {
              id: 'gha-prod',
              title: 'Production',
              host: 'ghe.example.com',
              workflow: 'deploy.yml',
              versions: 'releases',
            },
          ],
        },
      },
    });

    expect(addDeployTarget).toHaveBeenCalledTimes(1);
    expect(
      targets.map(target => ({
        id: target.id,
        title: target.title,
        type: target.type,
        status: typeof target.status,
        rollback: typeof target.rollback,
        listHistory: typeof target.listHistory,
        listVersions: typeof target.listVersions,
      })),
    ).toEqual([
      {
        id: 'gha-staging',
        title: undefined,
        type: 'github',
        status: 'function',
        rollback: 'function',
        listHistory: 'function',
        listVersions: 'undefined',
      },
      {
        id: 'gha-prod',
        title: 'Production',
        type: 'github',
        status: 'function',
        rollback: 'function',
        listHistory: 'function',
        listVersions: 'function',
      },
    ]);
    expect(logger.info).toHaveBeenCalledWith(
      'GitHub deploy targets: gha-staging (deploy.yml on github.com), gha-prod (deploy.yml on ghe.example.com)',
    );
  });

  it('adds nothing without config and says which key enables it', async () => {
    const { addDeployTarget, logger } = await start({ integrations });

    expect(addDeployTarget).not.toHaveBeenCalled();
    expect(logger.info).toHaveBeenCalledWith(
      'No GitHub deploy targets: add ownops.github.targets to deploy with GitHub Actions workflows',
    );
  });

  it('stops the backend on invalid config, naming the key', async () => {
    await expect(
      start({
        integrations,
        ownops: {
          github: {
            targets: [
              { id: 'gha', workflow: 'deploy.yml' },
              { id: 'gha', workflow: 'deploy.yml' },
            ],
          },
        },
      }),
    ).rejects.toThrow(
      'ownops.github.targets[1].id "gha" is already used by ownops.github.targets[0]',
    );
  });
});
