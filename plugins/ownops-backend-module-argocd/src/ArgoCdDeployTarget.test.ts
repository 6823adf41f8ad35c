import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { DeployRequest } from '@ownops/backstage-plugin-node';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  APP_URL,
  ARGOCD_URL,
  SHA_140,
  SHA_150,
  TOKEN,
  application,
  entity,
  operating,
  requested,
} from './__fixtures__/applications';
import { ArgoCdDeployTarget } from './ArgoCdDeployTarget';
import { ArgoCdInstanceConfig } from './config';
import { decodeHandle, encodeHandle } from './handle';

const server = setupServer();
registerMswTestHooks(server);

const instance: ArgoCdInstanceConfig = {
  id: 'argocd-staging',
  baseUrl: ARGOCD_URL,
  token: TOKEN,
  waitForHealthy: true,
  timeoutMs: 5_000,
};

const SHA_160 = 'c0ffee00d15ea5e5bada55deadbeef0123456789';
const signal = new AbortController().signal;

function setup(overrides: Partial<ArgoCdInstanceConfig> = {}) {
  const logger = mockServices.logger.mock();
  const target = new ArgoCdDeployTarget(
    { ...instance, ...overrides },
    { logger },
  );
  const lines: string[] = [];
  const context = {
    log: {
      info: (m: string) => lines.push(`info: ${m}`),
      error: (m: string) => lines.push(`error: ${m}`),
    },
    signal,
  };
  const loggedLines = () =>
    Object.values(logger)
      .filter(value => jest.isMockFunction(value))
      .flatMap(fn =>
        (fn as jest.Mock).mock.calls.map(call => JSON.stringify(call)),
      );
  return { target, context, lines, loggedLines };
}

function request(overrides: Partial<DeployRequest> = {}): DeployRequest {
  return {
    deploymentId: 12,
    kind: 'deploy',
    entity: entity(),
    entityRef: 'component:default/checkout',
    environment: 'staging',
    version: 'v1.6.0',
    ...overrides,
  };
}

/** Serves these application answers to GET, one per call, the last one repeatedly. */
function serveApplications(...answers: Array<object | (() => Response)>) {
  const seen: Request[] = [];
  server.use(
    http.get(APP_URL, ({ request: req }) => {
      seen.push(req);
      const answer = answers[Math.min(seen.length - 1, answers.length - 1)];
      return typeof answer === 'function'
        ? (answer as () => Response)()
        : HttpResponse.json(answer);
    }),
  );
  return seen;
}

