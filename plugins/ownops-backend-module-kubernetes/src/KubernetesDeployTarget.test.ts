import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { DeployRequest } from '@ownops/backstage-plugin-node';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  API,
  createTarget,
  deployContext,
  deployment,
  entity,
  list,
  replicaSet,
  REPOSITORY,
  statusBody,
  TOKEN,
} from './__testUtils__/fixtures';
import { decodeRolloutHandle } from './rolloutHandle';

const DEPLOYMENTS = `${API}/apis/apps/v1/namespaces/:namespace/deployments`;
const DEPLOYMENT = `${DEPLOYMENTS}/:name`;
const REPLICA_SETS = `${API}/apis/apps/v1/namespaces/:namespace/replicasets`;

const server = setupServer();
registerMswTestHooks(server);

interface Recorded {
  method: string;
  url: URL;
  authorization: string | null;
  contentType: string | null;
  body?: unknown;
}

let requests: Recorded[];

beforeEach(() => {
  requests = [];
  server.events.on('request:start', async ({ request: incoming }) => {
    const text =
      incoming.method === 'PATCH' ? await incoming.clone().text() : '';
    requests.push({
      method: incoming.method,
      url: new URL(incoming.url),
      authorization: incoming.headers.get('authorization'),
      contentType: incoming.headers.get('content-type'),
      body: text ? JSON.parse(text) : undefined,
    });
  });
});

afterEach(() => server.events.removeAllListeners());

const patches = () => requests.filter(r => r.method === 'PATCH');

function request(overrides: Partial<DeployRequest> = {}): DeployRequest {
  return {
    deploymentId: 7,
    kind: 'deploy',
    entity: entity(),
    entityRef: 'component:default/checkout',
    environment: 'production',
    version: '1.5.0',
    previousVersion: '1.4.0',
    ...overrides,
  };
}

/** Serves the deployment list, then each GET of the Deployment in turn. */
function serveDeployment(current: object, ...later: object[]) {
  const reads = [...later];
  server.use(
    http.get(DEPLOYMENTS, () =>
      HttpResponse.json(list('DeploymentList', [current])),
    ),
    http.get(DEPLOYMENT, () =>
      HttpResponse.json(reads.length > 1 ? reads.shift() : reads[0] ?? current),
    ),
  );
}

const setImagePatch = (tag: string) => ({
  spec: {
    template: {
      spec: { containers: [{ name: 'app', image: `${REPOSITORY}:${tag}` }] },
    },
  },
});

const rolledOut = (generation: number, tag: string) =>
  deployment({ generation, tag });

describe('KubernetesDeployTarget.checkEntity', () => {
  it('names the annotations to add, without calling the cluster', () => {
    const { target } = createTarget();
    expect(
      target.checkEntity(
        entity({ 'backstage.io/kubernetes-namespace': 'shop' }),
        'production',
      ),
    ).toBeUndefined();
    expect(target.checkEntity(entity(), 'production')).toContain(
      'add the annotation ownops.io/kubernetes-namespace.production or backstage.io/kubernetes-namespace',
    );
    const bare = entity();
    bare.metadata.annotations = {};
    expect(createTarget('shop').target.checkEntity(bare, 'staging')).toBe(
      'component:default/checkout has neither a backstage.io/kubernetes-id nor a backstage.io/kubernetes-label-selector annotation; add one so Kubernetes target "k8s-prod" can find its Deployment',
    );
    expect(requests).toHaveLength(0);
  });
});

