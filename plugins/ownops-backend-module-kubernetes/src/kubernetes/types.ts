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
