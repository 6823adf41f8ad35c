/*
 * Two real backend replicas on one PostgreSQL database: one deployment per
 * entity and environment, a replica killed mid-deploy, scheduled work once
 * per cadence, and database connections cut under running work.
 */
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, deploy, guestToken } from './api';
import { Replica, ReplicaCluster } from './ReplicaCluster';
import { waitFor } from './waitFor';

jest.setTimeout(10 * 60_000);

const directory = mkdtempSync(join(tmpdir(), 'ownops-replicas-'));
const callsFile = join(directory, 'deploy-calls.txt');
const releaseDir = join(directory, 'release');
const focusDir = join(directory, 'focus');
const externalDir = join(directory, 'external');
/** A second cost source, empty until the test cuts the database under it. */
const bigFocusDir = join(directory, 'focus-big');
/** Rows of the export ingested while the database is cut: seconds of work. */
const BIG_ROWS = 100_000;

const RECONCILE_EVERY_S = 2;
const STALE_AFTER_S = 10;
const SCHEDULED_EVERY_S = 5;
const FOCUS_HEADER =
  'BilledCost,EffectiveCost,BillingCurrency,BillingPeriodStart,ChargePeriodStart,ChargePeriodEnd,ServiceName,ServiceCategory,ChargeCategory,ChargeClass,ResourceId,Tags';

let cluster: ReplicaCluster;
let token: string;

