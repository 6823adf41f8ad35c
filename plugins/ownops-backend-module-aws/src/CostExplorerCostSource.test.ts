import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { DEFAULT_OWNER_TAG_KEYS } from '@ownops/backstage-plugin-common';
import { CostRecord } from '@ownops/backstage-plugin-node';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { EntityOwnership, OwnershipLookup } from './catalogOwners';
import { AwsCostSourceConfig } from './config';
import { createCostExplorerClient } from './costExplorerClient';
import { CostExplorerCostSource } from './CostExplorerCostSource';

const ENDPOINT = 'https://ce.us-east-1.amazonaws.com/';
const ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYTESTSECRET';
const NOW = new Date('2025-06-10T12:00:00Z');
const WINDOW = {
  start: new Date('2025-05-01T00:00:00Z'),
  end: new Date('2025-06-11T00:00:00Z'),
};

const server = setupServer();
registerMswTestHooks(server);

interface SentRequest {
  target: string;
  authorization: string;
  body: any;
}

const amount = (value: string) => ({ Amount: value, Unit: 'USD' });

function group(keys: [string, string], billed: string, effective = billed) {
  return {
    Keys: keys,
    Metrics: {
      UnblendedCost: amount(billed),
      AmortizedCost: amount(effective),
    },
  };
}

function day(start: string, end: string, groups: unknown[]) {
  return {
    TimePeriod: { Start: start, End: end },
    Total: {},
    Groups: groups,
    Estimated: false,
  };
}

/**
 * Cost Explorer as documented: GetTags over two pages, then answers per
 * query, the entity query for production over two pages.
 */
function costExplorer(
  sent: SentRequest[],
  answer?: (request: SentRequest) => Response | undefined,
) {
  return http.post(ENDPOINT, async ({ request }) => {
    const target = request.headers.get('x-amz-target') ?? '';
    const body = JSON.parse(await request.text());
    const entry = {
      target,
      authorization: request.headers.get('authorization') ?? '',
      body,
    };
    sent.push(entry);
    const custom = answer?.(entry);
    if (custom) return custom;
    const json = (data: Record<string, unknown>) =>
      HttpResponse.json(data, {
        headers: { 'content-type': 'application/x-amz-json-1.1' },
      });
    if (target === 'AWSInsightsIndexService.GetTags') {
      return json(
        body.NextPageToken
          ? { Tags: ['staging', ''], ReturnSize: 2, TotalSize: 3 }
          : {
              Tags: ['production'],
              NextPageToken: 'tags-2',
              ReturnSize: 1,
              TotalSize: 3,
            },
      );
    }
    const groupBy = body.GroupBy.map((g: { Key: string }) => g.Key).join(',');
    const env = JSON.stringify(body.Filter).includes('"production"');
    if (groupBy === 'backstage-entity,SERVICE' && env) {
      return json(
        body.NextPageToken
          ? {
              ResultsByTime: [
                day('2025-05-02', '2025-05-03', [
                  group(
                    [
                      'backstage-entity$component.default.checkout-service',
                      'Tax',
                    ],
                    '1.2E-7',
                  ),
                ]),
              ],
            }
          : {
              GroupDefinitions: body.GroupBy,
              ResultsByTime: [
                day('2025-05-01', '2025-05-02', [
                  group(
                    [
                      'backstage-entity$component.default.checkout-service',
                      'Amazon Elastic Compute Cloud - Compute',
                    ],
                    '40.35',
                    '38.1000000001',
                  ),
                  group(
                    ['backstage-entity$', 'Amazon Simple Storage Service'],
                    '9',
                  ),
                  group(
                    ['backstage-entity$unknown-service', 'AWS Lambda'],
                    '0',
                    '0',
                  ),
                ]),
              ],
              NextPageToken: 'page-2',
            },
      );
    }
    if (groupBy === 'owner,cost-center' && env) {
      return json({
        ResultsByTime: [
          day('2025-06-09', '2025-06-10', [
            group(['owner$group.default.team-a', 'cost-center$cc-1'], '-2.5'),
            group(['owner$', 'cost-center$'], '100'),
            group(['owner$team-b', 'cost-center$'], '3'),
          ]),
        ],
      });
    }
    if (groupBy === 'SERVICE,environment') {
      return json({
        ResultsByTime: [
          day('2025-05-31', '2025-06-01', [
            group(['Amazon CloudFront', 'environment$'], '0.5'),
            group(['AmazonCloudWatch', 'environment$staging'], '0.25'),
          ]),
        ],
      });
    }
    return json({ ResultsByTime: [day('2025-05-01', '2025-05-02', [])] });
  });
}

class FakeOwnership implements OwnershipLookup {
  readonly asked: string[][] = [];
  async ownershipOf(values: string[]) {
    this.asked.push(values);
    const result = new Map<string, EntityOwnership>();
    if (values.includes('component.default.checkout-service')) {
      result.set('component.default.checkout-service', {
        owner: 'group:default/team-checkout',
        costCenter: 'cc-1001',
      });
    }
    return result;
  }
}

