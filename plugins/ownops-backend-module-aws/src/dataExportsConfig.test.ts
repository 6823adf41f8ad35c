import { ConfigReader } from '@backstage/config';
import { readAwsDataExportsConfig } from './dataExportsConfig';

const EXPORT = {
  id: 'aws-focus',
  bucket: 'acme-billing',
  exportName: 'ownops-focus',
  region: 'us-east-1',
};

const read = (awsDataExports: object[], costExplorerIds: string[] = []) =>
  readAwsDataExportsConfig(
    new ConfigReader({ ownops: { cost: { awsDataExports } } }),
    costExplorerIds,
  );

describe('readAwsDataExportsConfig', () => {
  it('reads nothing without the key', () => {
    expect(readAwsDataExportsConfig(new ConfigReader({}))).toEqual([]);
  });

  it('reads every key, with defaults for the optional ones', () => {
    expect(
      read([
        EXPORT,
        {
          id: 'aws-focus-minio',
          bucket: 'billing.example',
          prefix: '/exports/focus/',
          exportName: 'focus_1_2',
          region: 'local',
          accountId: '111122223333',
          endpoint: 'http://127.0.0.1:9000',
          tagColumns: { x_CostCenter: ' cost-center ' },
          timeout: { minutes: 2 },
        },
      ]),
    ).toEqual([
      {
        ...EXPORT,
        prefix: '',
        accountId: undefined,
        endpoint: undefined,
        tagColumns: {},
        timeoutMs: 30_000,
      },
      {
        id: 'aws-focus-minio',
        bucket: 'billing.example',
        prefix: 'exports/focus',
        exportName: 'focus_1_2',
        region: 'local',
        accountId: '111122223333',
        endpoint: 'http://127.0.0.1:9000',
        tagColumns: { x_CostCenter: 'cost-center' },
        timeoutMs: 120_000,
      },
    ]);
  });

  it.each<[string, object, string]>([
    [
      'a missing id',
      { ...EXPORT, id: undefined },
      "'ownops.cost.awsDataExports[0].id'",
    ],
    [
      'an id with capitals',
      { ...EXPORT, id: 'AWS' },
      'ownops.cost.awsDataExports[0].id must be lower-case letters, digits and dashes, got "AWS"',
    ],
    [
      'a missing bucket',
      { ...EXPORT, bucket: undefined },
      "'ownops.cost.awsDataExports[0].bucket'",
    ],
    [
      'a bucket that S3 would refuse',
      { ...EXPORT, bucket: 'Acme_Billing' },
      'ownops.cost.awsDataExports[0].bucket must be an S3 bucket name',
    ],
    [
      'a prefix with an empty folder',
      { ...EXPORT, prefix: 'focus//exports' },
      'ownops.cost.awsDataExports[0].prefix must not contain "//"',
    ],
    [
      'a missing export name',
      { ...EXPORT, exportName: undefined },
      "'ownops.cost.awsDataExports[0].exportName'",
    ],
    [
      'an export name with a slash',
      { ...EXPORT, exportName: 'focus/ownops' },
      "ownops.cost.awsDataExports[0].exportName must be the export's name",
    ],
    [
      'a missing region',
      { ...EXPORT, region: undefined },
      "'ownops.cost.awsDataExports[0].region'",
    ],
    [
      "a region that is not AWS's",
      { ...EXPORT, region: 'local' },
      'ownops.cost.awsDataExports[0].region must be the bucket\'s AWS region such as us-east-1, got "local"',
    ],
    [
      'a short account id',
      { ...EXPORT, accountId: '1234' },
      'ownops.cost.awsDataExports[0].accountId must be a 12-digit AWS account id',
    ],
    [
      'an endpoint that is not a URL',
      { ...EXPORT, endpoint: 'localhost:9000' },
      'ownops.cost.awsDataExports[0].endpoint must be an http(s) URL',
    ],
    [
      'an endpoint with credentials',
      { ...EXPORT, endpoint: 'https://key:secret@minio.example' },
      'ownops.cost.awsDataExports[0].endpoint must not hold credentials',
    ],
    [
      'a tag column without a tag key',
      { ...EXPORT, tagColumns: { x_CostCenter: ' ' } },
      'ownops.cost.awsDataExports[0].tagColumns.x_CostCenter must be the tag key',
    ],
    [
      'a timeout that is not a duration',
      { ...EXPORT, timeout: 'soon' },
      'Invalid ownops.cost.awsDataExports[0].timeout "soon"',
    ],
  ])('refuses %s, naming the key', (_, entry, message) => {
    expect(() => read([entry])).toThrow(message);
  });

  it('refuses an id used twice, naming both entries', () => {
    expect(() => read([EXPORT, { ...EXPORT, exportName: 'other' }])).toThrow(
      'ownops.cost.awsDataExports[1].id "aws-focus" is already used by ownops.cost.awsDataExports[0]; every cost source needs a unique id',
    );
  });

  it('refuses the id of a Cost Explorer source', () => {
    expect(() => read([EXPORT], ['aws-main', 'aws-focus'])).toThrow(
      'ownops.cost.awsDataExports[0].id "aws-focus" is already used by ownops.cost.aws[1]',
    );
  });
});
