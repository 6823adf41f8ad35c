/*
 * Starting a deploy: N sequential
 *
 *   POST /api/ownops/entities/component/default/<name>/deployments
 *   { environment: 'staging', version }
 *
 * on different components, as a guest user (user token), against the real
 * backend of bench/http/backend.ts. Each time runs from sending the request
 * to the moment the no-op target `bench` has its deploy() called (same
 * process, one clock: performance.now()), so the target's own work is not
 * included. Also prints the time to the HTTP response. Goal: median under
 * 50 ms. Not a test: nothing is asserted.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/http/deploy-start.ts \
 *     [--postgres postgresql://postgres@127.0.0.1:5432] [--count 200] [--warmup 10] [--reuse] [--template <seeded PG database>]
 */
import { performance } from 'node:perf_hooks';
import {
  BenchBackend,
  componentName,
  option,
  startBenchBackend,
  waitForDeployCall,
} from './backend';

function percentile(sorted: number[], p: number): number {
  const index = Math.min(
    sorted.length - 1,
    Math.max(0, Math.ceil((p / 100) * sorted.length) - 1),
  );
  return sorted[index];
}

/** N sequential deploys; prints the table. */
export async function measureDeployStart(
  backend: BenchBackend,
  count: number,
  warmup: number,
): Promise<void> {
  const toDeploy: number[] = [];
  const toResponse: number[] = [];
  const run = `${Date.now()}`;
  for (let i = 0; i < warmup + count; i++) {
    // Spread over the organisation, a different component each time.
    const name = componentName(((i * 37) % backend.components) + 1);
    const version = `bench-${run}-${i}`;
    const entityRef = `component:default/${name}`;
    const called = waitForDeployCall(entityRef, version);
    const sent = performance.now();
    const res = await fetch(
      `${backend.baseUrl}/api/ownops/entities/component/default/${name}/deployments`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${backend.userToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ environment: 'staging', version }),
      },
    );
    const answered = performance.now();
    const text = await res.text();
    if (res.status !== 201) {
      throw new Error(`POST for ${name}: ${res.status} ${text}`);
    }
    const at = await called;
    if (i >= warmup) {
      toDeploy.push(at - sent);
      toResponse.push(answered - sent);
    }
  }
  const line = (label: string, values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return `| ${label} | ${percentile(sorted, 50).toFixed(1)} | ${percentile(
      sorted,
      95,
    ).toFixed(1)} | ${percentile(sorted, 99).toFixed(1)} | ${sorted[
      sorted.length - 1
    ].toFixed(1)} |`;
  };
  console.log(
    `\nDeploy start — ${backend.database}, ${
      backend.components
    } components, ownops data ${
      backend.seeded ? 'seeded' : 'EMPTY'
    }, ${count} sequential deploys (after ${warmup} warm-up), one per component\n`,
  );
  console.log(
    '| from sending the request to | median ms | p95 ms | p99 ms | max ms |',
  );
  console.log('|---|---|---|---|---|');
  console.log(line("the target's deploy() call", toDeploy));
  console.log(line('the HTTP response', toResponse));
}

async function main() {
  const backend = await startBenchBackend({
    postgres: option('postgres'),
    seed: !process.argv.includes('--no-seed'),
    reuse: process.argv.includes('--reuse'),
    template: option('template'),
    keepCatalog: process.argv.includes('--keep-catalog'),
  });
  try {
    await measureDeployStart(
      backend,
      Number(option('count') ?? 200),
      Number(option('warmup') ?? 10),
    );
  } finally {
    await backend.stop();
  }
  process.exit(0);
}

if (require.main === module) {
  main().catch(error => {
    console.error(error);
    process.exit(1);
  });
}
