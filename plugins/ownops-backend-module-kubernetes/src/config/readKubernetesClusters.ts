import { Config } from '@backstage/config';

/** The only `authProvider` this module can authenticate with. */
export const SUPPORTED_AUTH_PROVIDER = 'serviceAccount';

const AUTH_PROVIDER_ANNOTATION = 'kubernetes.io/auth-provider';

/** A cluster from Backstage's `kubernetes.clusterLocatorMethods` config. */
export interface KubernetesClusterConfig {
  name: string;
  url: string;
  /** Where the cluster is declared, for messages: `kubernetes.clusterLocatorMethods[0].clusters[1]`. */
  configKey: string;
  authProvider?: string;
  /** Absent: the token mounted into the backend's pod is used. */
  serviceAccountToken?: string;
  caData?: string;
  caFile?: string;
  skipTLSVerify: boolean;
}

/**
 * Reads the clusters of every `type: config` cluster locator, the same
 * entries the Kubernetes backend plugin reads.
 */
export function readKubernetesClusters(
  rootConfig: Config,
): Map<string, KubernetesClusterConfig> {
  const clusters = new Map<string, KubernetesClusterConfig>();
  const locators =
    rootConfig.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  locators.forEach((locator, locatorIndex) => {
    if (locator.getOptionalString('type') !== 'config') {
      return;
    }
    const entries = locator.getOptionalConfigArray('clusters') ?? [];
    entries.forEach((entry, clusterIndex) => {
      const configKey = `kubernetes.clusterLocatorMethods[${locatorIndex}].clusters[${clusterIndex}]`;
      const name = entry.getString('name');
      if (clusters.has(name)) {
        throw new Error(
          `${configKey}.name "${name}" is used by another cluster; cluster names must be unique`,
        );
      }
      // Read raw: its keys (kubernetes.io/auth-provider) are not valid config keys.
      const authMetadata =
        entry.getOptional<Record<string, unknown>>('authMetadata');
      clusters.set(name, {
        name,
        configKey,
        url: entry.getString('url').replace(/\/+$/, ''),
        authProvider:
          stringOf(authMetadata?.[AUTH_PROVIDER_ANNOTATION]) ??
          entry.getOptionalString('authProvider'),
        serviceAccountToken:
          entry.getOptionalString('serviceAccountToken') ??
          stringOf(authMetadata?.serviceAccountToken),
        caData: entry.getOptionalString('caData'),
        caFile: entry.getOptionalString('caFile'),
        skipTLSVerify: entry.getOptionalBoolean('skipTLSVerify') ?? false,
      });
    });
  });
  return clusters;
}

/** Fails, naming the config key, unless the cluster authenticates with a service account token. */
export function assertServiceAccountAuth(cluster: KubernetesClusterConfig) {
  if (cluster.authProvider !== SUPPORTED_AUTH_PROVIDER) {
    throw new Error(
      `${cluster.configKey}.authProvider of cluster "${cluster.name}" is ${
        cluster.authProvider ? `"${cluster.authProvider}"` : 'not set'
      }; the Ownops Kubernetes module only supports service account tokens: set authProvider to "${SUPPORTED_AUTH_PROVIDER}" with a serviceAccountToken, or use a separate cluster entry for Ownops`,
    );
  }
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}
