import { HumanDuration } from '@backstage/types';

export interface Config {
  ownops?: {
    github?: {
      /**
       * Deploy targets that dispatch a GitHub Actions workflow. Credentials
       * and the API URL come from `integrations.github` (a token or a GitHub
       * App) for the target's host. Without this key the module adds nothing.
       */
      targets?: Array<{
        /**
         * Target id, referenced by the entity annotation
         * `ownops.io/deploy-target` (or `ownops.io/deploy-target.<environment>`).
         * Lower-case letters, digits, ".", "_" and "-"; unique among all
         * Ownops deploy targets.
         */
        id: string;
        /** Name shown where users choose a target. */
        title?: string;
        /**
         * GitHub host; must match an `integrations.github` entry, which gives
         * the credentials and, for GitHub Enterprise Server, `apiBaseUrl`.
         * Default github.com.
         */
        host?: string;
        /**
         * The workflow to dispatch: a file name in `.github/workflows`
         * (`deploy.yml`) or a numeric workflow id. An entity overrides it
         * with the annotation `ownops.io/github-workflow[.<environment>]`.
         * The workflow needs a `workflow_dispatch` trigger with the inputs
         * below.
         */
        workflow: string;
        /**
         * Branch or tag the workflow runs on. Default: the repository's
         * default branch.
         */
        ref?: string;
        /** Names of the `workflow_dispatch` inputs Ownops fills in. */
        inputs?: {
          /** Input that receives the version to deploy. Default `version`. */
          version?: string;
          /**
           * Input that receives the Ownops environment name. Default
           * `environment`; `false` sends no environment input.
           */
          environment?: string | false;
        };
        /**
         * Where deployable versions come from: the repository's published
         * `releases` (tag names), its `tags`, or `none` (any version may be
         * typed in; the workflow validates it). With releases or tags, Ownops
         * only deploys one of the 100 newest. Default `none`.
         */
        versions?: 'releases' | 'tags' | 'none';
        /**
         * Longest wait for one answer from GitHub, as a duration (`15s`,
         * `{ seconds: 15 }`, ISO `PT15S`) or milliseconds. Default 10 seconds.
         * Failed reads are retried up to 3 times; a dispatch only after a
         * rate limit.
         */
        timeout?: HumanDuration | string | number;
      }>;
    };
  };
}
