import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Configuration of the Ownops plugins. */
  ownops?: {
    /** How deployments run. */
    deploy?: {
      /**
       * Environments whose deployments and rollbacks wait for approval by
       * someone other than the requester, for example `[production]`.
       */
      protectedEnvironments?: string[];
      /**
       * Roll back automatically to the last good version when the health
       * check after a deploy fails. Defaults to false.
       */
      autoRollback?: boolean;
      /** The HTTP check after each deploy, where an entity has one. */
      healthCheck?: {
        /** How long the URL may take to answer 2xx. Defaults to 60 seconds. */
        timeout?: HumanDuration;
        /** Pause between attempts. Defaults to 2 seconds. */
        interval?: HumanDuration;
        /**
         * Health check URL per environment for entities without an
         * `ownops.io/health-check.<environment>` annotation. `{name}` and
         * `{namespace}` are replaced by the entity's, for example
         * `{ staging: 'https://{name}.staging.example.com/health' }`.
         */
        urls?: { [environment: string]: string };
      };
      /** Longest a deployment may run before it is failed. Defaults to 30 minutes. */
      timeout?: HumanDuration;
      /** How often a running deployment records that its runner is alive. Defaults to 5 seconds. */
      heartbeatInterval?: HumanDuration;
      /**
       * How often Ownops asks a deploy target (GitHub, Argo CD, Kubernetes)
       * how its deployment is going. Defaults to 5 seconds.
       */
      statusPollInterval?: HumanDuration;
      /**
       * A running deployment whose heartbeat is older than this is settled
       * by the reconciler. Defaults to 1 minute.
       */
      staleAfter?: HumanDuration;
      /** Schedule of the reconciler (runs on one replica at a time). Defaults to every 30 seconds. */
      reconcilerSchedule?: {
        frequency: HumanDuration;
        timeout?: HumanDuration;
        initialDelay?: HumanDuration;
      };
      /** Log lines kept per deployment. Defaults to 5000. */
      maxLogLines?: number;
    };
    /**
     * Deploy targets that run a command. Only administrators edit app-config,
     * so only they decide what runs; the command never goes through a shell.
     */
    commandTargets?: Array<{
      /** Id referenced by the `ownops.io/deploy-target` annotation. */
      id: string;
      /** Shown in the UI and listed by `GET /deploy-targets`. */
      title?: string;
      /**
       * The argv to run. It receives OWNOPS_ACTION, OWNOPS_ENTITY_REF,
       * OWNOPS_ENTITY_NAME, OWNOPS_ENVIRONMENT, OWNOPS_VERSION,
       * OWNOPS_PREVIOUS_VERSION and OWNOPS_DEPLOYMENT_ID as environment variables.
       */
      command: string[];
      /**
       * Optional argv that prints deployable versions, one per line, newest
       * first (`version<TAB>description`).
       */
      versionsCommand?: string[];
      /** Working directory; defaults to the backend's. */
      workingDirectory?: string;
      /** Longest the command may run. Defaults to 10 minutes. */
      timeout?: HumanDuration;
      /**
       * Extra environment variables for the command.
       * @visibility secret
       */
      env?: { [name: string]: string };
    }>;
    /** Who is on call: provider timeout and the built-in rotation. */
    oncall?: {
      /** How long an on-call provider may take to answer. Defaults to 5 seconds. */
      timeout?: HumanDuration;
      /**
       * The built-in `rotation` provider: the owning group's members take
       * turns in entity-ref order. A group's `ownops.io/oncall-rotation`
       * (`<days>d [HH:mm [time zone]]`, e.g. `7d 09:00 Europe/Berlin`) and
       * `ownops.io/oncall-start` (`YYYY-MM-DD`) annotations override these.
       */
      rotation?: {
        /** Whole days per turn, 1 to 366. Defaults to 7. */
        lengthDays?: number;
        /** Local hand-off time, `HH:mm` (24 h). Defaults to `09:00`. */
        handoffTime?: string;
        /** IANA time zone of the hand-off. Defaults to `UTC`. */
        timeZone?: string;
        /** Local date of the first hand-off, `YYYY-MM-DD`. Defaults to `2026-01-05`. */
        startDate?: string;
      };
    };
    /** Cost ingestion, budgets and alerts. */
    cost?: {
      /**
       * Read cost as of this UTC day (`YYYY-MM-DD`) instead of today: month
       * to date, forecasts, budget states and alerts, the summaries' cost and
       * the Cost tab's and Finance page's range presets. For demos and tests
       * against a fixed bill; leave it unset in production. Deploys, on call
       * and the audit trail always use the real time.
       * @visibility frontend
       */
      asOf?: string;
      /**
       * Folders of FOCUS 1.0–1.3 exports (`*.csv`, `*.csv.gz`, `*.parquet`, subfolders
       * included) read by the built-in `focus-files` cost source. Relative
       * paths resolve against the backend's working directory.
       */
      focusFiles?: Array<{
        /** Source id stored with its rollups; defaults to `focus-files-<n>`. */
        id?: string;
        path: string;
        /**
         * Columns besides FOCUS's to read as tags: column name → tag key,
         * for example `x_CostCenter: cost-center` for Azure's cost center.
         * A row's own tag of that key wins. Other `x_` columns are ignored.
         */
        tagColumns?: { [column: string]: string };
      }>;
      ingestion?: {
        /**
         * When every cost source is ingested (on one replica at a time).
         * Defaults to every 6 hours, 10 seconds after start-up.
         */
        schedule?: {
          frequency: HumanDuration | { cron: string };
          timeout: HumanDuration;
          initialDelay?: HumanDuration;
        };
        /** Whole months before the current one that sources are asked for. Defaults to 3. */
        lookbackMonths?: number;
        /**
         * How long an export source (a folder, a bucket, a container) may go
         * without a new delivery before its ingestion shows a warning.
         * Defaults to 72 hours.
         */
        deliveryWarningAfter?: HumanDuration | string;
        /** Unallocated resources kept per billing period and currency. Defaults to 100. */
        topUnallocatedResources?: number;
      };
      budgetAlerts?: {
        /**
         * When budgets are checked against month-to-date cost (on one
         * replica at a time). Defaults to daily, 2 minutes after start-up.
         */
        schedule?: {
          frequency: HumanDuration | { cron: string };
          timeout: HumanDuration;
          initialDelay?: HumanDuration;
        };
        /** Notified of every threshold reached, besides the owners. Defaults to `group:default/finance`. */
        financeGroup?: string;
      };
    };
  };
}
