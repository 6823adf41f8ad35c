import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { DEFAULT_OWNER_TAG_KEYS } from '@ownops/backstage-plugin-common';
import { CostRecord, ProviderHttpClient } from '@ownops/backstage-plugin-node';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { everyText, inTurn } from '@ownops/backstage-plugin-node/testUtils';
import { randomUUID } from 'node:crypto';
import { OpenCostSourceConfig } from './config';
import { OpenCostCostSource } from './OpenCostCostSource';

const server = setupServer();
registerMswTestHooks(server);

jest.setTimeout(30_000);

const BASE = 'http://opencost.test:9003';
const TOKEN = 'proxy-t0ken-for-faults';
const NOW = new Date('2025-06-03T12:00:00Z');
const KEY =
  'component.default.checkout/group.default.team-checkout/cc-1/production';
const WINDOW = {
  start: new Date('2025-06-01T00:00:00Z'),
  end: new Date('2025-06-04T00:00:00Z'),
};

/** `GET /allocation` as OpenCost documents it: one step per day asked for. */
function allocations(url: URL) {
  const [from, to] = url.searchParams.get('window')!.split(',');
  const data = [];
  for (let t = Date.parse(from); t < Date.parse(to); t += 86_400_000) {
    const start = new Date(t).toISOString().replace('.000', '');
    const end = new Date(t + 86_400_000).toISOString().replace('.000', '');
    data.push({
      [KEY]: {
        name: KEY,
        window: { start, end },
        start,
        end,
        cpuCost: 1.5,
        ramCost: 0.25,
        totalCost: 1.75,
      },
    });
  }
  return HttpResponse.json({ code: 200, data });
}

type Answer = (url: URL) => Response | Promise<Response>;

/** OpenCost answering with the given answers in turn, the last one repeated. */
function openCost(...answers: Answer[]) {
  const allocation = inTurn(...answers);
  server.use(
    http.get(`${BASE}/allocation`, ({ request }) =>
      allocation(new URL(request.url)),
    ),
  );
  return allocation;
}

function source(token = TOKEN) {
  const logger = mockServices.logger.mock();
  const config: OpenCostSourceConfig = {
    id: 'opencost-main',
    url: BASE,
    currency: 'USD',
    headers: { Authorization: `Bearer ${token}` },
    timeoutMs: 200,
    lookbackDays: 30,
  };
  return {
    logger,
    source: new OpenCostCostSource({
      config,
      keys: DEFAULT_OWNER_TAG_KEYS,
      logger,
      now: () => NOW,
      // As the module builds it, with the configured timeout.
      http: new ProviderHttpClient({
        provider: 'OpenCost',
        timeoutMs: config.timeoutMs,
        secrets: Object.values(config.headers),
        logger,
      }),
    }),
  };
}

async function readAll(costSource: OpenCostCostSource) {
  const records: CostRecord[] = [];
  for await (const record of costSource.read(WINDOW)) {
    records.push(record);
  }
  return records;
}

