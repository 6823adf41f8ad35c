import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import {
  DEFAULT_OWNER_TAG_KEYS,
  decodeEntityRefTagValue,
} from '@ownops/backstage-plugin-common';
import { CostRecord, ProviderHttpClient } from '@ownops/backstage-plugin-node';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { OpenCostSourceConfig } from './config';
import { OpenCostCostSource } from './OpenCostCostSource';

const BASE = 'http://opencost.test:9003';
const SECRET = 'Bearer proxy-s3cret-value';
const NOW = new Date('2025-06-10T12:00:00Z');
const DAY_MS = 86_400_000;

const server = setupServer();
registerMswTestHooks(server);

/** One allocation as OpenCost documents it, with the given costs. */
function allocation(
  name: string,
  day: string,
  costs: Partial<Record<string, number>>,
) {
  const start = `${day}T00:00:00Z`;
  const end = new Date(Date.parse(start) + DAY_MS)
    .toISOString()
    .replace('.000', '');
  return {
    name,
    properties: { cluster: 'cluster-one' },
    window: { start, end },
    start,
    end,
    cpuCost: 0,
    gpuCost: 0,
    ramCost: 0,
    pvCost: 0,
    networkCost: 0,
    loadBalancerCost: 0,
    sharedCost: 0,
    externalCost: 0,
    totalCost: Object.values(costs).reduce((a, b) => a! + b!, 0),
    totalEfficiency: 0.4,
    ...costs,
  };
}

const CHECKOUT =
  'component.default.checkout-service/group.default.team-checkout/cc-1001/production';

/** The steps of 2025-06-01: every kind of key OpenCost produces. */
const JUNE_FIRST = {
  [CHECKOUT]: allocation(CHECKOUT, '2025-06-01', {
    cpuCost: 1.25,
    gpuCost: 0,
    ramCost: 0.5,
    pvCost: 1.5e-7,
    networkCost: 0.1,
    loadBalancerCost: 0.2,
  }),
  'component.default.billing/__unallocated__/__unallocated__/staging':
    allocation(
      'component.default.billing/__unallocated__/__unallocated__/staging',
      '2025-06-01',
      { sharedCost: 0.3, externalCost: 0.0000000001 },
    ),
  '__unallocated__/__unallocated__/__unallocated__/__unallocated__': allocation(
    '__unallocated__/__unallocated__/__unallocated__/__unallocated__',
    '2025-06-01',
    { cpuCost: 2 },
  ),
  __idle__: allocation('__idle__', '2025-06-01', { cpuCost: 3, ramCost: 1 }),
};

/** Answers every allocation request with one step per day of its window. */
function allocationHandler(requests: URL[]) {
  return http.get(`${BASE}/allocation`, ({ request }) => {
    const url = new URL(request.url);
    requests.push(url);
    const [from, to] = url.searchParams.get('window')!.split(',');
    const data = [];
    for (let t = Date.parse(from); t < Date.parse(to); t += DAY_MS) {
      const day = new Date(t).toISOString().slice(0, 10);
      data.push(
        day === '2025-06-01'
          ? JUNE_FIRST
          : { [CHECKOUT]: allocation(CHECKOUT, day, { cpuCost: 1 }) },
      );
    }
    return HttpResponse.json({ code: 200, data });
  });
}

function createSource(overrides: Partial<OpenCostSourceConfig> = {}) {
  const logger = mockServices.logger.mock();
  const config: OpenCostSourceConfig = {
    id: 'opencost-main',
    url: BASE,
    currency: 'EUR',
    headers: { Authorization: SECRET },
    timeoutMs: 5_000,
    lookbackDays: 62,
    ...overrides,
  };
  const source = new OpenCostCostSource({
    config,
    keys: DEFAULT_OWNER_TAG_KEYS,
    logger,
    now: () => NOW,
    http: new ProviderHttpClient({
      provider: 'OpenCost',
      retryBaseDelayMs: 1,
      maxRetries: 2,
      secrets: Object.values(config.headers),
      logger,
    }),
  });
  return { source, logger };
}

