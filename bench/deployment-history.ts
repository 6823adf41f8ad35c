/*
 * Deployment history benchmark: pages through BUSY_COMPONENT's deployments
 * with the store's cursor pagination (DatabaseDeploymentStore.list with
 * beforeId = the last id of the previous page, as the API's nextCursor),
 * all environments, page sizes 25 and 100, the first N pages (default 200),
 * on the seeded database(s) of bench/org/seed.ts. Prints p50/p99 per page.
 * Not a test: nothing is asserted.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/deployment-history.ts \
 *     [--sqlite /tmp/ownops-bench/org] [--postgres postgresql://postgres@127.0.0.1:5432 \
 *     --database ownops_bench_org] [--pages 200] [--passes 3] [--environment production]
 */
import { Knex } from 'knex';
import { DatabaseDeploymentStore } from '../plugins/ownops-backend/src/database/DatabaseDeploymentStore';
import { BUSY_COMPONENT_REF } from './org/entities';
import { eachDatabase, option } from './org/seed';
import { summarize, timeMs } from './org/stats';

async function benchDatabase(name: string, db: Knex) {
  const pages = Number(option('pages') ?? 200);
  const passes = Number(option('passes') ?? 3);
  const environment = option('environment');
  const store = await DatabaseDeploymentStore.createForTest(db);
  for (const limit of [25, 100]) {
    const walk = async (samples?: number[]) => {
      let beforeId: number | undefined;
      let read = 0;
      let page = 0;
      for (; page < pages; page++) {
        let items: Awaited<ReturnType<typeof store.list>> = [];
        const ms = await timeMs(async () => {
          items = await store.list(BUSY_COMPONENT_REF, {
            limit,
            beforeId,
            environment,
          });
        });
        samples?.push(ms);
        read += items.length;
        if (items.length < limit) break;
        beforeId = items[items.length - 1].id;
      }
      return { pages: page, read };
    };
    await walk(); // warm-up pass
    const samples: number[] = [];
    let last = { pages: 0, read: 0 };
    for (let pass = 0; pass < passes; pass++) {
      last = await walk(samples);
    }
    console.log(
      JSON.stringify({
        database: name,
        entity: BUSY_COMPONENT_REF,
        environment: environment ?? 'all',
        pageSize: limit,
        pagesPerPass: last.pages,
        deploymentsPerPass: last.read,
        msPerPage: summarize(samples),
      }),
    );
  }
}

async function main() {
  await eachDatabase(benchDatabase);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
