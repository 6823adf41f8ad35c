import { isMap, isScalar, YAMLMap } from 'yaml';
import { ManifestDocument } from './documents';

/** Kinds whose pods are described by `spec.template`. */
const POD_TEMPLATE_KINDS = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
]);

export interface KubernetesObject {
  kind: string;
  name: string;
  root: YAMLMap;
}

/** The document as a Kubernetes object, if it has a kind and metadata and is not a Kustomization. */
export function asKubernetesObject(
  document: ManifestDocument,
): KubernetesObject | undefined {
  const root = document.contents;
  if (!isMap(root)) return undefined;
  const kind = root.get('kind');
  const metadata = root.get('metadata', true);
  if (
    typeof kind !== 'string' ||
    kind === 'Kustomization' ||
    !isMap(metadata)
  ) {
    return undefined;
  }
  const name = metadata.get('name', true);
  return {
    kind,
    name:
      isScalar(name) && name.value !== null ? String(name.value) : '<unnamed>',
    root,
  };
}

/**
 * Paths (from the object's root) of the maps whose `metadata.labels` get the
 * owner tags besides the object's own: pod templates, and a CronJob's job
 * template.
 */
export function templatePaths(kind: string): string[][] {
  if (kind === 'CronJob') {
    return [
      ['spec', 'jobTemplate'],
      ['spec', 'jobTemplate', 'spec', 'template'],
    ];
  }
  return POD_TEMPLATE_KINDS.has(kind) ? [['spec', 'template']] : [];
}

/** The path of the pod template, which verification checks. */
export function podTemplatePath(kind: string): string[] | undefined {
  if (kind === 'CronJob') return ['spec', 'jobTemplate', 'spec', 'template'];
  return POD_TEMPLATE_KINDS.has(kind) ? ['spec', 'template'] : undefined;
}

/** Whether the file is a Kustomize file rather than a manifest. */
export function isKustomizationFile(file: string): boolean {
  const name = file.slice(file.lastIndexOf('/') + 1);
  return ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].includes(
    name,
  );
}