describe('KubernetesDeployTarget.deploy', () => {
  it('sets the image tag with a strategic merge patch and follows the rollout to success', async () => {
    const { target } = createTarget('shop');
    const progress = (status: object) =>
      deployment({ generation: 5, tag: '1.5.0', status: status as any });
    serveDeployment(
      deployment(),
      progress({
        observedGeneration: 4,
        replicas: 3,
        updatedReplicas: 0,
        availableReplicas: 3,
      }),
      progress({
        observedGeneration: 5,
        replicas: 4,
        updatedReplicas: 1,
        availableReplicas: 3,
      }),
      progress({
        observedGeneration: 5,
        replicas: 5,
        updatedReplicas: 3,
        availableReplicas: 3,
      }),
      progress({
        observedGeneration: 5,
        replicas: 3,
        updatedReplicas: 3,
        availableReplicas: 2,
      }),
      progress({
        observedGeneration: 5,
        replicas: 3,
        updatedReplicas: 3,
        availableReplicas: 3,
      }),
    );
    server.use(
      http.patch(DEPLOYMENT, () => HttpResponse.json(rolledOut(5, '1.5.0'))),
    );
    const { lines, context } = deployContext();

    const result = await target.deploy(request(), context);

    expect(result.state).toBe('pending');
    const [listCall, patch] = requests;
    expect(listCall.url.pathname).toBe(
      '/apis/apps/v1/namespaces/shop/deployments',
    );
    expect(listCall.url.searchParams.get('labelSelector')).toBe(
      'backstage.io/kubernetes-id=checkout',
    );
    expect(patch.url.pathname).toBe(
      '/apis/apps/v1/namespaces/shop/deployments/checkout',
    );
    expect(patch.contentType).toBe('application/strategic-merge-patch+json');
    expect(patch.authorization).toBe(`Bearer ${TOKEN}`);
    expect(patch.body).toEqual(setImagePatch('1.5.0'));
    expect(lines).toContain(
      `info: Setting the image of container "app" from ${REPOSITORY}:1.4.0 to ${REPOSITORY}:1.5.0`,
    );
    const handle = (result as { externalHandle: string }).externalHandle;
    expect(decodeRolloutHandle(handle)).toEqual({
      cluster: 'prod',
      namespace: 'shop',
      deployment: 'checkout',
      container: 'app',
      image: `${REPOSITORY}:1.5.0`,
      generation: 5,
    });

    const signal = new AbortController().signal;
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      statuses.push(await target.status(handle, { signal }));
    }
    expect(statuses).toEqual([
      {
        state: 'running',
        message:
          'Waiting for the rollout of Deployment "checkout" to be observed',
      },
      {
        state: 'running',
        message: 'Deployment "checkout": 1 of 3 new replicas updated',
      },
      {
        state: 'running',
        message: 'Deployment "checkout": 2 old replicas pending termination',
      },
      {
        state: 'running',
        message: 'Deployment "checkout": 2 of 3 updated replicas available',
      },
      { state: 'succeeded' },
    ]);
  });

  it('replaces a digest and keeps the registry port', async () => {
    const { target } = createTarget('shop');
    serveDeployment(
      deployment({
        containers: [
          {
            name: 'app',
            image: `${REPOSITORY}:1.4.0@sha256:${'a'.repeat(64)}`,
          },
        ],
      }),
    );
    server.use(
      http.patch(DEPLOYMENT, () => HttpResponse.json(rolledOut(5, '1.5.0'))),
    );
    await target.deploy(request(), deployContext().context);
    expect(patches()[0].body).toEqual(setImagePatch('1.5.0'));
  });

  it('succeeds without patching when the image already has the version', async () => {
    const { target } = createTarget('shop');
    serveDeployment(deployment({ tag: '1.5.0' }));
    const { lines, context } = deployContext();
    const result = await target.deploy(request(), context);
    expect(result.state).toBe('succeeded');
    expect(patches()).toHaveLength(0);
    expect(lines).toContain(
      `info: Container "app" of Deployment "checkout" already runs ${REPOSITORY}:1.5.0; nothing to change`,
    );
  });

  it('fails when the rollout exceeds its progress deadline', async () => {
    const { target } = createTarget('shop');
    const stuck = deployment({
      generation: 5,
      tag: '1.5.0',
      status: {
        observedGeneration: 5,
        replicas: 4,
        updatedReplicas: 1,
        availableReplicas: 3,
        conditions: [
          {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
            message: 'ReplicaSet "checkout-7f9c" has timed out progressing.',
          },
        ],
      },
    });
    serveDeployment(deployment(), stuck);
    server.use(
      http.patch(DEPLOYMENT, () => HttpResponse.json(rolledOut(5, '1.5.0'))),
    );
    const result = await target.deploy(request(), deployContext().context);
    const status = await target.status(
      (result as { externalHandle: string }).externalHandle,
      { signal: new AbortController().signal },
    );
    expect(status).toEqual({
      state: 'failed',
      reason: expect.stringContaining(
        'Deployment "checkout" exceeded its progress deadline (spec.progressDeadlineSeconds: 600 s): ReplicaSet "checkout-7f9c" has timed out progressing.',
      ),
    });
  });

  it('refuses a paused Deployment', async () => {
    const { target } = createTarget('shop');
    serveDeployment(deployment({ paused: true }));
    const result = await target.deploy(request(), deployContext().context);
    expect(result).toEqual({
      state: 'failed',
      reason: expect.stringContaining(
        'Deployment "checkout" in namespace "shop" is paused; resume it first (kubectl rollout resume deployment/checkout -n shop)',
      ),
    });
    expect(patches()).toHaveLength(0);
  });

  it('names the selector and namespace when no Deployment matches', async () => {
    const { target } = createTarget('shop');
    server.use(
      http.get(DEPLOYMENTS, () =>
        HttpResponse.json(list('DeploymentList', [])),
      ),
    );
    const result = await target.deploy(
      request({
        entity: entity({
          'backstage.io/kubernetes-label-selector': 'app=checkout,tier=web',
          'ownops.io/kubernetes-namespace.production': 'shop-prod',
        }),
      }),
      deployContext().context,
    );
    expect(result).toEqual({
      state: 'failed',
      reason:
        'No Deployment matches the label selector "app=checkout,tier=web" in namespace "shop-prod" of cluster "prod"; check the entity\'s annotations and that the Deployment carries those labels',
    });
    expect(requests[0].url.pathname).toBe(
      '/apis/apps/v1/namespaces/shop-prod/deployments',
    );
  });

  it('names the Deployments when several match', async () => {
    const { target } = createTarget();
    const other = deployment();
    other.metadata = { ...other.metadata, name: 'checkout-canary' };
    server.use(
      http.get(DEPLOYMENTS, () =>
        HttpResponse.json(list('DeploymentList', [deployment(), other])),
      ),
    );
    const result = await target.deploy(
      request({
        entity: entity({ 'backstage.io/kubernetes-namespace': 'shop' }),
      }),
      deployContext().context,
    );
    expect(result).toEqual({
      state: 'failed',
      reason: expect.stringContaining(
        '2 Deployments match the label selector "backstage.io/kubernetes-id=checkout" in namespace "shop" of cluster "prod" (checkout, checkout-canary)',
      ),
    });
  });

  it('asks for a namespace annotation when neither entity nor target names one', async () => {
    const { target } = createTarget();
    const result = await target.deploy(request(), deployContext().context);
    expect(result).toEqual({
      state: 'failed',
      reason: expect.stringContaining(
        'add the annotation ownops.io/kubernetes-namespace.production or backstage.io/kubernetes-namespace',
      ),
    });
    expect(requests).toHaveLength(0);
  });

  it('lists the containers when there are several and no annotation picks one', async () => {
    const { target } = createTarget('shop');
    const containers = [
      { name: 'app', image: `${REPOSITORY}:1.4.0` },
      { name: 'envoy', image: 'envoyproxy/envoy:v1.31.0' },
    ];
    serveDeployment(deployment({ containers }));
    const result = await target.deploy(request(), deployContext().context);
    expect(result).toEqual({
      state: 'failed',
      reason:
        'Deployment "checkout" has 2 containers (app, envoy); add the annotation ownops.io/kubernetes-container naming the one whose image tag is the version',
    });

    server.use(
      http.patch(DEPLOYMENT, () => HttpResponse.json(rolledOut(5, '1.5.0'))),
    );
    const picked = await target.deploy(
      request({ entity: entity({ 'ownops.io/kubernetes-container': 'app' }) }),
      deployContext().context,
    );
    expect(picked.state).toBe('pending');
    expect(patches()[0].body).toEqual(setImagePatch('1.5.0'));
  });

  it('refuses a version that cannot be an image tag', async () => {
    const { target } = createTarget('shop');
    const result = await target.deploy(
      request({ version: '1.5.0;rm' }),
      deployContext().context,
    );
    expect(result).toEqual({
      state: 'failed',
      reason: expect.stringContaining('"1.5.0;rm" cannot be an image tag'),
    });
    expect(requests).toHaveLength(0);
  });

  it('says which RBAC rule is missing on 403 Forbidden, without retrying', async () => {
    const { target, logger } = createTarget('shop');
    serveDeployment(deployment());
    server.use(
      http.patch(DEPLOYMENT, () =>
        HttpResponse.json(
          statusBody(
            403,
            'Forbidden',
            'deployments.apps "checkout" is forbidden: User "system:serviceaccount:backstage:ownops" cannot patch resource "deployments" in API group "apps" in the namespace "shop"',
          ),
          { status: 403 },
        ),
      ),
    );
    const { lines, context } = deployContext();
    const result = await target.deploy(request(), context);
    expect(result).toEqual({
      state: 'failed',
      reason: expect.stringContaining(
        'Kubernetes cluster "prod" does not allow the service account to patch deployments in namespace "shop": deployments.apps "checkout" is forbidden',
      ),
    });
    expect((result as { reason: string }).reason).toContain(
      'verbs ["get", "list", "patch"]; apiGroups ["apps"], resources ["replicasets"], verbs ["list"]',
    );
    expect(patches()).toHaveLength(1);
    expect(logger.warn).not.toHaveBeenCalled();
    expect(lines.join('\n')).not.toContain(TOKEN);
  });

  it('retries a 503 and a 429 and then succeeds', async () => {
    const { target, logger } = createTarget('shop');
    const answers = [
      () =>
        HttpResponse.json(
          statusBody(
            503,
            'ServiceUnavailable',
            'the server is currently unable to handle the request',
          ),
          { status: 503 },
        ),
      () =>
        HttpResponse.json(
          statusBody(
            429,
            'TooManyRequests',
            'Too many requests, please try again later.',
          ),
          {
            status: 429,
            headers: { 'retry-after': '0' },
          },
        ),
    ];
    server.use(
      http.get(DEPLOYMENTS, () =>
        answers.length
          ? answers.shift()!()
          : HttpResponse.json(list('DeploymentList', [deployment()])),
      ),
      http.patch(DEPLOYMENT, () => HttpResponse.json(rolledOut(5, '1.5.0'))),
    );
    const result = await target.deploy(request(), deployContext().context);
    expect(result.state).toBe('pending');
    expect(requests.filter(r => r.method === 'GET')).toHaveLength(3);
    expect(logger.warn).toHaveBeenCalledTimes(2);
  });

  it('re-reads the Deployment and patches again once after a 409 Conflict', async () => {
    const { target } = createTarget('shop');
    serveDeployment(deployment(), deployment({ generation: 6, tag: '1.4.1' }));
    let conflicts = 0;
    server.use(
      http.patch(DEPLOYMENT, () =>
        conflicts++ === 0
          ? HttpResponse.json(
              statusBody(
                409,
                'Conflict',
                'Operation cannot be fulfilled on deployments.apps "checkout": the object has been modified; please apply your changes to the latest version and try again',
              ),
              { status: 409 },
            )
          : HttpResponse.json(rolledOut(7, '1.5.0')),
      ),
    );
    const { lines, context } = deployContext();
    const result = await target.deploy(request(), context);
    expect(result.state).toBe('pending');
    expect(patches()).toHaveLength(2);
    expect(lines).toContain(
      `info: Setting the image of container "app" from ${REPOSITORY}:1.4.1 to ${REPOSITORY}:1.5.0`,
    );
    expect(
      decodeRolloutHandle((result as { externalHandle: string }).externalHandle)
        .generation,
    ).toBe(7);
  });

  it('gives up after a second 409 Conflict', async () => {
    const { target } = createTarget('shop');
    serveDeployment(deployment());
    server.use(
      http.patch(DEPLOYMENT, () =>
        HttpResponse.json(
          statusBody(409, 'Conflict', 'the object has been modified'),
          { status: 409 },
        ),
      ),
    );
    const result = await target.deploy(request(), deployContext().context);
    expect(result).toEqual({
      state: 'failed',
      reason: expect.stringContaining(
        'answered 409 Conflict to PATCH https://k8s.test/apis/apps/v1/namespaces/shop/deployments/checkout: the object has been modified',
      ),
    });
    expect(patches()).toHaveLength(2);
  });

  it('never puts the token in errors, deploy logs, log lines or handles', async () => {
    const { target, logger } = createTarget('shop');
    const echo = `Unauthorized: invalid bearer token ${TOKEN}`;
    server.use(
      http.get(DEPLOYMENTS, () =>
        HttpResponse.json(statusBody(503, 'ServiceUnavailable', echo), {
          status: 503,
        }),
      ),
    );
    const { lines, context } = deployContext();
    const failed = await target.deploy(request(), context);
    expect(failed.state).toBe('failed');

    server.use(
      http.get(DEPLOYMENTS, () =>
        HttpResponse.json(statusBody(401, 'Unauthorized', echo), {
          status: 401,
        }),
      ),
    );
    const rejected = await target.deploy(request(), context);
    expect(rejected).toEqual({
      state: 'failed',
      reason: expect.stringContaining(
        'Kubernetes cluster "prod" rejected the service account token when trying to list deployments in namespace "shop"',
      ),
    });

    server.use(
      http.get(DEPLOYMENTS, () =>
        HttpResponse.json(list('DeploymentList', [deployment()])),
      ),
      http.patch(DEPLOYMENT, () => HttpResponse.json(rolledOut(5, '1.5.0'))),
    );
    const pending = await target.deploy(request(), context);

    const everything = JSON.stringify([
      failed,
      rejected,
      pending,
      lines,
      ...Object.values(logger).flatMap(fn =>
        jest.isMockFunction(fn) ? fn.mock.calls : [],
      ),
    ]);
    expect(everything).toContain('invalid bearer token ***');
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain('sa-token-secret');
  });
});