function servePost(action: 'sync' | 'rollback', answer: () => Response) {
  const bodies: unknown[] = [];
  server.use(
    http.post(`${APP_URL}/${action}`, async ({ request: req }) => {
      expect(req.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
      bodies.push(await req.json());
      return answer();
    }),
  );
  return bodies;
}

const argoError = (status: number, message: string, code: number) =>
  HttpResponse.json({ error: message, code, message }, { status });

describe('ArgoCdDeployTarget.deploy', () => {
  it('syncs the application to the version and returns a self-contained handle', async () => {
    const { target, context, lines } = setup();
    const gets = serveApplications(application());
    const bodies = servePost('sync', () =>
      HttpResponse.json(requested(SHA_160)),
    );

    const result = await target.deploy(request(), context);

    expect(bodies).toEqual([
      {
        name: 'checkout-staging',
        revision: 'v1.6.0',
        prune: false,
        dryRun: false,
        syncOptions: { items: [] },
        project: 'checkout',
      },
    ]);
    expect(gets[0].headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(new URL(gets[0].url).searchParams.get('project')).toBe('checkout');
    expect(result.state).toBe('pending');
    const handle = decodeHandle(
      (result as { externalHandle: string }).externalHandle,
    );
    expect(handle).toEqual({
      instance: 'argocd-staging',
      app: { name: 'checkout-staging', project: 'checkout' },
      revision: 'v1.6.0',
      resolvedRevision: SHA_160,
      requestedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      after: {
        startedAt: '2026-11-24T15:30:40Z',
        finishedAt: '2026-11-24T15:31:02Z',
      },
    });
    expect((result as { externalHandle: string }).externalHandle).not.toContain(
      TOKEN,
    );
    expect(lines).toContain(
      'info: Syncing Argo CD application checkout-staging on argocd-staging to v1.6.0',
    );
  });

  it('uses the per-environment application, its namespace and the instance project', async () => {
    const { target, context } = setup({ project: 'platform' });
    const perEnvUrl = `${ARGOCD_URL}/api/v1/applications/checkout-prod`;
    const seen: URL[] = [];
    let synced: unknown;
    server.use(
      http.get(perEnvUrl, ({ request: req }) => {
        seen.push(new URL(req.url));
        return HttpResponse.json(application());
      }),
      http.post(`${perEnvUrl}/sync`, async ({ request: req }) => {
        synced = await req.json();
        return HttpResponse.json(requested(SHA_160));
      }),
    );
    const prodEntity = entity({
      'ownops.io/argocd-app-name.production': 'checkout-prod',
      'argocd/app-namespace': 'team-checkout',
    });
    delete prodEntity.metadata.annotations!['argocd/project-name'];

    await target.deploy(
      request({ entity: prodEntity, environment: 'production' }),
      context,
    );

    expect(seen[0].searchParams.get('appNamespace')).toBe('team-checkout');
    expect(seen[0].searchParams.get('project')).toBe('platform');
    expect(synced).toMatchObject({
      name: 'checkout-prod',
      appNamespace: 'team-checkout',
      project: 'platform',
    });
  });

  it('names the annotation to add when the entity has no application', async () => {
    const { target, context } = setup();
    const bare = entity();
    bare.metadata.annotations = {};
    await expect(
      target.deploy(request({ entity: bare }), context),
    ).rejects.toThrow(
      'component:default/checkout has no Argo CD application for staging: add the annotation "ownops.io/argocd-app-name.staging" (or "argocd/app-name" for every environment)',
    );
  });

  it('refuses to start while another operation runs, without syncing', async () => {
    const { target, context } = setup();
    serveApplications(
      operating(SHA_150, 'Running', {
        message: 'one or more tasks are running',
        synced: 1,
      }),
    );
    const bodies = servePost('sync', () =>
      HttpResponse.json(requested(SHA_160)),
    );

    const result = await target.deploy(request(), context);

    expect(result).toEqual({
      state: 'failed',
      reason:
        'Argo CD is already running an operation on checkout-staging (started by ownops, phase Running: one or more tasks are running); wait for it to finish or terminate it in Argo CD, then try again',
    });
    expect(bodies).toEqual([]);
  });

  it('warns that auto-sync moves the application back, and still syncs', async () => {
    const { target, context, lines } = setup();
    const app = application();
    app.spec.syncPolicy = { automated: { prune: true, selfHeal: true } };
    serveApplications(app);
    const bodies = servePost('sync', () =>
      HttpResponse.json(requested(SHA_160, app)),
    );

    const result = await target.deploy(request(), context);

    expect(result.state).toBe('pending');
    expect(bodies).toHaveLength(1);
    expect(lines).toContain(
      'info: Warning: auto-sync is enabled on checkout-staging and tracks main; Argo CD will move the application back to it unless spec.source.targetRevision is v1.6.0',
    );
  });

  it('does not warn when auto-sync is switched off with enabled: false', async () => {
    const { target, context, lines } = setup();
    const app = application();
    app.spec.syncPolicy = { automated: { enabled: false } };
    serveApplications(app);
    servePost('sync', () => HttpResponse.json(requested(SHA_160)));
    await target.deploy(request(), context);
    expect(lines.filter(line => line.includes('auto-sync'))).toEqual([]);
  });

  it('explains the refusal of a sync to another revision under auto-sync', async () => {
    const { target, context } = setup();
    const app = application();
    app.spec.syncPolicy = { automated: {} };
    serveApplications(app);
    servePost('sync', () =>
      argoError(
        400,
        'Cannot sync to v1.6.0: auto-sync currently set to main',
        9,
      ),
    );
    await expect(target.deploy(request(), context)).rejects.toThrow(
      'Argo CD refuses to sync checkout-staging to v1.6.0 while auto-sync is enabled and tracks another revision (Cannot sync to v1.6.0: auto-sync currently set to main); set spec.source.targetRevision to v1.6.0 in Git, or disable auto-sync, then deploy again',
    );
  });

  it('says the application is missing or unreadable on 403, without retrying', async () => {
    const { target, context } = setup();
    const gets = serveApplications(() =>
      argoError(403, 'permission denied', 7),
    );
    const error = await target.deploy(request(), context).catch(e => e);
    expect(error.message).toContain(
      'application checkout-staging not found in Argo CD argocd-staging or the token may not read it',
    );
    expect(error.message).toContain('Argo CD RBAC');
    expect(error.message).toContain('permission denied');
    expect(gets).toHaveLength(1);
  });

  it('asks to set the project when the entity and instance give none', async () => {
    const { target, context } = setup();
    const noProject = entity();
    delete noProject.metadata.annotations!['argocd/project-name'];
    serveApplications(() => argoError(403, 'permission denied', 7));
    await expect(
      target.deploy(request({ entity: noProject }), context),
    ).rejects.toThrow(
      /set argocd\/project-name \(or the instance's "project"\) so Argo CD can tell a missing application from a forbidden one/,
    );
  });

  it('retries a 503 and then succeeds', async () => {
    const { target, context } = setup();
    const gets = serveApplications(
      () => argoError(503, 'upstream connect error', 14),
      application(),
    );
    servePost('sync', () => HttpResponse.json(requested(SHA_160)));
    const result = await target.deploy(request(), context);
    expect(result.state).toBe('pending');
    expect(gets).toHaveLength(2);
  });

  it('waits as told by retry-after on 429, then succeeds', async () => {
    const { target, context } = setup();
    const gets = serveApplications(
      () =>
        HttpResponse.json(
          { error: 'too many requests', code: 8, message: 'too many requests' },
          { status: 429, headers: { 'retry-after': '0' } },
        ),
      application(),
    );
    servePost('sync', () => HttpResponse.json(requested(SHA_160)));
    expect((await target.deploy(request(), context)).state).toBe('pending');
    expect(gets).toHaveLength(2);
  });

  it('keeps the token out of errors, logs and handles', async () => {
    const { target, context, lines, loggedLines } = setup();
    serveApplications(
      () => argoError(503, `backend said token ${TOKEN} is odd`, 14),
      application(),
    );
    servePost('sync', () =>
      HttpResponse.json(
        {
          error: `invalid session: ${TOKEN}`,
          code: 16,
          message: `invalid session: ${TOKEN}`,
        },
        { status: 401 },
      ),
    );
    const error = await target.deploy(request(), context).catch(e => e);
    expect(error.message).toContain('did not accept the token');
    expect(error.message).toContain('invalid session: ***');
    expect(error.message).not.toContain(TOKEN);
    expect(JSON.stringify(error.body ?? {})).not.toContain(TOKEN);
    expect(loggedLines().length).toBeGreaterThan(0);
    expect(loggedLines().join('\n')).not.toContain(TOKEN);
    expect(lines.join('\n')).not.toContain(TOKEN);
  });
});

describe('ArgoCdDeployTarget.status', () => {
  const handleFor = (revision = 'v1.6.0', resolved = SHA_160) =>
    encodeHandle({
      instance: 'argocd-staging',
      app: { name: 'checkout-staging', project: 'checkout' },
      revision,
      resolvedRevision: resolved,
      requestedAt: new Date().toISOString(),
      after: {
        startedAt: '2026-11-24T15:30:40Z',
        finishedAt: '2026-11-24T15:31:02Z',
      },
    });

  it('follows the operation from requested to running, synced, progressing and healthy', async () => {
    const { target } = setup();
    serveApplications(
      requested(SHA_160),
      operating(SHA_160, 'Running', {
        synced: 1,
        message: 'one or more tasks are running',
      }),
      operating(SHA_160, 'Succeeded', {
        health: 'Progressing',
        message: 'successfully synced (all tasks run)',
      }),
      operating(SHA_160, 'Succeeded', { health: 'Healthy' }),
    );
    const handle = handleFor();
    const states = [];
    for (let i = 0; i < 4; i++) {
      states.push(await target.status(handle, { signal }));
    }
    expect(states).toEqual([
      {
        state: 'running',
        message:
          'Waiting for Argo CD to start the sync of checkout-staging to v1.6.0',
      },
      {
        state: 'running',
        message:
          'Syncing: 1/3 resources synced (one or more tasks are running)',
      },
      {
        state: 'running',
        message:
          'Synced; waiting for checkout-staging to become Healthy (now Progressing)',
      },
      { state: 'succeeded' },
    ]);
  });

  it("reports a failed operation with Argo CD's message", async () => {
    const { target } = setup();
    serveApplications(
      operating(SHA_160, 'Failed', {
        message:
          'one or more objects failed to apply, reason: Deployment.apps "checkout" is invalid: spec.template.spec.containers[0].image: Required value',
      }),
    );
    expect(await target.status(handleFor(), { signal })).toEqual({
      state: 'failed',
      reason:
        'Argo CD sync of checkout-staging to v1.6.0 failed: one or more objects failed to apply, reason: Deployment.apps "checkout" is invalid: spec.template.spec.containers[0].image: Required value',
    });
  });

  it('fails a synced application that turns Degraded, naming the resource', async () => {
    const { target } = setup();
    const degraded = operating(SHA_160, 'Succeeded', { health: 'Degraded' });
    degraded.status.resources = degraded.status.resources.map(
      (resource: { kind: string }) =>
        resource.kind === 'Deployment'
          ? {
              ...resource,
              health: {
                status: 'Degraded',
                message: 'Deployment "checkout" exceeded its progress deadline',
              },
            }
          : resource,
    );
    serveApplications(degraded);
    expect(await target.status(handleFor(), { signal })).toEqual({
      state: 'failed',
      reason:
        'checkout-staging is Degraded after the sync: Deployment checkout Degraded (Deployment "checkout" exceeded its progress deadline)',
    });
  });

  it('succeeds on the sync alone when waitForHealthy is off', async () => {
    const { target } = setup({ waitForHealthy: false });
    serveApplications(
      operating(SHA_160, 'Succeeded', { health: 'Progressing' }),
    );
    expect(await target.status(handleFor(), { signal })).toEqual({
      state: 'succeeded',
    });
  });

  it('does not take the earlier operation of the same revision for ours', async () => {
    const { target } = setup();
    serveApplications(requested(SHA_150));
    expect(
      await target.status(handleFor('v1.5.0', SHA_150), { signal }),
    ).toMatchObject({
      state: 'running',
      message: expect.stringMatching(/^Waiting for Argo CD to start/),
    });
  });

  it('fails when another operation ran instead of ours', async () => {
    const { target } = setup();
    const other = operating(SHA_150, 'Succeeded');
    other.status.operationState.operation.initiatedBy = { automated: true };
    serveApplications(other);
    expect(await target.status(handleFor(), { signal })).toEqual({
      state: 'failed',
      reason: `Argo CD ran another operation on checkout-staging instead (revision ${SHA_150}, started by auto-sync at 2026-11-27T05:00:03Z); deploy v1.6.0 again once it is done`,
    });
  });

  it('gives up on an operation Argo CD dropped before starting it', async () => {
    const { target } = setup();
    serveApplications(application());
    const stale = encodeHandle({
      ...decodeHandle(handleFor())!,
      requestedAt: new Date(Date.now() - 10 * 60_000).toISOString(),
    });
    expect(await target.status(stale, { signal })).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(
        /^Argo CD never started the sync of checkout-staging to v1.6.0 requested at /,
      ),
    });
  });

  it('keeps following through an Argo CD outage, but not a revoked token', async () => {
    const { target } = setup();
    serveApplications(() => argoError(503, 'upstream connect error', 14));
    expect(await target.status(handleFor(), { signal })).toEqual({
      state: 'running',
      message: expect.stringMatching(
        /^Argo CD "argocd-staging" answered 503 .*upstream connect error; asking again$/,
      ),
    });
    serveApplications(() => argoError(401, 'invalid session', 16));
    await expect(target.status(handleFor(), { signal })).rejects.toThrow(
      'did not accept the token',
    );
  });

  it('refuses a handle of another instance', async () => {
    const { target } = setup({ id: 'argocd-prod' });
    expect(await target.status(handleFor(), { signal })).toMatchObject({
      state: 'failed',
      reason: expect.stringContaining('"argocd-staging", not "argocd-prod"'),
    });
  });
});

describe('ArgoCdDeployTarget.rollback', () => {
  const restoreHandle = encodeHandle({
    instance: 'argocd-staging',
    app: { name: 'checkout-staging', project: 'checkout' },
    revision: 'v1.4.0',
    resolvedRevision: SHA_140,
    requestedAt: '2026-11-20T10:00:11.482Z',
    after: {
      startedAt: '2026-11-18T09:12:00Z',
      finishedAt: '2026-11-18T09:12:30Z',
    },
  });

  function withHistory() {
    const app = application();
    app.status.history = [
      {
        revision: SHA_140,
        deployedAt: '2026-11-10T08:00:30Z',
        id: 4,
        source: { targetRevision: 'v1.4.0' },
        deployStartedAt: '2026-11-10T08:00:02Z',
        initiatedBy: { username: 'sam' },
      },
      ...app.status.history,
      {
        revision: SHA_140,
        deployedAt: '2026-11-25T09:00:20Z',
        id: 8,
        source: { targetRevision: 'main' },
        deployStartedAt: '2026-11-25T09:00:01Z',
        initiatedBy: { username: 'sam' },
      },
    ];
    return app;
  }

  const AUTO_SYNC_REFUSAL =
    'Argo CD refuses rollbacks while auto-sync is enabled on checkout-staging: disable auto-sync, or deploy version v1.4.0 instead';

  function rollBack(
    target: ArgoCdDeployTarget,
    context: ReturnType<typeof setup>['context'],
    overrides: Partial<DeployRequest> = {},
  ) {
    return target.rollback(
      request({
        kind: 'rollback',
        version: 'v1.4.0',
        restoreHandle,
        ...overrides,
      }),
      context,
    );
  }

  it('rolls back to the history entry of the restored deployment and follows it', async () => {
    const { target, context, lines } = setup();
    serveApplications(
      withHistory(),
      operating(SHA_140, 'Running', { synced: 2 }),
      operating(SHA_140, 'Succeeded'),
    );
    const bodies = servePost('rollback', () =>
      HttpResponse.json(requested(SHA_140)),
    );

    const result = await rollBack(target, context);

    expect(bodies).toEqual([
      {
        name: 'checkout-staging',
        id: 6,
        prune: false,
        dryRun: false,
        project: 'checkout',
      },
    ]);
    expect(lines).toContain(
      `info: Rolling back Argo CD application checkout-staging on argocd-staging to history id 6 (revision ${SHA_140}, deployed 2026-11-20T10:00:41Z)`,
    );
    const handle = (result as { externalHandle: string }).externalHandle;
    expect(decodeHandle(handle)).toMatchObject({
      revision: 'v1.4.0',
      resolvedRevision: SHA_140,
    });
    expect(await target.status(handle, { signal })).toEqual({
      state: 'running',
      message: 'Syncing: 2/3 resources synced',
    });
    expect(await target.status(handle, { signal })).toEqual({
      state: 'succeeded',
    });
  });

  it('restores the newest entry of the version when Ownops did not deploy it', async () => {
    const { target, context } = setup();
    serveApplications(withHistory());
    const bodies = servePost('rollback', () =>
      HttpResponse.json(requested(SHA_140)),
    );
    await rollBack(target, context, {
      version: SHA_140.slice(0, 7),
      restoreHandle: undefined,
    });
    expect(bodies).toEqual([expect.objectContaining({ id: 8 })]);
  });

  it('refuses before calling Argo CD when auto-sync is enabled', async () => {
    const { target, context } = setup();
    const app = withHistory();
    app.spec.syncPolicy = { automated: { selfHeal: true } };
    serveApplications(app);
    const bodies = servePost('rollback', () =>
      HttpResponse.json(requested(SHA_140)),
    );
    expect(await rollBack(target, context)).toEqual({
      state: 'failed',
      reason: AUTO_SYNC_REFUSAL,
    });
    expect(bodies).toEqual([]);
  });

  it('says when the history entry is gone and suggests deploying the version', async () => {
    const { target, context } = setup();
    const app = application();
    app.spec.revisionHistoryLimit = 2;
    serveApplications(app);
    const bodies = servePost('rollback', () =>
      HttpResponse.json(requested(SHA_140)),
    );
    expect(
      await rollBack(target, context, {
        version: 'v1.3.0',
        restoreHandle: undefined,
      }),
    ).toEqual({
      state: 'failed',
      reason:
        'Argo CD no longer has the deployment of v1.3.0 in the history of checkout-staging (it keeps the last 2, spec.revisionHistoryLimit); deploy version v1.3.0 instead',
    });
    expect(bodies).toEqual([]);
  });

  it.each([
    [
      'rollback cannot be initiated when auto-sync is enabled',
      9,
      AUTO_SYNC_REFUSAL,
    ],
    [
      'application checkout-staging does not have deployment with id 6',
      3,
      'Argo CD no longer has the deployment of v1.4.0 in the history of checkout-staging (it keeps the last 10, spec.revisionHistoryLimit); deploy version v1.4.0 instead',
    ],
  ])("explains Argo CD's 400 %j", async (message, code, expected) => {
    const { target, context } = setup();
    serveApplications(withHistory());
    servePost('rollback', () => argoError(400, message, code));
    await expect(rollBack(target, context)).rejects.toThrow(expected);
  });
});

describe('ArgoCdDeployTarget.checkEntity', () => {
  it('names the annotation to add, and accepts an entity with an application', () => {
    const { target } = setup();
    expect(target.checkEntity(entity(), 'staging')).toBeUndefined();
    const bare = entity();
    bare.metadata.annotations = {};
    expect(target.checkEntity(bare, 'staging')).toBe(
      'component:default/checkout has no Argo CD application for staging: add the annotation "ownops.io/argocd-app-name.staging" (or "argocd/app-name" for every environment) with the application\'s name',
    );
  });
});

describe('ArgoCdDeployTarget.cancel', () => {
  const handle = () =>
    encodeHandle({
      instance: instance.id,
      app: { name: 'checkout-staging', project: 'shop' },
      revision: 'v1.6.0',
      requestedAt: '2026-11-27T10:00:00Z',
    });

  it('terminates the running operation of the application', async () => {
    const seen: Request[] = [];
    server.use(
      http.delete(`${APP_URL}/operation`, ({ request: req }) => {
        seen.push(req);
        return HttpResponse.json({});
      }),
    );
    const { target, context, lines } = setup();
    await target.cancel(handle(), context);
    expect(seen).toHaveLength(1);
    expect(new URL(seen[0].url).searchParams.get('project')).toBe('shop');
    expect(seen[0].headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(lines).toEqual([
      'info: Asked Argo CD to terminate the running operation of checkout-staging',
    ]);
  });

  it('says there was nothing to stop when the operation already ended', async () => {
    server.use(
      http.delete(`${APP_URL}/operation`, () =>
        argoError(
          400,
          'Unable to terminate operation. No operation is in progress',
          9,
        ),
      ),
    );
    const { target, context, lines } = setup();
    await target.cancel(handle(), context);
    expect(lines).toEqual([
      'info: Argo CD has no operation of checkout-staging running: nothing to stop',
    ]);
  });

  it('refuses a handle of another instance', async () => {
    const { target, context } = setup({ id: 'argocd-prod' });
    await expect(target.cancel(handle(), context)).rejects.toThrow(
      'is not the handle of an Argo CD operation of instance "argocd-prod"',
    );
  });
});

describe('ArgoCdDeployTarget.listHistory', () => {
  it('lists Argo CD history newest first with a link to the application', async () => {
    const { target } = setup();
    serveApplications(application());
    expect(
      await target.listHistory(entity(), 'staging', {
        signal,
        limit: 5,
      }),
    ).toEqual([
      {
        id: '7',
        version: SHA_150,
        status: 'succeeded',
        startedAt: '2026-11-24T15:30:40Z',
        finishedAt: '2026-11-24T15:31:02Z',
        initiatedBy: 'automated',
        url: `${ARGOCD_URL}/applications/argocd/checkout-staging`,
        description: 'targetRevision main',
      },
      {
        id: '6',
        version: SHA_140,
        status: 'succeeded',
        startedAt: '2026-11-20T10:00:12Z',
        finishedAt: '2026-11-20T10:00:41Z',
        initiatedBy: 'jane',
        url: `${ARGOCD_URL}/applications/argocd/checkout-staging`,
        description: 'targetRevision v1.4.0',
      },
    ]);
  });

  it('keeps to the limit', async () => {
    const { target } = setup();
    serveApplications(application());
    const listed = await target.listHistory(entity(), 'staging', {
      signal,
      limit: 1,
    });
    expect(listed.map(entry => entry.id)).toEqual(['7']);
  });
});
