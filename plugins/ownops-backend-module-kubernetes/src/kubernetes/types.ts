import { optional, ResponseShape } from '@ownops/backstage-plugin-node';

/** The parts of Kubernetes objects this module reads (apps/v1). */

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  generation?: number;
  resourceVersion?: string;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<{
    apiVersion?: string;
    kind: string;
    name: string;
    uid: string;
    controller?: boolean;
  }>;
}

export interface Container {
  name: string;
  image?: string;
}

export interface PodTemplateSpec {
  metadata?: { labels?: Record<string, string>; [key: string]: unknown };
  spec?: { containers?: Container[]; [key: string]: unknown };
}

export interface DeploymentCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface Deployment {
  metadata: ObjectMeta;
  spec: {
    replicas?: number;
    paused?: boolean;
    progressDeadlineSeconds?: number;
    selector?: {
      matchLabels?: Record<string, string>;
      matchExpressions?: unknown[];
    };
    template: PodTemplateSpec;
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    conditions?: DeploymentCondition[];
  };
}

export interface ReplicaSet {
  metadata: ObjectMeta;
  spec: { template: PodTemplateSpec };
}

export interface ObjectList<T> {
  items: T[];
  metadata?: { continue?: string; resourceVersion?: string };
}

const METADATA_SHAPE = {
  name: 'string',
  namespace: 'string?',
  uid: 'string?',
  generation: 'number?',
  creationTimestamp: 'string?',
  ownerReferences: optional([
    { kind: 'string', name: 'string', uid: 'string', controller: 'boolean?' },
  ]),
} as const;

const TEMPLATE_SHAPE = {
  spec: optional({
    containers: optional([{ name: 'string', image: 'string?' }]),
  }),
} as const;

/** The fields of a Deployment this module reads, checked on every answer. */
export const DEPLOYMENT_SHAPE = {
  metadata: METADATA_SHAPE,
  spec: {
    replicas: 'number?',
    paused: 'boolean?',
    progressDeadlineSeconds: 'number?',
    template: TEMPLATE_SHAPE,
  },
  status: optional({
    observedGeneration: 'number?',
    replicas: 'number?',
    updatedReplicas: 'number?',
    readyReplicas: 'number?',
    availableReplicas: 'number?',
    conditions: optional([
      {
        type: 'string',
        status: 'string',
        reason: 'string?',
        message: 'string?',
      },
    ]),
  }),
} satisfies ResponseShape;

/** The fields of a ReplicaSet this module reads. */
export const REPLICA_SET_SHAPE = {
  metadata: METADATA_SHAPE,
  spec: { template: TEMPLATE_SHAPE },
} satisfies ResponseShape;

/** A list of objects of the shape, with its `continue` token. */
export function listShape(item: ResponseShape): ResponseShape {
  return {
    items: optional([item]),
    metadata: optional({ continue: 'string?' }),
  };
}