async function createSource(overrides: Partial<AwsCostSourceConfig> = {}) {
  const config: AwsCostSourceConfig = {
    id: 'aws-main',
    region: 'us-east-1',
    billedMetric: 'UnblendedCost',
    effectiveMetric: 'AmortizedCost',
    timeoutMs: 5_000,
    maxAttempts: 3,
    ...overrides,
  };
  const credentials = DefaultAwsCredentialsManager.fromConfig(
    new ConfigReader({
      aws: {
        mainAccount: {
          accessKeyId: ACCESS_KEY_ID,
          secretAccessKey: SECRET_ACCESS_KEY,
        },
      },
    }),
  );
  const ownership = new FakeOwnership();
  const logger = mockServices.logger.mock();
  const source = new CostExplorerCostSource({
    config,
    keys: DEFAULT_OWNER_TAG_KEYS,
    client: await createCostExplorerClient(config, credentials),
    ownership: () => ownership,
    logger,
    now: () => NOW,
  });
  return { source, ownership, logger };
}

async function readAll(source: CostExplorerCostSource) {
  const records: CostRecord[] = [];
  for await (const record of source.read(WINDOW)) {
    records.push(record);
  }
  return records;
}

async function failureOf(source: CostExplorerCostSource): Promise<Error> {
  return readAll(source).then(
    () => new Error('no error'),
    error => error,
  );
}

const awsError = (type: string, message: string, status = 400) =>
  HttpResponse.json(
    { __type: type, message },
    {
      status,
      headers: { 'content-type': 'application/x-amz-json-1.1' },
    },
  );