/** Lines the deploy command appended: `<deployment id> <version> <pid>`. */
function deployCalls(deploymentId?: number): string[] {
  let text = '';
  try {
    text = readFileSync(callsFile, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .filter(line =>
      deploymentId === undefined ? true : line.startsWith(`${deploymentId} `),
    );
}

/** Lets the waiting deploy command of a deployment finish. */
function release(deploymentId: number, verdict: 'succeed' | 'fail') {
  writeFileSync(join(releaseDir, String(deploymentId)), verdict);
}

/** Lines the external target's deploy() appended, for one deployment. */
function externalCalls(deploymentId: number): string[] {
  let text = '';
  try {
    text = readFileSync(join(externalDir, 'calls.txt'), 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').filter(line => line.startsWith(`${deploymentId} `));
}

async function deploymentRow(id: number) {
  const [row] = await cluster.query<{
    id: string;
    status: string;
    runner_id: string | null;
    external_handle: string | null;
    failure_reason: string | null;
  }>('SELECT * FROM ownops_deployments WHERE id = ?', [id]);
  return row;
}

function waitForStatus(id: number, statuses: string[], timeoutMs = 120_000) {
  return waitFor(
    `deployment #${id} to be ${statuses.join(' or ')}`,
    async () => {
      const row = await deploymentRow(id);
      return statuses.includes(row?.status) ? row : undefined;
    },
    timeoutMs,
  );
}

/** A FOCUS export: `rows` charges of 4.00 USD to a component today (UTC). */
function focusExport(rows: number, component: string): string {
  const today = new Date().toISOString().slice(0, 10);
  const tomorrow = new Date(Date.parse(today) + 86_400_000)
    .toISOString()
    .slice(0, 10);
  const tags = JSON.stringify({
    'backstage-entity': `component:default/${component}`,
  }).replace(/"/g, '""');
  const lines = Array.from({ length: rows }, (_, i) =>
    [
      '4.00',
      '4.00',
      'USD',
      `${today.slice(0, 7)}-01T00:00:00Z`,
      `${today}T00:00:00Z`,
      `${tomorrow}T00:00:00Z`,
      'Amazon Elastic Compute Cloud',
      'Compute',
      'Usage',
      '',
      `i-${i}`,
      `"${tags}"`,
    ].join(','),
  );
  return [FOCUS_HEADER, ...lines, ''].join('\n');
}

/** Starts of a scheduled task's runs on any replica, in epoch ms, in order. */
function taskStarts(taskId: string, since: number): number[] {
  return cluster.logs
    .filter(
      line =>
        line.taskRun === taskId &&
        String(line.message).includes(' started on replica '),
    )
    .map(line => Date.parse(String(line.timestamp)))
    .filter(at => at >= since)
    .sort((x, y) => x - y);
}

async function taskRuns(taskId: string) {
  const [row] = await cluster.query<{
    runs: number;
    last_outcome: string;
    last_started_at: string;
  }>(
    'SELECT runs, last_outcome, last_started_at FROM ownops_task_health WHERE task_id = ?',
    [taskId],
  );
  return row;
}

/** The replica whose runner id (host-pid-random) is `runnerId`. */
function replicaOf(runnerId: string) {
  const replica = [...cluster.replicas.values()].find(r =>
    runnerId.includes(`-${r.process.pid}-`),
  );
  if (!replica) {
    throw new Error(`No running replica has runner id ${runnerId}`);
  }
  return replica;
}

/** This replica's recent troubles, as GET /health reports them. */
async function troublesOf(replica: Replica): Promise<string[]> {
  const health = await call(replica, '/api/ownops/health');
  return (health.body.troubles ?? []).map(
    (trouble: { operation: string }) => trouble.operation,
  );
}

async function sortedRows(table: string) {
  const rows = await cluster.query(`SELECT * FROM ${table}`);
  return rows.map(row => JSON.stringify(row)).sort();
}

beforeAll(async () => {
  mkdirSync(releaseDir, { recursive: true });
  mkdirSync(focusDir, { recursive: true });
  mkdirSync(bigFocusDir, { recursive: true });
  mkdirSync(externalDir, { recursive: true });
  writeFileSync(join(focusDir, 'bill.csv'), focusExport(3, 'svc-cost'));
  const every = {
    frequency: { seconds: SCHEDULED_EVERY_S },
    timeout: { seconds: 60 },
    initialDelay: { seconds: 2 },
  };
  cluster = await ReplicaCluster.create({
    directory,
    externalDir,
    ownops: {
      deploy: {
        heartbeatInterval: { seconds: 1 },
        staleAfter: { seconds: STALE_AFTER_S },
        reconcilerSchedule: {
          frequency: { seconds: RECONCILE_EVERY_S },
          timeout: { seconds: 20 },
          initialDelay: { seconds: 1 },
        },
      },
      cost: {
        focusFiles: [
          { id: 'replica-focus', path: focusDir },
          { id: 'replica-big', path: bigFocusDir },
        ],
        ingestion: { schedule: every },
        budgetAlerts: { schedule: every },
      },
      commandTargets: [
        {
          id: 'replica-command',
          title: 'Replica tests command',
          command: [
            process.execPath,
            join(__dirname, 'fixtures/deployTarget.cjs'),
          ],
          versionsCommand: [
            process.execPath,
            join(__dirname, 'fixtures/versions.cjs'),
          ],
          env: {
            REPLICA_CALLS_FILE: callsFile,
            REPLICA_RELEASE_DIR: releaseDir,
          },
        },
      ],
    },
  });
  // One after the other, as a rolling deploy would: two backends starting
  // on an empty database both create knex's migration tables, and collide.
  await cluster.start('a');
  await cluster.start('b');
  token = await guestToken(cluster.replica('a'));
  for (const replica of cluster.replicas.values()) {
    await waitFor(`the catalog of replica ${replica.name}`, async () => {
      const res = await call(
        replica,
        '/api/catalog/entities/by-name/component/default/svc-cost',
      );
      return res.status === 200;
    });
  }
}, 10 * 60_000);

afterAll(async () => {
  await cluster?.destroy();
  // The logs stay for reading; the large export goes.
  rmSync(bigFocusDir, { recursive: true, force: true });
});

describe('two replicas on one PostgreSQL database', () => {
  it('runs one of simultaneous deploy requests sent to both, and answers the others 409 naming it', async () => {
    const replicas = [cluster.replica('a'), cluster.replica('b')];
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        deploy(replicas[i % 2], token, 'svc-race', '1.0.0'),
      ),
    );
    const created = answers.filter(answer => answer.status === 201);
    expect({
      statuses: answers.map(answer => answer.status).sort(),
      ...(created.length !== 1 && { answers }),
    }).toEqual({ statuses: [201, 409, 409, 409, 409, 409, 409, 409] });
    const winner = created[0].body.id as number;
    const losers = answers.filter(answer => answer !== created[0]);
    for (const loser of losers) {
      expect(loser.status).toBe(409);
      expect(loser.body.error.message).toContain(`Deployment #${winner} `);
    }

    await waitFor('the deploy command to start', async () =>
      deployCalls(winner).length === 1 ? true : undefined,
    );
    release(winner, 'succeed');
    await waitForStatus(winner, ['succeeded']);

    expect(deployCalls(winner)).toHaveLength(1);
    const rows = await cluster.query(
      "SELECT id FROM ownops_deployments WHERE entity_ref = 'component:default/svc-race'",
    );
    expect(rows).toHaveLength(1);
  });

  it('answers the same Idempotency-Key sent to both replicas at once with one deployment', async () => {
    const replicas = [cluster.replica('a'), cluster.replica('b')];
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        deploy(replicas[i % 2], token, 'svc-race', '1.0.4', {
          'idempotency-key': 'replica-tests-retry-1',
        }),
      ),
    );
    expect(answers.map(answer => answer.status).sort()).toEqual([
      200, 200, 200, 200, 200, 201,
    ]);
    const ids = new Set(answers.map(answer => answer.body.id));
    expect(ids.size).toBe(1);
    const [id] = [...ids] as number[];
    await waitFor('the deploy command to start', async () =>
      deployCalls(id).length === 1 ? true : undefined,
    );
    release(id, 'succeed');
    await waitForStatus(id, ['succeeded']);
    expect(deployCalls(id)).toHaveLength(1);
  });

  it('settles the deployment of a replica killed mid-deploy, frees the environment and audits it', async () => {
    const killed = cluster.replica('a');
    const started = await deploy(killed, token, 'svc-crash', '1.0.1');
    expect(started.status).toBe(201);
    const id = started.body.id as number;
    await waitFor('the deploy command to start', async () =>
      deployCalls(id).length === 1 ? true : undefined,
    );
    const running = await deploymentRow(id);
    expect(running.status).toBe('running');
    expect(running.runner_id).toContain(`-${killed.process.pid}-`);

    await cluster.kill('a', 'SIGKILL');

    const settled = await waitForStatus(id, [
      'succeeded',
      'failed',
      'cancelled',
    ]);
    expect(settled.status).toBe('failed');
    expect(settled.failure_reason).toMatch(/stopped before it finished/);
    const survivor = cluster.replica('b');
    const audit = await waitFor('the audit event of the settlement', async () =>
      survivor.logs.find(
        line =>
          line.eventId === 'deployment-settle' &&
          line.status === 'succeeded' &&
          (line.meta as any)?.deploymentId === id,
      ),
    );
    expect(audit.meta).toMatchObject({
      outcome: 'failed',
      reason: 'runner stopped',
      previousRunner: running.runner_id,
    });

    const next = await deploy(survivor, token, 'svc-crash', '1.0.2');
    expect(next.status).toBe(201);
    const nextId = next.body.id as number;
    await waitFor('the next deploy command to start', async () =>
      deployCalls(nextId).length === 1 ? true : undefined,
    );
    release(nextId, 'succeed');
    await waitForStatus(nextId, ['succeeded']);
    expect(deployCalls(id)).toHaveLength(1);

    // The other tests want two replicas again.
    await cluster.start('a');
  });

  it('follows the external deployment of a replica killed mid-deploy to the outcome the target reports', async () => {
    const killed = cluster.replica('b');
    const survivor = cluster.replica('a');
    const started = await deploy(killed, token, 'svc-external', '2.0.0');
    expect(started.status).toBe(201);
    const id = started.body.id as number;
    const running = await waitFor(
      'the hand-off to the external system',
      async () => {
        const row = await deploymentRow(id);
        return row.status === 'running' && row.external_handle
          ? row
          : undefined;
      },
    );
    expect(running.runner_id).toContain(`-${killed.process.pid}-`);

    await cluster.kill('b', 'SIGKILL');

    const adopted = await waitFor('the survivor to adopt it', async () =>
      survivor.logs.find(
        line =>
          line.eventId === 'deployment-adopt' &&
          line.status === 'succeeded' &&
          (line.meta as any)?.deploymentId === id,
      ),
    );
    expect(adopted.meta).toMatchObject({
      externalHandle: `run-${id}`,
      previousRunner: running.runner_id,
    });
    // Still running: the external system has not answered yet.
    expect((await deploymentRow(id)).status).toBe('running');
    writeFileSync(join(externalDir, `run-${id}`), 'succeed');
    const settled = await waitForStatus(id, [
      'succeeded',
      'failed',
      'cancelled',
    ]);
    expect(settled.status).toBe('succeeded');
    expect(settled.runner_id).toContain(`-${survivor.process.pid}-`);
    expect(externalCalls(id)).toHaveLength(1);

    await cluster.start('b');
  });

  it('runs scheduled ingestion and budget checks once per cadence across both, and a second run changes nothing', async () => {
    const replicas = [cluster.replica('a'), cluster.replica('b')];
    const budget = await call(
      replicas[0],
      '/api/ownops/entities/component/default/svc-cost/budget',
      {
        token,
        method: 'PUT',
        body: { amount: '10.00', currency: 'USD', thresholds: [50, 100] },
      },
    );
    expect(budget.status).toBe(200);
    const budgetSet = Date.now();

    // A budget check that started after the budget was set, and finished.
    const checked = await waitFor(
      'a budget check after the budget',
      async () => {
        const row = await taskRuns('ownops-budget-alerts');
        return Number(row?.last_started_at) >= budgetSet &&
          row.last_outcome === 'succeeded'
          ? row
          : undefined;
      },
      150_000,
    );
    const ingested = await waitFor(
      'a successful ingestion',
      async () => {
        const [row] = await cluster.query<{ count: string }>(
          "SELECT count(*) AS count FROM ownops_cost_ingestion_runs WHERE source = 'replica-focus' AND status = 'succeeded'",
        );
        return Number(row.count) > 0 ? Number(row.count) : undefined;
      },
      150_000,
    );
    const costs = await sortedRows('ownops_cost_daily');
    const alerts = await cluster.query<{ threshold: number }>(
      "SELECT * FROM ownops_budget_alerts WHERE entity_ref = 'component:default/svc-cost' ORDER BY threshold",
    );
    expect(costs.length).toBeGreaterThan(0);
    expect(alerts.map(alert => alert.threshold)).toEqual([50, 100]);

    // Two more runs of each: the same bill and the same month to date.
    await waitFor(
      'two more runs of ingestion and budget checks, four since the restart',
      async () => {
        const [row] = await cluster.query<{ count: string }>(
          "SELECT count(*) AS count FROM ownops_cost_ingestion_runs WHERE source = 'replica-focus' AND status = 'succeeded'",
        );
        const budgetRuns = await taskRuns('ownops-budget-alerts');
        return (
          Number(row.count) >= ingested + 2 &&
          taskStarts('ownops-cost-ingestion', cluster.lastStartedAt).length >=
            4 &&
          taskStarts('ownops-budget-alerts', cluster.lastStartedAt).length >=
            4 &&
          budgetRuns.runs >= checked.runs + 2 &&
          budgetRuns.last_outcome === 'succeeded'
        );
      },
      150_000,
    );
    expect(await sortedRows('ownops_cost_daily')).toEqual(costs);
    expect(
      await cluster.query(
        "SELECT * FROM ownops_budget_alerts WHERE entity_ref = 'component:default/svc-cost' ORDER BY threshold",
      ),
    ).toEqual(alerts);
    const runs = await cluster.query<{
      status: string;
      started_at: string;
      finished_at: string | null;
    }>(
      "SELECT status, started_at, finished_at FROM ownops_cost_ingestion_runs WHERE source = 'replica-focus' ORDER BY started_at",
    );
    expect(runs.filter(run => run.status === 'failed')).toEqual([]);

    // Once per cadence: replicas claim runs from one shared next run time,
    // moved a cadence on after each run, so n runs since both replicas
    // started span at least (n - 2) cadences (a second apart: log times);
    // each replica running its own would make about twice as many. And
    // never two at a time.
    for (const taskId of ['ownops-cost-ingestion', 'ownops-budget-alerts']) {
      const starts = taskStarts(taskId, cluster.lastStartedAt);
      expect(starts.length).toBeGreaterThanOrEqual(4);
      const span = starts[starts.length - 1] - starts[0];
      expect(starts.length).toBeLessThanOrEqual(
        Math.floor((span + 1000) / (SCHEDULED_EVERY_S * 1000)) + 2,
      );
    }
    for (let i = 1; i < runs.length; i++) {
      expect(Number(runs[i].started_at)).toBeGreaterThanOrEqual(
        Number(runs[i - 1].finished_at),
      );
    }
  });

  it('survives its database connections being cut during a deploy: retries, reports it in health, leaves no row stuck', async () => {
    const runner = cluster.replica('b');
    const started = await deploy(runner, token, 'svc-dbcut', '1.0.3');
    expect(started.status).toBe(201);
    const id = started.body.id as number;
    await waitFor('the deploy command to start', async () =>
      deployCalls(id).length === 1 ? true : undefined,
    );

    // An outage shorter than staleAfter: no replica may take the deploy over.
    await cluster.allowConnections(false);
    try {
      expect(await cluster.terminateConnections()).toBeGreaterThan(0);
      const down = await waitFor(
        'health to report the failed heartbeat',
        async () => {
          const health = await call(runner, '/api/ownops/health');
          return health.status === 503 &&
            (await troublesOf(runner)).includes(
              `heartbeat of deployment #${id}`,
            )
            ? health.body
            : undefined;
        },
      );
      expect(down).toMatchObject({
        status: 'down',
        database: { reachable: false },
        tasks: null,
      });
      release(id, 'succeed');
      await waitFor('settling to be retried', async () =>
        (await troublesOf(runner)).includes(`settling deployment #${id}`),
      );
    } finally {
      await cluster.allowConnections(true);
    }

    const settled = await waitForStatus(id, [
      'succeeded',
      'failed',
      'cancelled',
    ]);
    expect(settled.status).toBe('succeeded');
    expect(deployCalls(id)).toHaveLength(1);
    const health = await call(runner, '/api/ownops/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      status: 'degraded',
      database: { reachable: true },
    });
    expect(
      await cluster.query(
        "SELECT id FROM ownops_deployments WHERE status IN ('queued', 'running')",
      ),
    ).toEqual([]);
  });

  it('survives its database connections being cut during ingestion: the run ends, and the next one stores the whole export', async () => {
    writeFileSync(
      join(bigFocusDir, 'big.csv'),
      focusExport(BIG_ROWS, 'svc-dbcut'),
    );
    const run = await waitFor(
      'an ingestion of the big export to start',
      async () => {
        const [row] = await cluster.query<{ id: string }>(
          "SELECT id FROM ownops_cost_ingestion_runs WHERE source = 'replica-big' AND status = 'running'",
        );
        return row;
      },
      120_000,
      50,
    );
    const [task] = await cluster.query<{ last_replica: string }>(
      "SELECT last_replica FROM ownops_task_health WHERE task_id = 'ownops-cost-ingestion'",
    );
    const ingester = replicaOf(task.last_replica);

    await cluster.allowConnections(false);
    try {
      await cluster.terminateConnections();
      await waitFor(
        'the ingesting replica to retry recording the end of the run',
        async () =>
          (
            await troublesOf(ingester)
          ).includes(`recording the end of cost ingestion run ${run.id}`),
        120_000,
      );
    } finally {
      await cluster.allowConnections(true);
    }

    const ended = await waitFor('the run to end', async () => {
      const [row] = await cluster.query<{ status: string; error: string }>(
        'SELECT status, error FROM ownops_cost_ingestion_runs WHERE id = ?',
        [run.id],
      );
      return row.status === 'running' ? undefined : row;
    });
    expect(['succeeded', 'failed']).toContain(ended.status);
    await waitFor(
      'a later run to store the whole export',
      async () => {
        const [later] = await cluster.query(
          "SELECT id FROM ownops_cost_ingestion_runs WHERE source = 'replica-big' AND status = 'succeeded' AND id >= ?",
          [run.id],
        );
        return later !== undefined;
      },
      180_000,
    );
    const [total] = await cluster.query<{ units: string; nanos: string }>(
      "SELECT sum(billed_units) AS units, sum(billed_nanos) AS nanos FROM ownops_cost_daily WHERE source = 'replica-big'",
    );
    expect(Number(total.units) + Number(total.nanos) / 1e9).toBe(BIG_ROWS * 4);
    const stuck = await cluster.query<{ id: string }>(
      "SELECT id FROM ownops_cost_ingestion_runs WHERE status = 'running' AND id <= ?",
      [run.id],
    );
    expect(stuck).toEqual([]);
  });
});
