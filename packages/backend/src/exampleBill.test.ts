import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  BudgetStatus,
  BudgetStatusList,
  EntityCost,
  EntitySummary,
} from '@ownops/backstage-plugin-common';
import ownopsPlugin from '@ownops/backstage-plugin-backend';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { parseAllDocuments } from 'yaml';

/**
 * The example bill (examples/cost/generate.mjs) is made for a day and read
 * as of a day (`ownops.cost.asOf`). Whatever the day, checkout-service
 * tells the story the README walks through: nothing this month on the 1st,
 * a forecast over its 1,500 USD budget from the 2nd, 80 % reached on the
 * 13th and 100 % on the 16th; the months before stay under budget.
 */

jest.setTimeout(120_000);

const REPO = resolve(__dirname, '../../..');
const GENERATOR = join(REPO, 'examples/cost/generate.mjs');
const FINANCE = 'user:default/guest';
const CHECKOUT = 'component:default/checkout-service';

/** The example org's entities, as the portal's catalog reads them. */
function exampleEntities(): Entity[] {
  return ['examples/entities.yaml', 'examples/org.yaml'].flatMap(file =>
    parseAllDocuments(readFileSync(join(REPO, file), 'utf8'))
      .map(document => document.toJSON() as Entity | null)
      .filter((entity): entity is Entity => !!entity?.kind),
  );
}

function makeBill(today: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'ownops-example-bill-'));
  const made = spawnSync(
    process.execPath,
    [GENERATOR, '--today', today, '--out', folder],
    { encoding: 'utf8' },
  );
  if (made.status !== 0) {
    throw new Error(`generate.mjs --today ${today} failed: ${made.stderr}`);
  }
  return folder;
}

/** An exact decimal string as an integer of 1e-10 units, for comparisons. */
function units(decimal: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d{1,10}))?$/.exec(decimal);
  if (!match) throw new Error(`not a decimal: ${decimal}`);
  const value = BigInt(match[2] + (match[3] ?? '').padEnd(10, '0'));
  return match[1] ? -value : value;
}

const BUDGET = units('1500');
/** The day of the month the cumulative USD cost first reaches `percent` of the budget. */
function crossingDay(cost: EntityCost, percent: bigint): number | undefined {
  const byDay = new Map<string, bigint>();
  for (const point of cost.series) {
    if (point.currency !== 'USD') continue;
    byDay.set(
      point.day,
      (byDay.get(point.day) ?? 0n) + units(point.effectiveCost),
    );
  }
  let sum = 0n;
  for (const day of [...byDay.keys()].sort()) {
    sum += byDay.get(day)!;
    if (sum * 100n >= percent * BUDGET) return Number(day.slice(8));
  }
  return undefined;
}