describe('KubernetesDeployTarget.status', () => {
  const handleFor = (image: string) =>
    JSON.stringify({
      v: 1,
      cluster: 'prod',
      namespace: 'shop',
      deployment: 'checkout',
      container: 'app',
      image,
      generation: 5,
    });
  const signal = new AbortController().signal;

  it('fails when someone else changed the image since', async () => {
    const { target } = createTarget('shop');
    serveDeployment(deployment(), deployment({ generation: 6, tag: '1.6.0' }));
    expect(
      await target.status(handleFor(`${REPOSITORY}:1.5.0`), { signal }),
    ).toEqual({
      state: 'failed',
      reason: `Deployment "checkout" in namespace "shop" of cluster "prod" was changed to ${REPOSITORY}:1.6.0 before this rollout of ${REPOSITORY}:1.5.0 finished; someone else deployed it`,
    });
  });

  it('fails when the Deployment was deleted', async () => {
    const { target } = createTarget('shop');
    server.use(
      http.get(DEPLOYMENT, () =>
        HttpResponse.json(
          statusBody(404, 'NotFound', 'deployments.apps "checkout" not found'),
          { status: 404 },
        ),
      ),
    );
    expect(
      await target.status(handleFor(`${REPOSITORY}:1.5.0`), { signal }),
    ).toEqual({
      state: 'failed',
      reason:
        'Deployment "checkout" in namespace "shop" of cluster "prod" no longer exists',
    });
  });

  it('rejects a handle that is not its own', async () => {
    const { target } = createTarget('shop');
    await expect(target.status('12345', { signal })).rejects.toThrow(
      'is not a rollout handle of the Ownops Kubernetes module',
    );
  });
});

