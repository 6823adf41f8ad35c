export interface Config {
  /** Configuration of the Ownops plugins. */
  ownops?: {
    /**
     * The owner tags Ownops stamps on everything a template provisions. The
     * frontend reads these to show, in the template form and on the entity
     * page, the tags the scaffolder actions will apply; the actions read the
     * same keys, so set them once for both.
     */
    tags?: {
      /**
       * Tag (and Kubernetes label) key of each owner tag. Defaults:
       * `backstage-entity`, `owner`, `cost-center`, `environment`.
       */
      keys?: {
        /**
         * Key of the tag holding the entity reference of the service.
         * Defaults to `backstage-entity`.
         * @visibility frontend
         */
        entity?: string;
        /**
         * Key of the tag holding the owner group reference. Defaults to `owner`.
         * @visibility frontend
         */
        owner?: string;
        /**
         * Key of the tag holding the cost center. Defaults to `cost-center`.
         * @visibility frontend
         */
        costCenter?: string;
        /**
         * Key of the tag holding the environment. Defaults to `environment`.
         * @visibility frontend
         */
        environment?: string;
      };
      /**
       * Whether a template form may give a cost center other than the owner
       * group's `ownops.io/cost-center` annotation. Defaults to false.
       * @visibility frontend
       */
      allowCostCenterOverride?: boolean;
    };
    /** Cost as the frontend reads it. */
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
    };
  };
}
