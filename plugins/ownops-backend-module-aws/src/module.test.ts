import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  CostSource,
  FocusExportSource,
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
  const addFocusExportSource = jest.fn();
  const logger = mockServices.logger.mock();
  await startTestBackend({
    extensionPoints: [
      [
        ownopsCostSourcesExtensionPoint,
        { addCostSource, addFocusExportSource },
      ],
    ],
    features: [
      ownopsModuleAws,
      catalogServiceMock.factory(),
      mockServices.rootConfig.factory({ data: config }),
      logger.factory,
    ],
  });
  return { addCostSource, addFocusExportSource, logger };
}

describe('ownopsModuleAws', () => {
  it('adds one cost source per configured Cost Explorer source', async () => {
    const { addCostSource, addFocusExportSource, logger } = await start({
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
    expect(addFocusExportSource).not.toHaveBeenCalled();
    expect(JSON.stringify(logger.info.mock.calls)).not.toContain(
      'module-test-secret-key',
    );
  });

  it('adds one FOCUS export source per configured AWS Data Export, beside the Cost Explorer sources', async () => {
    const { addCostSource, addFocusExportSource, logger } = await start({
      aws: {
        ...AWS,
        accounts: [
          {
            accountId: '111122223333',
            accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
            secretAccessKey: 'module-test-secret-key',
          },
        ],
      },
      ownops: {
        cost: {
          aws: [{ id: 'aws-main' }],
          awsDataExports: [
            {
              id: 'aws-focus',
              bucket: 'acme-billing',
              prefix: '/focus/',
              exportName: 'ownops-focus',
              region: 'eu-west-1',
              tagColumns: { x_CostCenter: 'cost-center' },
            },
            {
              id: 'aws-focus-minio',
              bucket: 'billing',
              exportName: 'focus_1_2',
              region: 'local',
              accountId: '111122223333',
              endpoint: 'http://127.0.0.1:9000',
              timeout: '2m',
            },
          ],
        },
      },
    });

    expect(addCostSource).toHaveBeenCalledTimes(1);
    expect(addFocusExportSource).toHaveBeenCalledTimes(1);
    const exports: FocusExportSource[] = addFocusExportSource.mock.calls[0];
    expect(
      exports.map(({ id, location, tagColumns }) => ({
        id,
        location,
        tagColumns,
      })),
    ).toEqual([
      {
        id: 'aws-focus',
        location: 's3://acme-billing/focus/ownops-focus',
        tagColumns: { x_CostCenter: 'cost-center' },
      },
      {
        id: 'aws-focus-minio',
        location: 's3://billing/focus_1_2',
        tagColumns: undefined,
      },
    ]);
    expect(logger.info).toHaveBeenCalledWith(
      'AWS Data Exports cost sources: aws-focus (s3://acme-billing/focus/ownops-focus), aws-focus-minio (s3://billing/focus_1_2)',
    );
    expect(JSON.stringify(logger.info.mock.calls)).not.toContain(
      'module-test-secret-key',
    );
  });

  it('adds only FOCUS export sources when only AWS Data Exports are configured', async () => {
    const { addCostSource, addFocusExportSource } = await start({
      ownops: {
        cost: {
          awsDataExports: [
            {
              id: 'aws-focus',
              bucket: 'acme-billing',
              exportName: 'ownops-focus',
              region: 'us-east-1',
            },
          ],
        },
      },
    });

    expect(addCostSource).not.toHaveBeenCalled();
    expect(addFocusExportSource).toHaveBeenCalledTimes(1);
    expect(
      addFocusExportSource.mock.calls[0].map((s: FocusExportSource) => s.id),
    ).toEqual(['aws-focus']);
  });

  it('registers nothing without config and says which keys enable it', async () => {
    const { addCostSource, addFocusExportSource, logger } = await start({
      aws: AWS,
    });

    expect(addCostSource).not.toHaveBeenCalled();
    expect(addFocusExportSource).not.toHaveBeenCalled();
    expect(logger.info).toHaveBeenCalledWith(
      'No ownops.cost.aws or ownops.cost.awsDataExports configured; the AWS cost sources are off. Add ownops.cost.aws[] (Cost Explorer) or ownops.cost.awsDataExports[] (Data Exports in S3) with an id to enable them',
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

  const EXPORT = {
    id: 'aws-focus',
    bucket: 'acme-billing',
    exportName: 'ownops-focus',
    region: 'us-east-1',
  };

  it.each([
    [{ ...EXPORT, id: 'AWS Focus' }, 'ownops.cost.awsDataExports[0].id'],
    [{ ...EXPORT, bucket: undefined }, 'ownops.cost.awsDataExports[0].bucket'],
    [{ ...EXPORT, region: 'Europe' }, 'ownops.cost.awsDataExports[0].region'],
    [
      { ...EXPORT, endpoint: 'http://key:secret@127.0.0.1:9000' },
      'ownops.cost.awsDataExports[0].endpoint',
    ],
    [
      { ...EXPORT, tagColumns: { x_CostCenter: '' } },
      'ownops.cost.awsDataExports[0].tagColumns.x_CostCenter',
    ],
    [{ ...EXPORT, timeout: 'soon' }, 'ownops.cost.awsDataExports[0].timeout'],
    [
      { ...EXPORT, id: 'aws' },
      'ownops.cost.awsDataExports[0].id "aws" is already used by ownops.cost.aws[0]',
    ],
  ])(
    'refuses to start with the invalid AWS Data Export %j',
    async (entry, key) => {
      await expect(
        start({
          aws: AWS,
          ownops: { cost: { aws: [{ id: 'aws' }], awsDataExports: [entry] } },
        }),
      ).rejects.toThrow(key);
    },
  );

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
