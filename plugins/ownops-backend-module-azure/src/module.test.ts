import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  FocusExportSource,
  ownopsCostSourcesExtensionPoint,
} from '@ownops/backstage-plugin-node';
import ownopsModuleAzure, { AzureFocusExportSource } from './index';

async function start(config: object) {
  const addFocusExportSource = jest.fn();
  const addCostSource = jest.fn();
  const logger = mockServices.logger.mock();
  await startTestBackend({
    extensionPoints: [
      [
        ownopsCostSourcesExtensionPoint,
        { addFocusExportSource, addCostSource },
      ],
    ],
    features: [
      ownopsModuleAzure,
      mockServices.rootConfig.factory({ data: config }),
      logger.factory,
    ],
  });
  return { addFocusExportSource, addCostSource, logger };
}

const SAS = 'sv=2022-11-02&ss=b&srt=co&sp=rl&sig=bW9kdWxlLXRlc3Q%3D';

describe('ownopsModuleAzure', () => {
  it('adds one FOCUS export source per configured export', async () => {
    const { addFocusExportSource, addCostSource, logger } = await start({
      ownops: {
        cost: {
          azureExports: [
            {
              id: 'azure-billing-account',
              accountUrl: 'https://finops.blob.core.windows.net',
              container: 'billing',
              path: 'cost/focus-daily',
              tagColumns: { x_CostCenter: 'cost-center' },
            },
            {
              id: 'azure-subscription',
              accountUrl: 'https://teamfinops.blob.core.windows.net/',
              sasToken: SAS,
              container: 'exports',
              path: '/focus-monthly/',
              timeout: '1m',
            },
          ],
        },
      },
    });

    expect(addCostSource).not.toHaveBeenCalled();
    expect(addFocusExportSource).toHaveBeenCalledTimes(1);
    const sources: FocusExportSource[] = addFocusExportSource.mock.calls[0];
    expect(
      sources.every(source => source instanceof AzureFocusExportSource),
    ).toBe(true);
    expect(
      sources.map(({ id, location, tagColumns }) => ({
        id,
        location,
        tagColumns,
      })),
    ).toEqual([
      {
        id: 'azure-billing-account',
        location:
          'https://finops.blob.core.windows.net/billing/cost/focus-daily',
        tagColumns: { x_CostCenter: 'cost-center' },
      },
      {
        id: 'azure-subscription',
        location:
          'https://teamfinops.blob.core.windows.net/exports/focus-monthly',
        tagColumns: undefined,
      },
    ]);
    expect(logger.info).toHaveBeenCalledWith(
      'Azure Cost Management export sources: azure-billing-account (https://finops.blob.core.windows.net/billing/cost/focus-daily), azure-subscription (https://teamfinops.blob.core.windows.net/exports/focus-monthly)',
    );
  });

  it('registers nothing without config and says which key enables it', async () => {
    const { addFocusExportSource, logger } = await start({});

    expect(addFocusExportSource).not.toHaveBeenCalled();
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining('No ownops.cost.azureExports configured'),
    );
  });

  it.each([
    [
      { id: 'main', container: 'billing', path: 'focus' },
      'ownops.cost.azureExports[0].accountUrl is missing',
    ],
    [
      {
        id: 'main',
        connectionString: 'AccountName=finops;Nonsense',
        container: 'billing',
        path: 'focus',
      },
      'ownops.cost.azureExports[0].connectionString is not a storage account connection string',
    ],
    [
      {
        id: 'main',
        accountUrl: 'https://finops.blob.core.windows.net',
        container: 'billing',
        path: 'focus',
        timeout: 'soon',
      },
      'ownops.cost.azureExports[0].timeout',
    ],
  ])('refuses to start with invalid config %j', async (entry, message) => {
    await expect(
      start({ ownops: { cost: { azureExports: [entry] } } }),
    ).rejects.toThrow(message);
  });
});
