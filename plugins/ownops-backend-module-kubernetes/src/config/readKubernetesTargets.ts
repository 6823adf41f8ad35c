import { Config } from '@backstage/config';
import { readDurationMs } from '@ownops/backstage-plugin-node';
import {
  assertServiceAccountAuth,
  KubernetesClusterConfig,
  readKubernetesClusters,
} from './readKubernetesClusters';

/** Where the targets are configured. */
export const TARGETS_CONFIG_KEY = 'ownops.kubernetes.targets';

/** Default timeout of one call to the API server. */
export const DEFAULT_TIMEOUT_MS = 10_000;

const ID_PATTERN = /^[a-z0-9]([a-z0-9._-]{0,62})$/;

/** One entry of `ownops.kubernetes.targets`, with its cluster resolved. */
export interface KubernetesTargetConfig {
  id: string;
  title?: string;
  cluster: KubernetesClusterConfig;
  /** Used when the entity names no namespace. */
  namespace?: string;
  timeoutMs: number;
}

/**
 * Reads `ownops.kubernetes.targets`, resolving each target's cluster in
 * Backstage's `kubernetes` config. Any mistake stops the backend at start-up
 * with a message naming the config key.
 */
export function readKubernetesTargets(
  rootConfig: Config,
): KubernetesTargetConfig[] {
  const entries = rootConfig.getOptionalConfigArray(TARGETS_CONFIG_KEY) ?? [];
  if (entries.length === 0) {
    return [];
  }
  const clusters = readKubernetesClusters(rootConfig);
  const ids = new Set<string>();
  return entries.map((entry, index) => {
    const where = `${TARGETS_CONFIG_KEY}[${index}]`;
    const id = entry.getString('id');
    if (!ID_PATTERN.test(id)) {
      throw new Error(
        `${where}.id "${id}" must be lower-case letters, digits, ".", "_" or "-"`,
      );
    }
    if (ids.has(id)) {
      throw new Error(
        `${where}.id "${id}" is used by another Kubernetes target`,
      );
    }
    ids.add(id);
    const clusterName = entry.getString('cluster');
    const cluster = clusters.get(clusterName);
    if (!cluster) {
      const known = [...clusters.keys()];
      throw new Error(
        `${where}.cluster "${clusterName}" is not a cluster of kubernetes.clusterLocatorMethods (type: config); ${
          known.length
            ? `known clusters: ${known.join(', ')}`
            : 'no clusters are configured there'
        }`,
      );
    }
    assertServiceAccountAuth(cluster);
    const timeoutMs = readDurationMs(entry, 'timeout', {
      defaultMs: DEFAULT_TIMEOUT_MS,
      fullKey: `${where}.timeout`,
    });
    return {
      id,
      title: entry.getOptionalString('title'),
      cluster,
      namespace: entry.getOptionalString('namespace'),
      timeoutMs,
    };
  });
}