describe('OpenCost faults', () => {
  it.each<[string, Answer[], RegExp]>([
    [
      'a 5xx, then the answer',
      [
        () =>
          HttpResponse.json(
            { code: 503, message: 'warming up' },
            { status: 503 },
          ),
        allocations,
      ],
      /^OpenCost answered 503 Service Unavailable to GET http:\/\/opencost\.test:9003\/allocation: warming up; retry 1 of 3 in 0\.\d s$/,
    ],
    [
      'a 429 with Retry-After, then the answer',
      [
        () =>
          HttpResponse.json(
            { message: 'slow down' },
            { status: 429, headers: { 'retry-after': '1' } },
          ),
        allocations,
      ],
      /^OpenCost answered 429 Too Many Requests .*: slow down; retry 1 of 3 in 1\.0 s$/,
    ],
  ])('reads every day after %s', async (_, answers, warning) => {
    const seen = openCost(...answers);
    const { source: costs, logger } = source();
    const records = await readAll(costs);
    // Three days of June, CPU and memory as compute: nothing lost.
    expect(records.map(r => [r.chargePeriodStart, r.billedCost])).toEqual([
      ['2025-06-01T00:00:00Z', '1.75'],
      ['2025-06-02T00:00:00Z', '1.75'],
      ['2025-06-03T00:00:00Z', '1.75'],
    ]);
    expect(seen.calls).toBe(2);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringMatching(warning));
  });

  it.each<[string, Answer, number, string | RegExp]>([
    [
      'hangs past the timeout',
      async () => {
        await delay('infinite');
        return HttpResponse.json({});
      },
      4,
      /OpenCost did not answer GET http:\/\/opencost\.test:9003\/allocation within 200 ms$/,
    ],
    [
      'asks to wait longer than allowed',
      () =>
        HttpResponse.json(
          { message: 'slow down' },
          { status: 429, headers: { 'retry-after': '600' } },
        ),
      1,
      /OpenCost answered 429 Too Many Requests to GET http:\/\/opencost\.test:9003\/allocation: slow down; it asks to wait 600 s \(until \d{4}-\d\d-\d\dT[\d:.]+Z\), try again then$/,
    ],
    [
      'answers with a body that is not JSON',
      () =>
        new HttpResponse(`<html>Bearer ${TOKEN} refused</html>`, {
          headers: { 'content-type': 'text/html' },
        }),
      1,
      'OpenCost answered http://opencost.test:9003/allocation with a body that is not JSON: "<html>*** refused</html>"',
    ],
    [
      'answers without a data list',
      () => HttpResponse.json({ code: 200, data: { steps: [] } }),
      1,
      'answered without a data list; is http://opencost.test:9003 the OpenCost API (port 9003)?',
    ],
    [
      'answers with a step that is not a map of allocations',
      () => HttpResponse.json({ code: 200, data: [['cpuCost', 1]] }),
      1,
      'answered a data list whose step 0 is not a map of allocations: ["cpuCost",1]',
    ],
    [
      'answers with an allocation of the wrong shape',
      () =>
        HttpResponse.json({
          code: 200,
          data: [{ [KEY]: { name: KEY, cpuCost: 1 } }],
        }),
      1,
      /answered an allocation Ownops does not understand \(step 0, key "component\.default\.checkout\/.*"\): allocation start undefined is not a time$/,
    ],
  ])(
    'fails the read, delivering nothing, when OpenCost %s',
    async (_, answer, calls, message) => {
      const seen = openCost(answer);
      const { source: costs, logger } = source();
      const delivered: CostRecord[] = [];
      const reading = (async () => {
        for await (const record of costs.read(WINDOW)) {
          delivered.push(record);
        }
      })();
      await expect(reading).rejects.toThrow(message);
      expect(delivered).toEqual([]);
      expect(seen.calls).toBe(calls);
      expect(
        JSON.stringify((logger.warn as jest.Mock).mock.calls),
      ).not.toContain(TOKEN);
    },
  );
});

describe('a canary header token', () => {
  it.each([401, 503, 200])(
    'stays out of errors and logs when OpenCost answers %s echoing the Authorization header',
    async status => {
      const canary = `canary-${randomUUID()}`;
      server.use(
        http.get(`${BASE}/allocation`, ({ request }) => {
          // Only the token, without "Bearer": a proxy may quote either.
          const echoed = request.headers
            .get('authorization')
            ?.replace('Bearer ', '');
          return status === 200
            ? HttpResponse.json({ code: 500, message: `token ${echoed}` })
            : HttpResponse.json(
                { code: status, message: `token ${echoed} refused` },
                { status },
              );
        }),
      );
      const { source: costs, logger } = source(canary);
      const error = await readAll(costs).catch(e => e);
      expect(error.message).toContain('token ***');
      const seen = everyText([error, logger.warn.mock.calls]);
      expect(seen).not.toContain(canary);
    },
  );
});
