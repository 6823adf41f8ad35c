import { HumanDuration } from '@backstage/types';

export interface Config {
  /**
   * Backstage's Kubernetes configuration, shared with the Kubernetes plugin.
   * The Ownops Kubernetes module reads the clusters of `type: config`
   * locators; only the keys it reads are described here.
   */
  kubernetes?: {
    clusterLocatorMethods?: Array<{
      /** The locator type; only `config` clusters can be Ownops targets. */
      type: string;
      /** The clusters of a `config` locator. */
      clusters?: Array<{
        /** Unique cluster name, referenced by `ownops.kubernetes.targets[].cluster`. */
        name: string;
        /** The API server URL, for example `https://k8s.example.com:6443`. */
        url: string;
        /**
         * How the backend authenticates. The Ownops module supports only
         * `serviceAccount`; any other value stops start-up when an Ownops
         * target uses the cluster.
         */
        authProvider?: string;
        /**
         * Bearer token of the service account Ownops acts as. When absent, the
         * token mounted into the backend's pod is used.
         * @visibility secret
         */
        serviceAccountToken?: string;
        /**
         * Base64-encoded PEM certificate of the cluster's CA (kubeconfig's
         * `certificate-authority-data`).
         * @visibility secret
         */
        caData?: string;
        /**
         * Path to a PEM file with the cluster's CA certificate.
         * @visibility secret
         */
        caFile?: string;
        /** Skip verifying the API server's certificate. Only for test clusters. */
        skipTLSVerify?: boolean;
      }>;
    }>;
  };

  ownops?: {
    /** The Ownops Kubernetes module; absent: the module adds no deploy target. */
    kubernetes?: {
      /**
       * Deploy targets that set a container's image tag on an entity's
       * Deployment. Entities pick one with the `ownops.io/deploy-target` or
       * `ownops.io/deploy-target.<environment>` annotation.
       */
      targets: Array<{
        /**
         * The deploy target id: lower-case letters, digits, ".", "_" or "-",
         * unique among all Ownops deploy targets.
         */
        id: string;
        /** Name shown to users; defaults to the id. */
        title?: string;
        /** A cluster name from `kubernetes.clusterLocatorMethods[].clusters[]`. */
        cluster: string;
        /**
         * Namespace of entities whose annotations name none
         * (`ownops.io/kubernetes-namespace.<environment>`,
         * `backstage.io/kubernetes-namespace`).
         */
        namespace?: string;
        /**
         * Longest wait for one answer of the API server, as a duration
         * (`30s`, `{ seconds: 30 }`) or milliseconds. Default 10 seconds.
         */
        timeout?: HumanDuration | string | number;
      }>;
    };
  };
}
