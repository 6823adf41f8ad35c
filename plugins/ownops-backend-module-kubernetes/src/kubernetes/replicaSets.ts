import { KubernetesClient } from './KubernetesClient';
import { Deployment, ReplicaSet } from './types';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/**
 * Deployment annotations that `kubectl rollout undo` keeps from the
 * Deployment instead of copying them from the ReplicaSet being restored.
 */
const ANNOTATIONS_TO_SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

interface SelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

/** A Deployment's `spec.selector` as a label selector query string. */
export function selectorOf(deployment: Deployment): string {
  const selector = deployment.spec.selector ?? {};
  const parts = Object.entries(selector.matchLabels ?? {}).map(
    ([key, value]) => `${key}=${value}`,
  );
  for (const raw of selector.matchExpressions ?? []) {
    const { key, operator, values = [] } = raw as SelectorRequirement;
    switch (operator) {
      case 'In':
        parts.push(`${key} in (${values.join(',')})`);
        break;
      case 'NotIn':
        parts.push(`${key} notin (${values.join(',')})`);
        break;
      case 'Exists':
        parts.push(key);
        break;
      case 'DoesNotExist':
        parts.push(`!${key}`);
        break;
      default:
        throw new Error(
          `Deployment "${deployment.metadata.name}" has a selector operator "${operator}" this module does not know`,
        );
    }
  }
  if (parts.length === 0) {
    throw new Error(
      `Deployment "${deployment.metadata.name}" has an empty spec.selector; its ReplicaSets cannot be told apart`,
    );
  }
  return parts.join(',');
}

/** The revision a ReplicaSet records, or undefined when it has none. */
export function revisionOf(object: {
  metadata: { annotations?: Record<string, string> };
}): number | undefined {
  const raw = object.metadata.annotations?.[REVISION_ANNOTATION];
  const revision = raw === undefined ? NaN : Number(raw);
  return Number.isInteger(revision) && revision >= 0 ? revision : undefined;
}

/**
 * The ReplicaSets the Deployment controls (matched by its selector and an
 * owner reference to its uid, as kubectl finds them), newest revision first.
 */
export async function ownedReplicaSets(
  client: KubernetesClient,
  deployment: Deployment,
  signal: AbortSignal,
): Promise<Array<ReplicaSet & { revision: number }>> {
  const namespace = deployment.metadata.namespace!;
  const replicaSets = await client.listReplicaSets(
    namespace,
    selectorOf(deployment),
    signal,
  );
  return replicaSets
    .filter(rs =>
      rs.metadata.ownerReferences?.some(
        owner => owner.controller && owner.uid === deployment.metadata.uid,
      ),
    )
    .flatMap(rs => {
      const revision = revisionOf(rs);
      return revision === undefined ? [] : [{ ...rs, revision }];
    })
    .sort((a, b) => b.revision - a.revision);
}

/**
 * The JSON patch `kubectl rollout undo` sends: the ReplicaSet's pod template
 * without its `pod-template-hash` label, and the Deployment's annotations
 * with the ReplicaSet's copied over except those kubectl skips.
 */
export function rollbackPatch(deployment: Deployment, replicaSet: ReplicaSet) {
  const template = structuredClone(replicaSet.spec.template);
  if (template.metadata?.labels) {
    delete template.metadata.labels[POD_TEMPLATE_HASH_LABEL];
  }
  const annotations: Record<string, string> = {};
  for (const [key, value] of Object.entries(
    deployment.metadata.annotations ?? {},
  )) {
    if (ANNOTATIONS_TO_SKIP.has(key)) {
      annotations[key] = value;
    }
  }
  for (const [key, value] of Object.entries(
    replicaSet.metadata.annotations ?? {},
  )) {
    if (!ANNOTATIONS_TO_SKIP.has(key)) {
      annotations[key] = value;
    }
  }
  return [
    { op: 'replace', path: '/spec/template', value: template },
    { op: 'replace', path: '/metadata/annotations', value: annotations },
  ];
}