describe('the example bill, on any day', () => {
  const folders: string[] = [];
  afterAll(() => {
    for (const folder of folders) rmSync(folder, { recursive: true });
  });

  /** A backend that has ingested the bill made on `madeOn` and reads cost as of `asOf`. */
  async function portal(madeOn: string, asOf = madeOn) {
    const folder = makeBill(madeOn);
    folders.push(folder);
    const { server } = await startTestBackend({
      features: [
        ownopsPlugin,
        catalogServiceMock.factory({ entities: exampleEntities() }),
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        mockServices.rootConfig.factory({
          data: {
            ownops: {
              cost: {
                asOf,
                focusFiles: [{ id: 'example-focus', path: folder }],
                // The test ingests itself; no scheduled run or check meanwhile.
                ingestion: {
                  schedule: {
                    frequency: { hours: 6 },
                    timeout: { hours: 1 },
                    initialDelay: { hours: 6 },
                  },
                },
                budgetAlerts: {
                  schedule: {
                    frequency: { hours: 24 },
                    timeout: { hours: 1 },
                    initialDelay: { hours: 6 },
                  },
                },
              },
            },
          },
        }),
      ],
    });
    const get = async <T>(path: string): Promise<T> => {
      const response = await request(server)
        .get(`/api/ownops${path}`)
        .set('Authorization', mockCredentials.user.header(FINANCE));
      expect(response.status).toBe(200);
      return response.body as T;
    };
    const started = await request(server)
      .post('/api/ownops/cost/ingestion')
      .set('Authorization', mockCredentials.user.header(FINANCE))
      .send({});
    expect(started.status).toBe(202);
    for (let i = 0; ; i++) {
      const { sources } = await get<{
        sources: Array<{ lastRun: { status: string; error?: string } }>;
      }>('/cost/ingestion');
      const run = sources[0].lastRun;
      if (run.status === 'succeeded') break;
      if (run.status !== 'running' || i > 600) {
        throw new Error(`ingestion ${run.status}: ${run.error}`);
      }
      await new Promise(r => setTimeout(r, 50));
    }

    const budget = async (month?: string): Promise<BudgetStatus> => {
      const list = await get<BudgetStatusList>(
        `/budgets${month ? `?month=${month}` : ''}`,
      );
      const status = list.items.find(
        item => item.budget.entityRef === CHECKOUT,
      );
      expect(status).toBeDefined();
      return status!;
    };
    const cost = (from: string, to: string) =>
      get<EntityCost>(
        `/entities/component/default/checkout-service/cost?from=${from}&to=${to}`,
      );
    const summary = () =>
      get<EntitySummary>(
        '/entities/component/default/checkout-service/summary',
      );
    return { budget, cost, summary };
  }

  it('on the 1st of a month: no cost this month yet, last month whole and under budget', async () => {
    const { budget, summary } = await portal('2027-01-01');
    expect(await budget()).toMatchObject({
      month: '2027-01',
      monthToDate: '0',
      forecast: '0',
      dataThrough: null,
      thresholdsReached: [],
      state: 'ok',
    });
    const december = await budget('2026-12');
    expect(december).toMatchObject({ dataThrough: '2026-12-31', state: 'ok' });
    expect(december.forecast).toBe(december.monthToDate);

    const { cost } = await summary();
    expect(cost).toMatchObject({
      status: 'ok',
      data: { month: '2027-01', monthToDate: [] },
    });
  });

  it('on the 2nd: one day of the launch, and a forecast over the budget', async () => {
    const { budget, summary } = await portal('2027-01-02');
    const status = await budget();
    expect(status).toMatchObject({
      month: '2027-01',
      dataThrough: '2027-01-01',
      thresholdsReached: [],
      state: 'at-risk',
    });
    expect(units(status.monthToDate)).toBeGreaterThan(0n);
    expect(units(status.forecast)).toBeGreaterThan(BUDGET);

    const { cost } = await summary();
    expect(cost.status === 'ok' && cost.data.monthToDate).toEqual([
      expect.objectContaining({
        currency: 'USD',
        effectiveCost: status.monthToDate,
      }),
    ]);
  });

  it('on the 31st: over the budget since the 16th, 80 % since the 13th', async () => {
    const { budget, cost } = await portal('2027-01-31');
    const status = await budget();
    expect(status).toMatchObject({
      month: '2027-01',
      dataThrough: '2027-01-30',
      thresholdsReached: [50, 80, 100],
      state: 'over',
    });
    // One day (the 31st) is not billed yet, so the forecast adds to it.
    expect(units(status.forecast)).toBeGreaterThan(units(status.monthToDate));

    const january = await cost('2027-01-01', '2027-02-01');
    expect(crossingDay(january, 80n)).toBe(13);
    expect(crossingDay(january, 100n)).toBe(16);
  });

  it('on 29 February 2028: a 29-day month, over the budget, with the leap day still to come', async () => {
    const { budget, cost } = await portal('2028-02-29');
    const status = await budget();
    expect(status).toMatchObject({
      month: '2028-02',
      dataThrough: '2028-02-28',
      thresholdsReached: [50, 80, 100],
      state: 'over',
    });
    expect(units(status.forecast)).toBeGreaterThan(units(status.monthToDate));
    const february = await cost('2028-02-01', '2028-03-01');
    expect(crossingDay(february, 80n)).toBe(13);
    expect(crossingDay(february, 100n)).toBe(16);
    // The month before is a whole, ordinary month.
    expect(await budget('2028-01')).toMatchObject({
      dataThrough: '2028-01-31',
      state: 'ok',
    });
  });

  it('in a month the bill has not reached yet: no cost this month, the month before whole', async () => {
    // Made on 1 December, read on 7 December: the bill ends on 30 November.
    const { budget, summary } = await portal('2026-12-01', '2026-12-07');
    expect(await budget()).toMatchObject({
      month: '2026-12',
      monthToDate: '0',
      forecast: '0',
      dataThrough: null,
      state: 'ok',
    });
    const { cost } = await summary();
    expect(cost).toMatchObject({
      status: 'ok',
      data: { month: '2026-12', monthToDate: [] },
    });
    const november = await budget('2026-11');
    expect(november).toMatchObject({ dataThrough: '2026-11-30', state: 'ok' });
    expect(november.forecast).toBe(november.monthToDate);
  });
});