describe('KubernetesDeployTarget.rollback', () => {
  const rollbackRequest = (version: string) =>
    request({ kind: 'rollback', version, previousVersion: '1.5.0' });

  function serveReplicaSets(items: object[]) {
    server.use(
      http.get(REPLICA_SETS, () =>
        HttpResponse.json(list('ReplicaSetList', items)),
      ),
    );
  }

  it("restores the newest earlier ReplicaSet running the version with kubectl's JSON patch", async () => {
    const { target } = createTarget('shop');
    const current = deployment({ generation: 9, revision: 5, tag: '1.5.0' });
    serveDeployment(current);
    serveReplicaSets([
      replicaSet(1, '1.3.0'),
      replicaSet(2, '1.4.0', {
        annotations: { 'example.com/note': 'first 1.4.0' },
      }),
      replicaSet(4, '1.4.0', {
        hash: '6c9f8d7b5f',
        annotations: { 'example.com/note': 'second 1.4.0' },
      }),
      replicaSet(5, '1.5.0'),
      // Matches the selector but belongs to another Deployment.
      replicaSet(6, '1.4.0', { ownerUid: 'someone-else' }),
    ]);
    server.use(
      http.patch(DEPLOYMENT, () =>
        HttpResponse.json(
          deployment({ generation: 10, revision: 6, tag: '1.4.0' }),
        ),
      ),
    );
    const { lines, context } = deployContext();

    const result = await target.rollback(rollbackRequest('1.4.0'), context);

    const rsList = requests.find(r => r.url.pathname.endsWith('/replicasets'))!;
    expect(rsList.url.pathname).toBe(
      '/apis/apps/v1/namespaces/shop/replicasets',
    );
    expect(rsList.url.searchParams.get('labelSelector')).toBe('app=checkout');
    const [patch] = patches();
    expect(patch.contentType).toBe('application/json-patch+json');
    expect(patch.body).toEqual([
      {
        op: 'replace',
        path: '/spec/template',
        value: {
          metadata: { labels: { app: 'checkout' } },
          spec: {
            containers: [
              {
                name: 'app',
                image: `${REPOSITORY}:1.4.0`,
                ports: [{ containerPort: 8080 }],
              },
            ],
            restartPolicy: 'Always',
          },
        },
      },
      {
        op: 'replace',
        path: '/metadata/annotations',
        value: {
          'deployment.kubernetes.io/revision': '5',
          'kubectl.kubernetes.io/last-applied-configuration':
            '{"kind":"Deployment"}',
          'kubernetes.io/change-cause': 'deploy 1.4.0',
          'example.com/note': 'second 1.4.0',
        },
      },
    ]);
    expect(lines).toContain(
      `info: Restoring revision 4 (ReplicaSet checkout-6c9f8d7b5f) of Deployment "checkout": container "app" goes from ${REPOSITORY}:1.5.0 to ${REPOSITORY}:1.4.0`,
    );
    expect(result.state).toBe('pending');
    expect(
      decodeRolloutHandle(
        (result as { externalHandle: string }).externalHandle,
      ),
    ).toMatchObject({
      image: `${REPOSITORY}:1.4.0`,
      generation: 10,
    });
  });

  it('changes nothing when the Deployment already runs the version', async () => {
    const { target } = createTarget('shop');
    serveDeployment(deployment({ revision: 5, tag: '1.4.0' }));
    const { lines, context } = deployContext();
    const result = await target.rollback(rollbackRequest('1.4.0'), context);
    expect(result.state).toBe('succeeded');
    expect(patches()).toHaveLength(0);
    expect(lines).toContain(
      `info: Container "app" of Deployment "checkout" already runs ${REPOSITORY}:1.4.0; nothing to change`,
    );
  });

  it('suggests deploying the version when its ReplicaSet is gone', async () => {
    const { target } = createTarget('shop');
    serveDeployment(deployment({ revision: 5, tag: '1.5.0' }));
    serveReplicaSets([replicaSet(4, '1.4.1'), replicaSet(5, '1.5.0')]);
    const result = await target.rollback(
      rollbackRequest('1.4.0'),
      deployContext().context,
    );
    expect(result).toEqual({
      state: 'failed',
      reason: `No earlier ReplicaSet of Deployment "checkout" runs ${REPOSITORY}:1.4.0 any more: Kubernetes keeps only spec.revisionHistoryLimit old ReplicaSets (revisions kept: 5, 4). Deploy version 1.4.0 instead`,
    });
    expect(patches()).toHaveLength(0);
  });

  it('refuses a paused Deployment', async () => {
    const { target } = createTarget('shop');
    serveDeployment(deployment({ revision: 5, tag: '1.5.0', paused: true }));
    serveReplicaSets([replicaSet(4, '1.4.0'), replicaSet(5, '1.5.0')]);
    const result = await target.rollback(
      rollbackRequest('1.4.0'),
      deployContext().context,
    );
    expect(result).toEqual({
      state: 'failed',
      reason: expect.stringContaining(
        'Deployment "checkout" in namespace "shop" is paused',
      ),
    });
    expect(patches()).toHaveLength(0);
  });

  it('says which RBAC rule is missing when ReplicaSets may not be listed', async () => {
    const { target } = createTarget('shop');
    serveDeployment(deployment({ revision: 5, tag: '1.5.0' }));
    server.use(
      http.get(REPLICA_SETS, () =>
        HttpResponse.json(
          statusBody(
            403,
            'Forbidden',
            'replicasets.apps is forbidden: User "system:serviceaccount:backstage:ownops" cannot list resource "replicasets" in API group "apps" in the namespace "shop"',
          ),
          { status: 403 },
        ),
      ),
    );
    const result = await target.rollback(
      rollbackRequest('1.4.0'),
      deployContext().context,
    );
    expect((result as { reason: string }).reason).toMatch(
      /^Kubernetes cluster "prod" does not allow the service account to list replicasets in namespace "shop"/,
    );
    expect(
      requests.filter(r => r.url.pathname.endsWith('/replicasets')),
    ).toHaveLength(1);
  });
});