describe('CostExplorerCostSource', () => {
  it('sends the documented queries for whole months, signed with the configured credentials', async () => {
    const sent: SentRequest[] = [];
    server.use(costExplorer(sent));
    const { source } = await createSource();
    await readAll(source);

    const period = { Start: '2025-05-01', End: '2025-06-11' };
    expect(sent[0]).toMatchObject({
      target: 'AWSInsightsIndexService.GetTags',
      body: { TimePeriod: period, TagKey: 'environment' },
    });
    expect(sent[1].body.NextPageToken).toBe('tags-2');
    expect(sent[0].authorization).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/\\d{8}/us-east-1/ce/aws4_request`,
      ),
    );

    const queries = sent.slice(2);
    expect(
      queries.every(
        q => q.target === 'AWSInsightsIndexService.GetCostAndUsage',
      ),
    ).toBe(true);
    const summary = queries.map(q => ({
      groupBy: q.body.GroupBy,
      filter: q.body.Filter,
      token: q.body.NextPageToken,
    }));
    const byEntity = [
      { Type: 'TAG', Key: 'backstage-entity' },
      { Type: 'DIMENSION', Key: 'SERVICE' },
    ];
    const byOwner = [
      { Type: 'TAG', Key: 'owner' },
      { Type: 'TAG', Key: 'cost-center' },
    ];
    const env = (value: string) => ({
      Tags: { Key: 'environment', Values: [value] },
    });
    const absent = (key: string) => ({
      Tags: { Key: key, MatchOptions: ['ABSENT'] },
    });
    expect(summary).toEqual([
      { groupBy: byEntity, filter: env('production') },
      { groupBy: byEntity, filter: env('production'), token: 'page-2' },
      {
        groupBy: byOwner,
        filter: { And: [absent('backstage-entity'), env('production')] },
      },
      { groupBy: byEntity, filter: env('staging') },
      {
        groupBy: byOwner,
        filter: { And: [absent('backstage-entity'), env('staging')] },
      },
      { groupBy: byEntity, filter: absent('environment') },
      {
        groupBy: byOwner,
        filter: { And: [absent('backstage-entity'), absent('environment')] },
      },
      {
        groupBy: [
          { Type: 'DIMENSION', Key: 'SERVICE' },
          { Type: 'TAG', Key: 'environment' },
        ],
        filter: {
          And: [
            absent('backstage-entity'),
            absent('owner'),
            absent('cost-center'),
          ],
        },
      },
    ]);
    for (const query of queries) {
      expect(query.body).toMatchObject({
        TimePeriod: period,
        Granularity: 'DAILY',
        Metrics: ['UnblendedCost', 'AmortizedCost'],
      });
    }
  });

  it('turns the groups into records with every owner tag it can carry', async () => {
    server.use(costExplorer([]));
    const { source, ownership, logger } = await createSource();
    const records = await readAll(source);

    expect(logger.info).toHaveBeenCalledWith(
      'AWS Cost Explorer source aws-main read 2025-05-01 to 2025-06-11 (end exclusive) in 10 requests, billed by AWS at $0.01 each',
    );

    expect(records).toEqual([
      expect.objectContaining({
        chargePeriodStart: '2025-05-01T00:00:00Z',
        chargePeriodEnd: '2025-05-02T00:00:00Z',
        billingPeriodStart: '2025-05-01T00:00:00Z',
        billedCost: '40.35',
        effectiveCost: '38.1000000001',
        billingCurrency: 'USD',
        serviceName: 'Amazon Elastic Compute Cloud - Compute',
        serviceCategory: 'Compute',
        chargeCategory: 'Usage',
        tags: {
          'backstage-entity': 'component.default.checkout-service',
          environment: 'production',
          owner: 'group:default/team-checkout',
          'cost-center': 'cc-1001',
        },
      }),
      expect.objectContaining({
        chargePeriodStart: '2025-05-02T00:00:00Z',
        billedCost: '0.00000012',
        serviceName: 'Tax',
        serviceCategory: 'Other',
        chargeCategory: 'Tax',
      }),
      expect.objectContaining({
        chargePeriodStart: '2025-06-09T00:00:00Z',
        billingPeriodStart: '2025-06-01T00:00:00Z',
        billedCost: '-2.5',
        serviceName: 'AWS (not split by service)',
        serviceCategory: 'Other',
        tags: {
          owner: 'group.default.team-a',
          'cost-center': 'cc-1',
          environment: 'production',
        },
      }),
      expect.objectContaining({
        billedCost: '3',
        tags: { owner: 'team-b', environment: 'production' },
      }),
      expect.objectContaining({
        chargePeriodStart: '2025-05-31T00:00:00Z',
        serviceName: 'Amazon CloudFront',
        serviceCategory: 'Networking',
        tags: {},
      }),
      expect.objectContaining({
        serviceName: 'AmazonCloudWatch',
        serviceCategory: 'Management and Governance',
        tags: { environment: 'staging' },
      }),
    ]);
    expect(ownership.asked[0]).toEqual([
      'component.default.checkout-service',
      'unknown-service',
    ]);
  });

  it('retries throttling and then reads on', async () => {
    const sent: SentRequest[] = [];
    let throttled = false;
    server.use(
      costExplorer(sent, () => {
        if (throttled) return undefined;
        throttled = true;
        return awsError('ThrottlingException', 'Rate exceeded');
      }),
    );
    const { source } = await createSource();
    const records = await readAll(source);

    expect(records).toHaveLength(6);
    expect(sent[0].target).toBe('AWSInsightsIndexService.GetTags');
    expect(sent[1].body).toEqual(sent[0].body);
  });

  it.each([
    ['LimitExceededException', 'raise maxAttempts'],
    [
      'AccessDeniedException',
      'grant the AWS credentials ce:GetCostAndUsage and ce:GetTags',
    ],
    ['DataUnavailableException', 'enable Cost Explorer'],
    ['BillExpirationException', 'lower ownops.cost.ingestion.lookbackMonths'],
  ])('explains %s', async (type, advice) => {
    const sent: SentRequest[] = [];
    server.use(costExplorer(sent, () => awsError(type, `${type} from AWS`)));
    const { source } = await createSource({ maxAttempts: 2 });
    const error = await failureOf(source);

    expect(error.message).toContain(
      `AWS Cost Explorer source aws-main: GetTags for environment failed with ${type}: ${type} from AWS; `,
    );
    expect(error.message).toContain(advice);
    // Only throttling is retried, and at most maxAttempts times.
    expect(sent).toHaveLength(type === 'LimitExceededException' ? 2 : 1);
  });

  it('never puts the secret access key in errors or logs', async () => {
    server.use(
      costExplorer([], ({ target }) =>
        target.endsWith('GetCostAndUsage')
          ? awsError('AccessDeniedException', 'User is not authorized', 403)
          : undefined,
      ),
    );
    const { source, logger } = await createSource();
    const error = await failureOf(source);

    expect(error.message).toContain('AccessDeniedException');
    const seen = JSON.stringify([
      error.message,
      String(error.stack),
      (error.cause as Error)?.message,
      [logger.info, logger.warn, logger.error].flatMap(fn => fn.mock.calls),
    ]);
    expect(seen).not.toContain(SECRET_ACCESS_KEY);
  });

  it('gives up on a request that takes longer than the timeout', async () => {
    server.use(
      http.post(ENDPOINT, async () => {
        await delay(5_000);
        return HttpResponse.json({});
      }),
    );
    const { source } = await createSource({ timeoutMs: 200, maxAttempts: 1 });
    const error = await failureOf(source);

    expect(error.message).toMatch(
      /GetTags for environment failed with TimeoutError: .*raise the timeout/,
    );
  });

  it('names the catalog when owners cannot be read', async () => {
    server.use(costExplorer([]));
    const { source, ownership } = await createSource();
    jest
      .spyOn(ownership, 'ownershipOf')
      .mockRejectedValue(new Error('connect ECONNREFUSED'));

    await expect(readAll(source)).rejects.toThrow(
      'AWS Cost Explorer source aws-main could not read entity owners from the catalog: connect ECONNREFUSED; check that the catalog backend is running',
    );
  });
});
