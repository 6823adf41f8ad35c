import { Entity } from '@backstage/catalog-model';
import { DeployRequest } from '@ownops/backstage-plugin-node';
import { CommandDeployTarget } from './CommandDeployTarget';
import { CommandTargetConfig } from './readCommandTargets';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout' },
  spec: {},
};

const request: DeployRequest = {
  deploymentId: 42,
  kind: 'deploy',
  entity,
  entityRef: 'component:default/checkout',
  environment: 'staging',
  version: '1.2.3',
  previousVersion: '1.2.2',
};

function target(overrides: Partial<CommandTargetConfig>) {
  return new CommandDeployTarget({
    id: 'local',
    command: [process.execPath, '-e', 'process.exit(0)'],
    timeoutMs: 10_000,
    env: {},
    ...overrides,
  });
}

function collect() {
  const lines: string[] = [];
  return {
    lines,
    log: {
      info: (m: string) => lines.push(`out: ${m}`),
      error: (m: string) => lines.push(`err: ${m}`),
    },
  };
}

describe('CommandDeployTarget', () => {
  it('passes the deployment as environment variables and streams output', async () => {
    const { lines, log } = collect();
    const result = await target({
      command: [
        process.execPath,
        '-e',
        `const e = process.env;
         console.log([e.OWNOPS_ACTION, e.OWNOPS_ENTITY_REF, e.OWNOPS_ENTITY_NAME, e.OWNOPS_ENVIRONMENT, e.OWNOPS_VERSION, e.OWNOPS_PREVIOUS_VERSION, e.OWNOPS_DEPLOYMENT_ID, e.EXTRA].join(' '));
         console.error('to stderr');`,
      ],
      env: { EXTRA: 'configured' },
    }).deploy(request, { log, signal: new AbortController().signal });
    expect(result).toEqual({ state: 'succeeded' });
    expect(lines).toContain(
      'out: deploy component:default/checkout checkout staging 1.2.3 1.2.2 42 configured',
    );
    expect(lines).toContain('err: to stderr');
  });

  it('never interprets arguments through a shell', async () => {
    const { lines, log } = collect();
    await target({
      command: [
        process.execPath,
        '-e',
        'console.log(process.argv.slice(1).join("|"))',
        '$(echo injected); echo also',
      ],
    }).deploy(request, { log, signal: new AbortController().signal });
    expect(lines).toContain('out: $(echo injected); echo also');
  });

  it('does not leak the backend environment', async () => {
    process.env.OWNOPS_TEST_SECRET = 'canary';
    try {
      const { lines, log } = collect();
      await target({
        command: [
          process.execPath,
          '-e',
          'console.log(String(process.env.OWNOPS_TEST_SECRET))',
        ],
      }).deploy(request, { log, signal: new AbortController().signal });
      expect(lines).toContain('out: undefined');
    } finally {
      delete process.env.OWNOPS_TEST_SECRET;
    }
  });

  it('fails with the exit code', async () => {
    const result = await target({
      command: [process.execPath, '-e', 'process.exit(3)'],
    }).deploy(request, { ...collect(), signal: new AbortController().signal });
    expect(result).toEqual({
      state: 'failed',
      reason: 'The deploy command exited with code 3',
    });
  });

  it('stops a command that outlives its timeout', async () => {
    const started = Date.now();
    const result = await target({
      command: [process.execPath, '-e', 'setTimeout(() => {}, 60000)'],
      timeoutMs: 300,
    }).deploy(request, { ...collect(), signal: new AbortController().signal });
    expect(result).toEqual({
      state: 'failed',
      reason: 'The deploy command timed out and was stopped',
    });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    const { lines, log } = collect();
    const pending = target({
      command: [
        process.execPath,
        '-e',
        'console.log("started"); setTimeout(() => {}, 60000)',
      ],
    }).deploy(request, { log, signal: controller.signal });
    await waitUntil(() => lines.includes('out: started'));
    controller.abort();
    expect(await pending).toEqual({
      state: 'failed',
      reason: 'The deploy command was cancelled',
    });
  });

  it('reports a program that cannot start', async () => {
    const result = await target({
      command: ['/nonexistent/deploy'],
    }).deploy(request, { ...collect(), signal: new AbortController().signal });
    expect(result).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(
        /could not start \(spawn \/nonexistent\/deploy ENOENT\)/,
      ),
    });
  });

  it('lists versions from the versions command, newest first', async () => {
    const versions = await target({
      versionsCommand: [
        process.execPath,
        '-e',
        'console.log("1.2.0\\tLatest " + process.env.OWNOPS_ENVIRONMENT + "\\n1.1.0\\n\\n")',
      ],
    }).listVersions(entity, 'staging', {
      signal: new AbortController().signal,
    });
    expect(versions).toEqual([
      { version: '1.2.0', description: 'Latest staging' },
      { version: '1.1.0' },
    ]);
  });

  it('explains a failing versions command', async () => {
    await expect(
      target({
        versionsCommand: [
          process.execPath,
          '-e',
          'console.error("registry down"); process.exit(2)',
        ],
      }).listVersions(entity, 'staging', {
        signal: new AbortController().signal,
      }),
    ).rejects.toThrow(
      'The versions command of deploy target "local" exited with code 2: registry down',
    );
  });
});

async function waitUntil(condition: () => boolean) {
  while (!condition()) {
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}
