import { readFileSync } from 'node:fs';
import { Agent } from 'undici';
import { KubernetesClusterConfig } from '../config/readKubernetesClusters';

/** Where Kubernetes mounts a pod's service account token. */
export const IN_CLUSTER_TOKEN_FILE =
  '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** How to reach and authenticate to one cluster's API server. */
export interface ClusterConnection {
  /** Reads the bearer token; the mounted token is re-read as the kubelet rotates it. */
  token(): string;
  /** Extra fetch options: an undici dispatcher carrying the CA, when one is configured. */
  fetchOptions?: Record<string, unknown>;
}

function decodeCaData(caData: string): string {
  return caData.includes('-----BEGIN')
    ? caData
    : Buffer.from(caData, 'base64').toString('utf8');
}

function readCa(cluster: KubernetesClusterConfig): string | undefined {
  if (cluster.caData) {
    return decodeCaData(cluster.caData);
  }
  if (cluster.caFile) {
    try {
      return readFileSync(cluster.caFile, 'utf8');
    } catch (error) {
      throw new Error(
        `${cluster.configKey}.caFile of cluster "${
          cluster.name
        }" could not be read (${
          (error as NodeJS.ErrnoException).code ?? (error as Error).message
        })`,
      );
    }
  }
  return undefined;
}

/**
 * Prepares the connection to a cluster from its config: the CA (`caData`,
 * `caFile`) or `skipTLSVerify` as an undici dispatcher, which Node's own
 * fetch accepts, and the token from config or from the pod's mount.
 */
export function createClusterConnection(
  cluster: KubernetesClusterConfig,
  tokenFile: string = IN_CLUSTER_TOKEN_FILE,
): ClusterConnection {
  const ca = readCa(cluster);
  const fetchOptions =
    ca || cluster.skipTLSVerify
      ? {
          dispatcher: new Agent({
            connect: { ca, rejectUnauthorized: !cluster.skipTLSVerify },
          }),
        }
      : undefined;
  const configured = cluster.serviceAccountToken;
  return {
    fetchOptions,
    token() {
      if (configured) {
        return configured;
      }
      try {
        return readFileSync(tokenFile, 'utf8').trim();
      } catch {
        throw new Error(
          `Cluster "${cluster.name}" has no serviceAccountToken in ${cluster.configKey}, and this backend has no mounted service account token at ${tokenFile}; set ${cluster.configKey}.serviceAccountToken`,
        );
      }
    },
  };
}