describe('KubernetesDeployTarget.listHistory', () => {
  it('lists one entry per revision, newest first, across pages', async () => {
    const { target } = createTarget('shop');
    serveDeployment(deployment({ revision: 3, tag: '1.4.0' }));
    server.use(
      http.get(REPLICA_SETS, ({ request: req }) => {
        const page = new URL(req.url).searchParams.get('continue');
        return HttpResponse.json(
          page === 'page-2'
            ? list('ReplicaSetList', [replicaSet(3, '1.4.0')])
            : list(
                'ReplicaSetList',
                [replicaSet(1, '1.2.0'), replicaSet(2, '1.3.0')],
                'page-2',
              ),
        );
      }),
    );
    const history = await target.listHistory(entity(), 'production', {
      signal: new AbortController().signal,
      limit: 10,
    });
    expect(history).toEqual([
      {
        id: '3',
        version: '1.4.0',
        status: 'succeeded',
        startedAt: '2026-11-03T10:00:00Z',
        description: 'deploy 1.4.0',
      },
      {
        id: '2',
        version: '1.3.0',
        status: 'inactive',
        startedAt: '2026-11-02T10:00:00Z',
        description: 'deploy 1.3.0',
      },
      {
        id: '1',
        version: '1.2.0',
        status: 'inactive',
        startedAt: '2026-11-01T10:00:00Z',
        description: 'deploy 1.2.0',
      },
    ]);
    const pages = requests.filter(r => r.url.pathname.endsWith('/replicasets'));
    expect(pages.map(p => p.url.searchParams.get('continue'))).toEqual([
      null,
      'page-2',
    ]);
  });

  it('marks the current revision running while its rollout is in progress', async () => {
    const { target } = createTarget('shop');
    serveDeployment(
      deployment({
        revision: 2,
        tag: '1.3.0',
        status: {
          observedGeneration: 4,
          replicas: 4,
          updatedReplicas: 1,
          availableReplicas: 3,
        },
      }),
    );
    server.use(
      http.get(REPLICA_SETS, () =>
        HttpResponse.json(
          list('ReplicaSetList', [
            replicaSet(1, '1.2.0'),
            replicaSet(2, '1.3.0'),
          ]),
        ),
      ),
    );
    const history = await target.listHistory(entity(), 'production', {
      signal: new AbortController().signal,
      limit: 1,
    });
    expect(history).toEqual([
      expect.objectContaining({ id: '2', status: 'running' }),
    ]);
  });
});
