import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  CostSource,
  ownopsCostSourcesExtensionPoint,
} from '@ownops/backstage-plugin-node';
import ownopsModuleAws from './index';

const AWS = {
  mainAccount: {
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    secretAccessKey: 'module-test-secret-key',
  },
};

async function start(config: object) {
  const addCostSource = jest.fn();
  const logger = mockServices.logger.mock();
  await startTestBackend({
    extensionPoints: [[ownopsCostSourcesExtensionPoint, { addCostSource }]],
    features: [
      ownopsModuleAws,
      catalogServiceMock.factory(),
      mockServices.rootConfig.factory({ data: config }),
      logger.factory,
    ],
  });
  return { addCostSource, logger };
}

describe('ownopsModuleAws', () => {
  it('adds one cost source per configured Cost Explorer source', async () => {
    const { addCostSource, logger } = await start({
      aws: AWS,
      ownops: {
        cost: {
          aws: [
            { id: 'aws-main' },
            {
              id: 'aws-eu',
              region: 'eu-west-1',
              metric: 'NetUnblendedCost',
              effectiveMetric: 'NetAmortizedCost',
              timeout: '45s',
              maxAttempts: 5,
              endpoint: 'http://localhost:4566',
            },
          ],
        },
      },
    });

    expect(addCostSource).toHaveBeenCalledTimes(1);
    const sources: CostSource[] = addCostSource.mock.calls[0];
    expect(sources.map(source => source.id)).toEqual(['aws-main', 'aws-eu']);
    expect(JSON.stringify(logger.info.mock.calls)).not.toContain(
      'module-test-secret-key',
    );
  });

  it('registers nothing without config and says which key enables it', async () => {
    const { addCostSource, logger } = await start({ aws: AWS });

    expect(addCostSource).not.toHaveBeenCalled();
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining('No ownops.cost.aws configured'),
    );
  });

  it.each([
    [{ id: 'AWS' }, 'ownops.cost.aws[0].id'],
    [{ id: 'aws', accountId: '12' }, 'ownops.cost.aws[0].accountId'],
    [{ id: 'aws', region: 'Europe' }, 'ownops.cost.aws[0].region'],
    [{ id: 'aws', metric: 'AmortizedCost' }, 'ownops.cost.aws[0].metric'],
    [
      { id: 'aws', effectiveMetric: 'Cost' },
      'ownops.cost.aws[0].effectiveMetric',
    ],
    [{ id: 'aws', timeout: 'later' }, 'ownops.cost.aws[0].timeout'],
    [{ id: 'aws', maxAttempts: 0 }, 'ownops.cost.aws[0].maxAttempts'],
    [{ id: 'aws', endpoint: 'localhost' }, 'ownops.cost.aws[0].endpoint'],
  ])('refuses to start with invalid config %j', async (entry, key) => {
    await expect(
      start({ aws: AWS, ownops: { cost: { aws: [entry] } } }),
    ).rejects.toThrow(key);
  });

  it('refuses invalid tag keys', async () => {
    await expect(
      start({
        aws: AWS,
        ownops: {
          tags: { keys: { owner: 'Owner Tag' } },
          cost: { aws: [{ id: 'aws' }] },
        },
      }),
    ).rejects.toThrow('Invalid ownops.tags.keys');
  });
});
