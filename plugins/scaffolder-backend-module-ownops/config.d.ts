import { HumanDuration } from '@backstage/types';

export interface Config {
  ownops?: {
    tags?: {
      /**
       * Tag (and Kubernetes label) key of each owner tag. Defaults:
       * backstage-entity, owner, cost-center, environment.
       */
      keys?: {
        entity?: string;
        owner?: string;
        costCenter?: string;
        environment?: string;
      };
      /**
       * Whether a template form may give a cost center other than the owner
       * group's `ownops.io/cost-center`. Default false.
       */
      allowCostCenterOverride?: boolean;
    };
    scaffolder?: {
      /**
       * Folder the `ownops:publish:local` action copies new services into and
       * registers them from, for portals without a git host. Relative paths
       * are resolved from the backend's working directory. Unset: the action
       * refuses to run.
       */
      localPublishDir?: string;
      /**
       * Whether only members of the chosen owner group may create a service
       * it owns. Default true: the creator then owns, deploys and budgets it.
       */
      requireOwnerMembership?: boolean;
      /**
       * How long `ownops:service:register` waits for the new entity to appear
       * in the catalog. Default 60 seconds.
       */
      registerTimeout?: HumanDuration | string;
    };
  };
}
