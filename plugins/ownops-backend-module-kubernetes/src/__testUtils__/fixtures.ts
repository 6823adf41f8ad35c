import { Entity } from '@backstage/catalog-model';
import { mockServices } from '@backstage/backend-test-utils';
import { DeployContext } from '@ownops/backstage-plugin-node';
import { KubernetesClusterConfig } from '../config/readKubernetesClusters';
import { KubernetesClient } from '../kubernetes/KubernetesClient';
import { Deployment, ReplicaSet } from '../kubernetes/types';
import { KubernetesDeployTarget } from '../KubernetesDeployTarget';

export const API = 'https://k8s.test';
export const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.sa-token-secret';
export const REPOSITORY = 'registry.example.com:5000/shop/checkout';
export const DEPLOYMENT_UID = '6b1c1d2e-0000-4000-8000-00000000d001';

export const cluster: KubernetesClusterConfig = {
  name: 'prod',
  url: API,
  configKey: 'kubernetes.clusterLocatorMethods[0].clusters[0]',
  authProvider: 'serviceAccount',
  serviceAccountToken: TOKEN,
  skipTLSVerify: false,
};

export function entity(annotations: Record<string, string> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'checkout',
      annotations: { 'backstage.io/kubernetes-id': 'checkout', ...annotations },
    },
    spec: { type: 'service', owner: 'team-checkout', lifecycle: 'production' },
  };
}

/** A Deployment as `GET /apis/apps/v1/namespaces/shop/deployments/checkout` returns it. */
export function deployment(
  overrides: {
    tag?: string;
    generation?: number;
    revision?: number;
    paused?: boolean;
    containers?: Array<{ name: string; image: string }>;
    status?: Deployment['status'];
  } = {},
): Deployment & Record<string, unknown> {
  const generation = overrides.generation ?? 4;
  return {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    metadata: {
      name: 'checkout',
      namespace: 'shop',
      uid: DEPLOYMENT_UID,
      resourceVersion: '918273',
      generation,
      creationTimestamp: '2026-10-01T08:00:00Z',
      labels: { app: 'checkout', 'backstage.io/kubernetes-id': 'checkout' },
      annotations: {
        'deployment.kubernetes.io/revision': String(overrides.revision ?? 3),
        'kubectl.kubernetes.io/last-applied-configuration':
          '{"kind":"Deployment"}',
        'kubernetes.io/change-cause': `deploy ${overrides.tag ?? '1.4.0'}`,
        'example.com/owner-note': 'kubectl rollout undo drops this',
      },
    },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'checkout' } },
      template: {
        metadata: { labels: { app: 'checkout' } },
        spec: {
          containers: overrides.containers ?? [
            {
              name: 'app',
              image: `${REPOSITORY}:${overrides.tag ?? '1.4.0'}`,
              ports: [{ containerPort: 8080, protocol: 'TCP' }],
            } as { name: string; image: string },
          ],
          restartPolicy: 'Always',
        },
      },
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
      },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      ...(overrides.paused ? { paused: true } : {}),
    } as Deployment['spec'],
    status: overrides.status ?? {
      observedGeneration: generation,
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      conditions: [
        {
          type: 'Available',
          status: 'True',
          reason: 'MinimumReplicasAvailable',
          message: 'Deployment has minimum availability.',
        },
        {
          type: 'Progressing',
          status: 'True',
          reason: 'NewReplicaSetAvailable',
          message:
            'ReplicaSet "checkout-5d8f7c9b6d" has successfully progressed.',
        },
      ],
    },
  };
}

/** A ReplicaSet of the Deployment at a revision, as the list call returns it. */
export function replicaSet(
  revision: number,
  tag: string,
  options: {
    ownerUid?: string;
    hash?: string;
    annotations?: Record<string, string>;
  } = {},
): ReplicaSet & Record<string, unknown> {
  const hash = options.hash ?? `hash${revision}`;
  return {
    metadata: {
      name: `checkout-${hash}`,
      namespace: 'shop',
      uid: `rs-uid-${revision}`,
      creationTimestamp: `2026-11-0${revision}T10:00:00Z`,
      labels: { app: 'checkout', 'pod-template-hash': hash },
      annotations: {
        'deployment.kubernetes.io/desired-replicas': '3',
        'deployment.kubernetes.io/max-replicas': '4',
        'deployment.kubernetes.io/revision': String(revision),
        'kubernetes.io/change-cause': `deploy ${tag}`,
        ...options.annotations,
      },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'checkout',
          uid: options.ownerUid ?? DEPLOYMENT_UID,
          controller: true,
          blockOwnerDeletion: true,
        } as NonNullable<ReplicaSet['metadata']['ownerReferences']>[number],
      ],
    },
    spec: {
      template: {
        metadata: { labels: { app: 'checkout', 'pod-template-hash': hash } },
        spec: {
          containers: [
            {
              name: 'app',
              image: `${REPOSITORY}:${tag}`,
              ports: [{ containerPort: 8080 }],
            } as {
              name: string;
              image: string;
            },
          ],
          restartPolicy: 'Always',
        },
      },
    },
  };
}

export function list(kind: string, items: unknown[], next?: string) {
  return {
    kind,
    apiVersion: 'apps/v1',
    metadata: {
      resourceVersion: '918300',
      ...(next ? { continue: next } : {}),
    },
    items,
  };
}

/** The `Status` body the API server answers errors with. */
export function statusBody(code: number, reason: string, message: string) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    details: { name: 'checkout', group: 'apps', kind: 'deployments' },
    code,
  };
}

export function createTarget(namespace?: string) {
  const logger = mockServices.logger.mock();
  const client = new KubernetesClient({
    cluster,
    timeoutMs: 5_000,
    retryBaseDelayMs: 1,
    logger,
  });
  const target = new KubernetesDeployTarget(
    {
      id: 'k8s-prod',
      title: 'Production cluster',
      cluster,
      namespace,
      timeoutMs: 5_000,
    },
    client,
  );
  return { target, logger };
}

export function deployContext() {
  const lines: string[] = [];
  const context: DeployContext = {
    log: {
      info: message => lines.push(`info: ${message}`),
      error: message => lines.push(`error: ${message}`),
    },
    signal: new AbortController().signal,
  };
  return { lines, context };
}
