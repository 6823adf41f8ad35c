import { HumanDuration } from '@backstage/types';

export interface Config {
  ownops?: {
    /**
     * Opsgenie for Ownops: who is on call for entities with
     * `opsgenie.com/team` or `ownops.io/opsgenie-schedule`. Absent: the
     * module registers nothing. Atlassian stops Opsgenie on 2027-04-05.
     */
    opsgenie?: {
      /**
       * An Opsgenie API key with read and configuration access (Settings →
       * API key management), sent as `Authorization: GenieKey <key>`.
       * @visibility secret
       */
      apiKey: string;
      /**
       * The REST API: `https://api.opsgenie.com` (default) or, for accounts
       * in the EU region, `https://api.eu.opsgenie.com`.
       */
      apiBaseUrl?: string;
      /**
       * Longest wait for one Opsgenie answer: milliseconds or a duration
       * such as `10s`. Default 10 seconds. Failed calls are retried up to 3
       * times on 429 and 5xx answers.
       */
      timeout?: number | string | HumanDuration;
    };
  };
}
