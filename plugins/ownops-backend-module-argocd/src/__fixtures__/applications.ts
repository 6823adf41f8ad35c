import { Entity } from '@backstage/catalog-model';

/**
 * Argo CD answers shaped as `GET /api/v1/applications/{name}` returns them
 * (v1alpha1Application in Argo CD's swagger; Kubernetes JSON, so int64 ids
 * are numbers and timestamps are whole seconds).
 */

export const ARGOCD_URL = 'https://argocd.example.com';
export const TOKEN = 'argocd-test-token-5f1c9e';
export const APP_URL = `${ARGOCD_URL}/api/v1/applications/checkout-staging`;

export const SHA_140 = '3f6c1a9b2d4e5f60718293a4b5c6d7e8f9a0b1c2';
export const SHA_150 = '9b8a7c6d5e4f30211f2e3d4c5b6a79880f1e2d3c';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** An application answer, loosely typed so tests can change any field. */
export interface ApplicationJson {
  metadata: Json;
  spec: Json;
  status: Json;
  operation?: Json;
}

const source = (targetRevision: string) => ({
  repoURL: 'https://github.com/example/checkout-deploy.git',
  path: 'overlays/staging',
  targetRevision,
});

const resources = [
  {
    version: 'v1',
    kind: 'Service',
    namespace: 'checkout',
    name: 'checkout',
    status: 'Synced',
    health: { status: 'Healthy' },
  },
  {
    version: 'v1',
    kind: 'ConfigMap',
    namespace: 'checkout',
    name: 'checkout-config',
    status: 'Synced',
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    namespace: 'checkout',
    name: 'checkout',
    status: 'Synced',
    health: { status: 'Healthy' },
  },
];

/** History as Argo CD keeps it: oldest first, ids growing. */
export const history = [
  {
    revision: SHA_140,
    deployedAt: '2026-11-20T10:00:41Z',
    id: 6,
    source: source('v1.4.0'),
    deployStartedAt: '2026-11-20T10:00:12Z',
    initiatedBy: { username: 'jane' },
  },
  {
    revision: SHA_150,
    deployedAt: '2026-11-24T15:31:02Z',
    id: 7,
    source: source('main'),
    deployStartedAt: '2026-11-24T15:30:40Z',
    initiatedBy: { automated: true },
  },
];

function syncOperation(revision: string, initiatedBy: object) {
  return {
    sync: {
      revision,
      syncOptions: [],
      syncStrategy: { hook: {} },
    },
    initiatedBy,
    retry: {},
  };
}

/** An application at rest: synced to 1.5.0, healthy, its last operation finished. */
export function application(): ApplicationJson {
  return {
    metadata: {
      name: 'checkout-staging',
      namespace: 'argocd',
      uid: '0a6f5a1e-7c4b-4f11-9b1e-2d5d7c3c6a10',
      resourceVersion: '184467',
      generation: 52,
      creationTimestamp: '2026-10-02T08:12:55Z',
    },
    spec: {
      source: source('main'),
      destination: {
        server: 'https://kubernetes.default.svc',
        namespace: 'checkout',
      },
      project: 'checkout',
      syncPolicy: { syncOptions: ['CreateNamespace=true'] },
    },
    status: {
      resources,
      sync: {
        status: 'Synced',
        comparedTo: {
          source: source('main'),
          destination: {
            server: 'https://kubernetes.default.svc',
            namespace: 'checkout',
          },
        },
        revision: SHA_150,
      },
      health: { status: 'Healthy', lastTransitionTime: '2026-11-24T15:31:30Z' },
      history,
      reconciledAt: '2026-11-27T04:40:02Z',
      operationState: {
        operation: syncOperation(SHA_150, { automated: true }),
        phase: 'Succeeded',
        message: 'successfully synced (all tasks run)',
        syncResult: {
          resources: resources.map((resource: Json) => ({
            ...resource,
            message: `${resource.kind.toLowerCase()}/${
              resource.name
            } unchanged`,
            hookPhase: 'Running',
            syncPhase: 'Sync',
          })),
          revision: SHA_150,
          source: source('main'),
        },
        startedAt: '2026-11-24T15:30:40Z',
        finishedAt: '2026-11-24T15:31:02Z',
      },
      sourceType: 'Kustomize',
      summary: { images: ['ghcr.io/example/checkout:1.5.0'] },
      controllerNamespace: 'argocd',
    },
  };
}

/** The application right after `POST …/sync`: the operation requested, not yet started. */
export function requested(
  revision: string,
  base = application(),
): ApplicationJson {
  return {
    ...base,
    operation: syncOperation(revision, { username: 'ownops' }),
  };
}

/** The application while (or after) Argo CD runs our operation. */
export function operating(
  revision: string,
  phase: string,
  options: {
    message?: string;
    synced?: number;
    health?: string;
    finishedAt?: string;
    startedAt?: string;
  } = {},
): ApplicationJson {
  const app = application();
  const done = phase !== 'Running' && phase !== 'Terminating';
  return {
    ...app,
    ...(done
      ? {}
      : { operation: syncOperation(revision, { username: 'ownops' }) }),
    status: {
      ...app.status,
      health: { status: options.health ?? 'Healthy' },
      operationState: {
        operation: syncOperation(revision, { username: 'ownops' }),
        phase,
        message: options.message,
        syncResult: {
          resources: app.status.resources
            .slice(0, options.synced ?? app.status.resources.length)
            .map((resource: Json) => ({ ...resource, syncPhase: 'Sync' })),
          revision,
          source: app.spec.source,
        },
        startedAt: options.startedAt ?? '2026-11-27T05:00:03Z',
        ...(done
          ? { finishedAt: options.finishedAt ?? '2026-11-27T05:00:31Z' }
          : {}),
      },
    },
  };
}

export function entity(annotations: Record<string, string> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'checkout',
      namespace: 'default',
      annotations: {
        'argocd/app-name': 'checkout-staging',
        'argocd/project-name': 'checkout',
        ...annotations,
      },
    },
    spec: { type: 'service', owner: 'group:default/team-checkout' },
  };
}