async function readAll(
  source: OpenCostCostSource,
  window = {
    start: new Date('2025-05-01T00:00:00Z'),
    end: new Date('2025-06-11T00:00:00Z'),
  },
): Promise<CostRecord[]> {
  const records: CostRecord[] = [];
  for await (const record of source.read(window)) {
    records.push(record);
  }
  return records;
}

function loggedText(logger: ReturnType<typeof mockServices.logger.mock>) {
  return JSON.stringify(
    [logger.info, logger.warn, logger.error, logger.debug].flatMap(
      fn => fn.mock.calls,
    ),
  );
}

describe('OpenCostCostSource', () => {
  it('asks for whole months in 7-day chunks with the owner labels aggregated, sending the headers', async () => {
    const requests: URL[] = [];
    const headers: Array<string | null> = [];
    server.use(
      http.get(`${BASE}/allocation`, ({ request }) => {
        headers.push(request.headers.get('authorization'));
      }),
      allocationHandler(requests),
    );
    const { source } = createSource();
    // The window starts mid-May: the whole of May is read anyway.
    await readAll(source, {
      start: new Date('2025-05-20T00:00:00Z'),
      end: new Date('2025-06-11T00:00:00Z'),
    });

    expect(requests.map(url => url.searchParams.get('window'))).toEqual([
      '2025-05-01T00:00:00Z,2025-05-08T00:00:00Z',
      '2025-05-08T00:00:00Z,2025-05-15T00:00:00Z',
      '2025-05-15T00:00:00Z,2025-05-22T00:00:00Z',
      '2025-05-22T00:00:00Z,2025-05-29T00:00:00Z',
      '2025-05-29T00:00:00Z,2025-06-01T00:00:00Z',
      '2025-06-01T00:00:00Z,2025-06-08T00:00:00Z',
      '2025-06-08T00:00:00Z,2025-06-11T00:00:00Z',
    ]);
    const first = requests[0].searchParams;
    expect(first.get('aggregate')).toBe(
      'label:backstage_entity,label:owner,label:cost_center,label:environment',
    );
    expect(first.get('step')).toBe('1d');
    expect(first.get('accumulate')).toBe('false');
    expect(headers).toEqual(Array(7).fill(SECRET));
  });

  it('turns each allocation, day and cost component into a record with the owner labels as tags', async () => {
    server.use(allocationHandler([]));
    const { source } = createSource();
    const records = await readAll(source);

    // 31 days of May and 10 of June with one compute record each, plus the
    // extra records of 1 June.
    const june1 = records.filter(
      r => r.chargePeriodStart === '2025-06-01T00:00:00Z',
    );
    expect(records).toHaveLength(40 + june1.length);
    expect(june1).toEqual([
      expect.objectContaining({
        chargePeriodEnd: '2025-06-02T00:00:00Z',
        billingPeriodStart: '2025-06-01T00:00:00Z',
        billedCost: '1.75',
        effectiveCost: '1.75',
        billingCurrency: 'EUR',
        serviceCategory: 'Compute',
        chargeCategory: 'Usage',
        resourceName: null,
        tags: {
          'backstage-entity': 'component.default.checkout-service',
          owner: 'group.default.team-checkout',
          'cost-center': 'cc-1001',
          environment: 'production',
        },
      }),
      expect.objectContaining({
        serviceCategory: 'Storage',
        billedCost: '0.00000015',
      }),
      expect.objectContaining({
        serviceCategory: 'Networking',
        billedCost: '0.3',
      }),
      expect.objectContaining({
        serviceCategory: 'Other',
        billedCost: '0.3',
        resourceName: null,
        tags: {
          'backstage-entity': 'component.default.billing',
          environment: 'staging',
        },
      }),
      expect.objectContaining({
        serviceCategory: 'Compute',
        billedCost: '2',
        resourceName: 'Kubernetes workloads without an entity or owner label',
        tags: {},
      }),
      expect.objectContaining({
        serviceCategory: 'Compute',
        billedCost: '4',
        resourceName: 'Kubernetes idle',
        tags: {},
      }),
    ]);
    expect(decodeEntityRefTagValue(june1[0].tags['backstage-entity'])).toBe(
      'component:default/checkout-service',
    );
    const may31 = records.find(
      r => r.chargePeriodStart === '2025-05-31T00:00:00Z',
    );
    expect(may31).toMatchObject({
      billingPeriodStart: '2025-05-01T00:00:00Z',
      billedCost: '1',
    });
  });

  it('does not read months OpenCost no longer fully holds', async () => {
    const requests: URL[] = [];
    server.use(allocationHandler(requests));
    const { source, logger } = createSource({ lookbackDays: 20 });
    const records = await readAll(source);

    expect(records.every(r => r.chargePeriodStart >= '2025-06')).toBe(true);
    expect(requests).toHaveLength(2);
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining('not reading 2025-05'),
    );
  });

  it('explains a 400 answer with OpenCost’s message', async () => {
    server.use(
      http.get(`${BASE}/allocation`, () =>
        HttpResponse.json(
          { code: 400, message: 'Bad Request: aggregate: invalid label' },
          { status: 400 },
        ),
      ),
    );
    const { source } = createSource();
    await expect(readAll(source)).rejects.toThrow(
      /OpenCost refused the allocation query of OpenCost source opencost-main \(http:\/\/opencost.test:9003\) for 2025-05-01T00:00:00Z,2025-05-08T00:00:00Z: Bad Request: aggregate: invalid label\. Check/,
    );
  });

  it('fails on a 200 answer whose code is not 200', async () => {
    server.use(
      http.get(`${BASE}/allocation`, () =>
        HttpResponse.json({ code: 500, message: 'error querying prometheus' }),
      ),
    );
    const { source } = createSource();
    await expect(readAll(source)).rejects.toThrow(
      'answered code 500: error querying prometheus',
    );
  });

  it('retries a 503 and then reads the answer', async () => {
    let calls = 0;
    const requests: URL[] = [];
    const answer = allocationHandler(requests);
    server.use(
      http.get(`${BASE}/allocation`, () => {
        calls += 1;
        if (calls === 1) {
          return HttpResponse.json(
            { code: 503, message: 'warming up' },
            { status: 503, headers: { 'retry-after': '0' } },
          );
        }
        return undefined;
      }),
      answer,
    );
    const { source, logger } = createSource();
    const records = await readAll(source);

    expect(calls).toBe(8);
    expect(requests).toHaveLength(7);
    expect(records.length).toBeGreaterThan(40);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('answered 503'),
    );
  });

  it('never puts a header secret in errors or logs', async () => {
    server.use(
      http.get(`${BASE}/allocation`, ({ request }) =>
        HttpResponse.json(
          {
            code: 500,
            message: `rejected ${request.headers.get('authorization')}`,
          },
          { status: 500 },
        ),
      ),
    );
    const { source, logger } = createSource();
    const error: Error = await readAll(source).then(
      () => new Error('no error'),
      e => e,
    );

    expect(error).toBeInstanceOf(Error);
    expect(error.message).toContain('rejected ***');
    expect(error.message).not.toContain(SECRET);
    expect(String((error as { cause?: Error }).cause?.message)).not.toContain(
      SECRET,
    );
    expect(logger.warn).toHaveBeenCalled();
    expect(loggedText(logger)).not.toContain('s3cret');
  });

  it('names the headers when the proxy refuses access', async () => {
    server.use(
      http.get(`${BASE}/allocation`, () =>
        HttpResponse.json({ message: 'forbidden' }, { status: 403 }),
      ),
    );
    const { source } = createSource();
    await expect(readAll(source)).rejects.toThrow(
      'Check ownops.cost.opencost[].headers',
    );
  });
});
