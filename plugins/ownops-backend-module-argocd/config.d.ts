import { HumanDuration } from '@backstage/types';

export interface Config {
  ownops?: {
    argocd?: {
      /**
       * Argo CD servers to deploy with. Each one is an Ownops deploy target,
       * chosen per entity with `ownops.io/deploy-target` (or
       * `ownops.io/deploy-target.<environment>`). Unset: the module adds no
       * target.
       */
      instances?: Array<{
        /**
         * Deploy target id, as referenced by `ownops.io/deploy-target`.
         * Lower-case letters, digits, ".", "_" and "-"; unique across all
         * Ownops deploy targets.
         */
        id: string;
        /** Name shown where users choose a target, e.g. "Argo CD (production)". */
        title?: string;
        /** Base URL of the Argo CD server (API and UI), e.g. https://argocd.example.com. */
        url: string;
        /**
         * Argo CD API token (`argocd account generate-token`), sent as
         * `Authorization: Bearer`. Its account needs `get` and `sync` on the
         * applications it deploys.
         *
         * @visibility secret
         */
        token: string;
        /**
         * Argo CD project used when an entity has no `argocd/project-name`.
         * With a project Argo CD answers 404 for a missing application
         * instead of 403.
         */
        project?: string;
        /**
         * Whether a deployment waits, after the sync succeeded, for the
         * application to be Healthy (Degraded or Missing fails it).
         * Default true.
         */
        waitForHealthy?: boolean;
        /**
         * Timeout of each call to the Argo CD API, as a duration ("30s",
         * `{ seconds: 30 }`) or milliseconds. Default 10 seconds. How long a
         * whole deployment may take is the Ownops deploy timeout.
         */
        timeout?: HumanDuration | string | number;
      }>;
    };
  };
}
