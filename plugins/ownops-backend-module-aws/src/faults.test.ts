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
import { everyText } from '@ownops/backstage-plugin-node/testUtils';
import { randomUUID } from 'node:crypto';
import { AwsCostSourceConfig } from './config';
import { createCostExplorerClient } from './costExplorerClient';
import { CostExplorerCostSource } from './CostExplorerCostSource';

const server = setupServer();
registerMswTestHooks(server);

jest.setTimeout(60_000);

const ENDPOINT = 'https://ce.us-east-1.amazonaws.com/';
const SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYFAULTSSECRET';
const SESSION_TOKEN = 'IQoJb3JpZ2luX2VjEFaultsSessionToken0000';
const NOW = new Date('2025-06-02T12:00:00Z');
const WINDOW = {
  start: new Date('2025-06-01T00:00:00Z'),
  end: new Date('2025-06-03T00:00:00Z'),
};
const AMZ_JSON = { 'content-type': 'application/x-amz-json-1.1' };

const amount = (value: string) => ({ Amount: value, Unit: 'USD' });

/**
 * Cost Explorer as documented: no environment tags, and one day of Lambda
 * spend without owner tags (the query grouped by service).
 */
function documented(target: string, body: any) {
  if (target.endsWith('GetTags')) {
    return HttpResponse.json(
      { Tags: [], ReturnSize: 0, TotalSize: 0 },
      { headers: AMZ_JSON },
    );
  }
  if (body.GroupBy[0].Key !== 'SERVICE') {
    return HttpResponse.json({ ResultsByTime: [] }, { headers: AMZ_JSON });
  }
  return HttpResponse.json(
    {
      ResultsByTime: [
        {
          TimePeriod: { Start: '2025-06-01', End: '2025-06-02' },
          Total: {},
          Groups: [
            {
              Keys: ['AWS Lambda', 'environment$'],
              Metrics: {
                UnblendedCost: amount('1.25'),
                AmortizedCost: amount('1.25'),
              },
            },
          ],
          Estimated: false,
        },
      ],
    },
    { headers: AMZ_JSON },
  );
}

type Answer = (target: string, body: any) => Response | Promise<Response>;

/** Cost Explorer answering with the answers in turn (the last repeated). */
function costExplorer(...answers: Answer[]) {
  const targets: string[] = [];
  server.use(
    http.post(ENDPOINT, async ({ request }) => {
      const target = request.headers.get('x-amz-target') ?? '';
      const body = await request.json();
      const answer = answers[Math.min(targets.length, answers.length - 1)];
      targets.push(target);
      return answer(target, body);
    }),
  );
  return targets;
}

async function source(
  secrets: { secretAccessKey: string; sessionToken: string } = {
    secretAccessKey: SECRET_ACCESS_KEY,
    sessionToken: SESSION_TOKEN,
  },
) {
  const config: AwsCostSourceConfig = {
    id: 'aws-main',
    region: 'us-east-1',
    billedMetric: 'UnblendedCost',
    effectiveMetric: 'AmortizedCost',
    timeoutMs: 200,
    maxAttempts: 3,
  };
  const credentials = DefaultAwsCredentialsManager.fromConfig(
    new ConfigReader({
      aws: {
        mainAccount: {
          accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
          ...secrets,
        },
      },
    }),
  );
  const logger = mockServices.logger.mock();
  return {
    logger,
    source: new CostExplorerCostSource({
      config,
      keys: DEFAULT_OWNER_TAG_KEYS,
      client: await createCostExplorerClient(config, credentials),
      ownership: () => ({ ownershipOf: async () => new Map() }),
      logger,
      now: () => NOW,
    }),
  };
}

async function read(costs: CostExplorerCostSource) {
  const records: CostRecord[] = [];
  for await (const record of costs.read(WINDOW)) {
    records.push(record);
  }
  return records;
}

const awsError = (type: string, status: number, headers = {}) =>
  HttpResponse.json(
    { __type: type, message: `${type} happened` },
    { status, headers: { ...AMZ_JSON, ...headers } },
  );

