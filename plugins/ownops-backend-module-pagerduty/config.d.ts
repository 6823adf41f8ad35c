import { HumanDuration } from '@backstage/types';

export interface Config {
  ownops?: {
    /**
     * PagerDuty for Ownops: who is on call for entities with
     * `pagerduty.com/service-id`, and deploys reported as change events to
     * services with `pagerduty.com/integration-key`. Absent: the module
     * registers nothing.
     */
    pagerduty?: {
      /**
       * A PagerDuty REST API key (Integrations → API Access Keys); a
       * read-only key suffices. Sent as `Authorization: Token token=<key>`.
       * @visibility secret
       */
      apiToken: string;
      /**
       * The REST API: `https://api.pagerduty.com` (default) or, for accounts
       * in the EU service region, `https://api.eu.pagerduty.com`.
       */
      apiBaseUrl?: string;
      /**
       * The Events API v2 that receives change events:
       * `https://events.pagerduty.com` (default) or
       * `https://events.eu.pagerduty.com` in the EU service region.
       */
      eventsBaseUrl?: string;
      changeEvents?: {
        /**
         * Whether finished deployments of entities with
         * `pagerduty.com/integration-key` are sent to PagerDuty as change
         * events. Default true; needs `app.baseUrl` for the link back.
         */
        enabled?: boolean;
      };
      /**
       * Longest wait for one PagerDuty answer: milliseconds or a duration
       * such as `10s`. Default 10 seconds. Failed calls are retried up to 3
       * times on 429 and 5xx answers.
       */
      timeout?: number | string | HumanDuration;
    };
  };
}
