import { Entity, stringifyEntityRef } from '@backstage/catalog-model';

export const ANNOTATION_KUBERNETES_ID = 'backstage.io/kubernetes-id';
export const ANNOTATION_KUBERNETES_LABEL_SELECTOR =
  'backstage.io/kubernetes-label-selector';
export const ANNOTATION_KUBERNETES_NAMESPACE =
  'backstage.io/kubernetes-namespace';
/** Per-environment namespace: `ownops.io/kubernetes-namespace.<environment>`. */
export const ANNOTATION_OWNOPS_KUBERNETES_NAMESPACE =
  'ownops.io/kubernetes-namespace';
export const ANNOTATION_OWNOPS_KUBERNETES_CONTAINER =
  'ownops.io/kubernetes-container';

/** Where an entity's Deployment is in one environment. */
export interface EntityWorkload {
  namespace: string;
  labelSelector: string;
  /** The container to set, when the entity names one. */
  container?: string;
}

/**
 * Reads which Deployment belongs to the entity in the environment, from the
 * annotations the Kubernetes plugin already uses plus Ownops' per-environment
 * namespace and container.
 */
export function entityWorkload(
  entity: Entity,
  environment: string,
  defaultNamespace: string | undefined,
  targetId: string,
): EntityWorkload {
  const annotations = entity.metadata.annotations ?? {};
  const ref = stringifyEntityRef(entity);
  const selector = annotations[ANNOTATION_KUBERNETES_LABEL_SELECTOR]?.trim();
  const id = annotations[ANNOTATION_KUBERNETES_ID]?.trim();
  const labelSelector =
    selector || (id ? `${ANNOTATION_KUBERNETES_ID}=${id}` : undefined);
  if (!labelSelector) {
    throw new Error(
      `${ref} has neither a ${ANNOTATION_KUBERNETES_ID} nor a ${ANNOTATION_KUBERNETES_LABEL_SELECTOR} annotation; add one so Kubernetes target "${targetId}" can find its Deployment`,
    );
  }
  const namespace =
    annotations[
      `${ANNOTATION_OWNOPS_KUBERNETES_NAMESPACE}.${environment}`
    ]?.trim() ||
    annotations[ANNOTATION_KUBERNETES_NAMESPACE]?.trim() ||
    defaultNamespace;
  if (!namespace) {
    throw new Error(
      `${ref} names no namespace for environment "${environment}"; add the annotation ${ANNOTATION_OWNOPS_KUBERNETES_NAMESPACE}.${environment} or ${ANNOTATION_KUBERNETES_NAMESPACE}, or set a namespace on Kubernetes target "${targetId}" in ownops.kubernetes.targets`,
    );
  }
  return {
    namespace,
    labelSelector,
    container:
      annotations[ANNOTATION_OWNOPS_KUBERNETES_CONTAINER]?.trim() || undefined,
  };
}
