/*
 * Two real backend replicas on one PostgreSQL database: one deployment per
 * entity and environment, a replica killed mid-deploy, scheduled work once
 * per cadence, and database connections cut under running work.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, deploy, guestToken } from './api';
import { ReplicaCluster } from './ReplicaCluster';
import { waitFor } from './waitFor';

jest.setTimeout(10 * 60_000);

const directory = mkdtempSync(join(tmpdir(), 'ownops-replicas-'));
const callsFile = join(directory, 'deploy-calls.txt');
const releaseDir = join(directory, 'release');
const focusDir = join(directory, 'focus');

const RECONCILE_EVERY_S = 2;
const STALE_AFTER_S = 6;

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

async function deploymentRow(id: number) {
  const [row] = await cluster.query<{
    id: string;
    status: string;
    runner_id: string | null;
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

beforeAll(async () => {
  mkdirSync(releaseDir, { recursive: true });
  mkdirSync(focusDir, { recursive: true });
  cluster = await ReplicaCluster.create({
    directory,
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
  // One after the other, as a rolling deploy would: plugins migrate their
  // databases at start-up, and Backstage's migrations do not lock.
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
});
