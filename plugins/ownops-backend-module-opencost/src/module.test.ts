import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  CostSource,
  ownopsCostSourcesExtensionPoint,
} from '@ownops/backstage-plugin-node';
import ownopsModuleOpenCost from './index';

async function start(config: object) {
  const addCostSource = jest.fn();
  const logger = mockServices.logger.mock();
  await startTestBackend({
    extensionPoints: [[ownopsCostSourcesExtensionPoint, { addCostSource }]],
    features: [
      ownopsModuleOpenCost,
      mockServices.rootConfig.factory({ data: config }),
      logger.factory,
    ],
  });
  return { addCostSource, logger };
}

describe('ownopsModuleOpenCost', () => {
  it('adds one cost source per configured OpenCost', async () => {
    const { addCostSource } = await start({
      ownops: {
        cost: {
          opencost: [
            { id: 'opencost-eu', url: 'http://opencost.opencost:9003/' },
            {
              id: 'opencost-us',
              url: 'https://opencost.example.com',
              currency: 'EUR',
              headers: { Authorization: 'Bearer x' },
              timeout: '45s',
              lookbackDays: 90,
            },
          ],
        },
      },
    });

    expect(addCostSource).toHaveBeenCalledTimes(1);
    const sources: CostSource[] = addCostSource.mock.calls[0];
    expect(sources.map(source => source.id)).toEqual([
      'opencost-eu',
      'opencost-us',
    ]);
  });

  it('registers nothing without config and says which key enables it', async () => {
    const { addCostSource, logger } = await start({});

    expect(addCostSource).not.toHaveBeenCalled();
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining('No ownops.cost.opencost configured'),
    );
  });

  it.each([
    [{ id: 'Main', url: 'http://opencost:9003' }, 'ownops.cost.opencost[0].id'],
    [{ id: 'main', url: 'opencost:9003' }, 'ownops.cost.opencost[0].url'],
    [
      { id: 'main', url: 'http://opencost:9003', currency: 'euro' },
      'ownops.cost.opencost[0].currency',
    ],
    [
      { id: 'main', url: 'http://opencost:9003', timeout: 'soon' },
      'ownops.cost.opencost[0].timeout',
    ],
    [
      { id: 'main', url: 'http://opencost:9003', lookbackDays: 0 },
      'ownops.cost.opencost[0].lookbackDays',
    ],
  ])('refuses to start with invalid config %j', async (entry, key) => {
    await expect(
      start({ ownops: { cost: { opencost: [entry] } } }),
    ).rejects.toThrow(key);
  });

  it('refuses duplicate source ids', async () => {
    await expect(
      start({
        ownops: {
          cost: {
            opencost: [
              { id: 'main', url: 'http://a:9003' },
              { id: 'main', url: 'http://b:9003' },
            ],
          },
        },
      }),
    ).rejects.toThrow('ownops.cost.opencost[1].id "main" is used by another');
  });
});
