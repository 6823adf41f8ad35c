/*
 * Entity summary vs the catalog's entity read, on the same real backend in
 * the same run (bench/http/backend.ts): for 1, 16 and 64 connections,
 * autocannon against
 *
 *   GET /api/catalog/entities/by-name/component/default/<name>  (catalog)
 *   GET /api/bench-entity/component/default/<name>              (entity)
 *   GET /api/ownops/entities/component/default/<name>/summary   (summary)
 *
 * each after a warm-up, for a fixed duration, rotating over every component
 * name (autocannon setupRequest: request n reads component n mod N). `entity`
 * is a plugin route that only reads the entity through the catalog service
 * (bench/http/backend.ts): the floor under any route that does, the summary
 * included. Prints median, p99, req/s, non-2xx and the ratios to the catalog
 * read. Goal: summary no slower than 1.5x the catalog read. Not a test:
 * nothing is asserted.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/http/summary-vs-catalog.ts \
 *     [--postgres postgresql://postgres@127.0.0.1:5432] [--duration 15] [--warmup 3] \
 *     [--connections 1,16,64] [--components 10000] [--no-seed]
 *     [--reuse: keep the seeded ownops database of the previous run]
 *     [--template <seeded PG database to copy>] [--deploy-start [--count 200]: then
 *     bench/http/deploy-start.ts on the same backend]
 *     [--keep-catalog: keep the catalog's database of the previous run]
 *     [--as-user: the guest's user token instead of the static service token]
 *     [--endpoints catalog,entity,summary] [--cpu-profile <file.cpuprofile>: a V8 CPU
 *     profile of the process during the measured summary runs]
 */
import autocannon from 'autocannon';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { componentName, option, startBenchBackend } from './backend';
import { measureDeployStart } from './deploy-start';

type Endpoint = 'catalog' | 'entity' | 'summary';

interface Row {
  connections: number;
  endpoint: Endpoint;
  median: number;
  mean: number;
  p99: number;
  rps: number;
  non2xx: number;
  requests: number;
}

function run(
  url: string,
  headers: Record<string, string>,
  pathOf: (n: number) => string,
  connections: number,
  duration: number,
): Promise<autocannon.Result> {
  let n = Math.floor(Math.random() * 1_000_000);
  return autocannon({
    url,
    connections,
    duration,
    headers,
    requests: [
      {
        setupRequest: req => {
          n += 1;
          return { ...req, path: pathOf(n) };
        },
      },
    ],
  });
}

async function main() {
  const postgres = option('postgres');
  const duration = Number(option('duration') ?? 15);
  const warmup = Number(option('warmup') ?? 3);
  const levels = (option('connections') ?? '1,16,64').split(',').map(Number);
  const components = option('components')
    ? Number(option('components'))
    : undefined;
  const backend = await startBenchBackend({
    postgres,
    components,
    groups: option('groups') ? Number(option('groups')) : undefined,
    seed: !process.argv.includes('--no-seed'),
    reuse: process.argv.includes('--reuse'),
    template: option('template'),
    keepCatalog: process.argv.includes('--keep-catalog'),
  });
  const endpoints = (option('endpoints') ?? 'catalog,entity,summary').split(
    ',',
  ) as Endpoint[];
  // The static service token by default; --as-user: the guest's user token,
  // with which both endpoints ask the permission backend.
  const asUser = process.argv.includes('--as-user');
  const headers = asUser
    ? { authorization: `Bearer ${backend.userToken}` }
    : backend.serviceHeaders;
  const profileFile = option('cpu-profile');
  const profiler = profileFile ? new Session() : undefined;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
  }
  const count = backend.components;
  const paths: Record<Endpoint, (n: number) => string> = {
    entity: (n: number) =>
      `/api/bench-entity/component/default/${componentName((n % count) + 1)}`,
    summary: (n: number) =>
      `/api/ownops/entities/component/default/${componentName(
        (n % count) + 1,
      )}/summary`,
    catalog: (n: number) =>
      `/api/catalog/entities/by-name/component/default/${componentName(
        (n % count) + 1,
      )}`,
  };
  const rows: Row[] = [];
  try {
    for (const connections of levels) {
      for (const endpoint of endpoints) {
        await run(
          backend.baseUrl,
          headers,
          paths[endpoint],
          connections,
          warmup,
        );
        const profiled = profiler && endpoint === 'summary';
        if (profiled) await profiler.post('Profiler.start');
        const result = await run(
          backend.baseUrl,
          headers,
          paths[endpoint],
          connections,
          duration,
        );
        if (profiled) {
          const { profile } = await profiler.post('Profiler.stop');
          writeFileSync(
            profileFile!.replace(
              /(\.cpuprofile)?$/,
              `-${connections}.cpuprofile`,
            ),
            JSON.stringify(profile),
          );
        }
        rows.push({
          connections,
          endpoint,
          median: result.latency.p50,
          mean: result.latency.average,
          p99: result.latency.p99,
          rps: result.requests.average,
          non2xx: result.non2xx + result.errors + result.timeouts,
          requests: result.requests.total,
        });
        console.error(
          `${connections} connections, ${endpoint}: p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${result.requests.average} req/s, non-2xx ${result.non2xx}, errors ${result.errors}`,
        );
      }
    }
    if (process.argv.includes('--deploy-start')) {
      // Same backend, after the reads: bench/http/deploy-start.ts.
      await measureDeployStart(
        backend,
        Number(option('count') ?? 200),
        Number(option('deploy-warmup') ?? 10),
      );
    }
  } finally {
    await backend.stop();
  }

  console.log(
    `\nSummary vs catalog — ${
      backend.database
    }, ${count} components, ownops data ${
      backend.seeded ? 'seeded' : 'EMPTY'
    }, ${duration} s per run after ${warmup} s warm-up, names rotated per request, as ${
      asUser ? 'the guest user' : 'a service (static token)'
    }\n`,
  );
  console.log(
    '| connections | endpoint | median ms | mean ms | p99 ms | req/s | non-2xx | / catalog median (mean) | / catalog req/s |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const row of rows) {
    const catalog = rows.find(
      r => r.connections === row.connections && r.endpoint === 'catalog',
    );
    console.log(
      `| ${row.connections} | ${row.endpoint} | ${
        row.median
      } | ${row.mean.toFixed(2)} | ${row.p99} | ${row.rps.toFixed(0)} | ${
        row.non2xx
      } | ${
        row.endpoint !== 'catalog' && catalog ? ratiosOf(row, catalog) : ' | '
      } |`,
    );
  }
  process.exit(0);
}

function ratiosOf(summary: Row, catalog: Row): string {
  // autocannon reports whole milliseconds: a sub-millisecond catalog
  // median is 0, so the mean ratio is the one to read there.
  const median =
    catalog.median > 0
      ? `${(summary.median / catalog.median).toFixed(1)}x`
      : 'n/a';
  return `${median} (${(summary.mean / catalog.mean).toFixed(1)}x) | ${(
    summary.rps / catalog.rps
  ).toFixed(3)}x`;
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