describe('AWS Cost Explorer faults', () => {
  it.each<[string, Answer[]]>([
    ['a 5xx', [() => awsError('InternalServerException', 500), documented]],
    [
      'a 429 with Retry-After',
      [
        () => awsError('ThrottlingException', 429, { 'retry-after': '1' }),
        documented,
      ],
    ],
    [
      'a throttling 400',
      [() => awsError('ThrottlingException', 400), documented],
    ],
  ])('reads every day after %s', async (_, answers) => {
    const targets = costExplorer(...answers);
    const { source: costs } = await source();
    const records = await read(costs);
    expect(
      records.map(r => [r.chargePeriodStart, r.serviceName, r.billedCost]),
    ).toEqual([['2025-06-01T00:00:00Z', 'AWS Lambda', '1.25']]);
    // The refused request was sent again.
    expect(targets[1]).toBe(targets[0]);
  });

  it.each<[string, Answer, number, RegExp]>([
    [
      'hangs past the timeout',
      async () => {
        await delay('infinite');
        return HttpResponse.json({});
      },
      3,
      /^AWS Cost Explorer source aws-main: GetTags for environment failed with TimeoutError: .*raise the timeout/,
    ],
    [
      'asks to wait longer than allowed',
      () => awsError('ThrottlingException', 429, { 'retry-after': '3600' }),
      1,
      /^AWS Cost Explorer source aws-main: GetTags for environment failed with RetryAfterTooLong: Cost Explorer asks to wait 3600 s \(until \d{4}-\d\d-\d\dT[\d:.]+Z\), longer than the 30 s Ownops waits; the next scheduled run tries again/,
    ],
    [
      'answers with a body that is not JSON',
      () =>
        new HttpResponse(`<html>${SECRET_ACCESS_KEY} ${SESSION_TOKEN}</html>`, {
          headers: AMZ_JSON,
        }),
      1,
      /^AWS Cost Explorer source aws-main: GetTags for environment was answered with a body that is not JSON \(an outage or proxy page\?\); the next run tries again$/,
    ],
    [
      'answers with JSON of the wrong shape',
      (target: string, body: any) =>
        target.endsWith('GetTags')
          ? documented(target, body)
          : HttpResponse.json(
              { ResultsByTime: [{ Groups: 'AWS Lambda' }] },
              { headers: AMZ_JSON },
            ),
      2,
      /^AWS Cost Explorer source aws-main: GetCostAndUsage \(.*\) answered with a body Ownops does not understand: ResultsByTime\[0\]\.Groups is a string, not a list$/,
    ],
  ])(
    'fails the read clearly, delivering nothing, when Cost Explorer %s',
    async (_, answer, requests, message) => {
      const targets = costExplorer(answer);
      const { source: costs, logger } = await source();
      const delivered: CostRecord[] = [];
      const error = await (async () => {
        for await (const record of costs.read(WINDOW)) {
          delivered.push(record);
        }
      })().then(
        () => new Error('no error'),
        e => e as Error,
      );
      expect(error.message).toMatch(message);
      expect(delivered).toEqual([]);
      expect(targets).toHaveLength(requests);
      const seen = JSON.stringify([
        error.message,
        String(error.stack),
        (error.cause as Error)?.message,
        [logger.info, logger.warn, logger.error].flatMap(fn => fn.mock.calls),
      ]);
      // Not even the start of one.
      expect(seen).not.toContain(SECRET_ACCESS_KEY.slice(0, 4));
      expect(seen).not.toContain(SESSION_TOKEN.slice(0, 4));
    },
  );
});

describe('a canary secret access key', () => {
  it.each([
    ['UnrecognizedClientException', 400],
    ['InternalServerException', 500],
  ])(
    'stays out of errors and logs when Cost Explorer echoes it in a %s',
    async (type, status) => {
      const secretAccessKey = `canary-${randomUUID()}`;
      server.use(
        http.post(ENDPOINT, ({ request }) =>
          HttpResponse.json(
            {
              __type: type,
              message: `Credential ${request.headers.get(
                'authorization',
              )} is invalid (the secret is ${secretAccessKey})`,
            },
            { status, headers: AMZ_JSON },
          ),
        ),
      );
      const { source: costs, logger } = await source({
        secretAccessKey,
        sessionToken: SESSION_TOKEN,
      });
      const error = await read(costs).then(
        () => new Error('no error'),
        e => e as Error,
      );
      expect(error.message).toMatch(
        new RegExp(
          `failed with ${type}: Credential AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/.* is invalid \\(the secret is \\*\\*\\*\\)`,
        ),
      );
      const seen = everyText([
        error,
        logger.info.mock.calls,
        logger.warn.mock.calls,
        logger.error.mock.calls,
      ]);
      expect(seen).not.toContain(secretAccessKey);
    },
  );
});
