import { HumanDuration } from '@backstage/types';

export interface Config {
  ownops?: {
    cost?: {
      /**
       * OpenCost instances to read Kubernetes costs from, one Ownops cost
       * source each. Absent: the module registers nothing.
       */
      opencost?: Array<{
        /**
         * Id of the cost source, stored with every cost it delivers:
         * lower-case letters, digits and dashes, unique among all cost sources.
         */
        id: string;
        /** Base URL of the OpenCost API, e.g. http://opencost.opencost:9003. */
        url: string;
        /**
         * ISO 4217 code of the currency OpenCost is configured to report in.
         * Default USD.
         */
        currency?: string;
        /**
         * Extra request headers, for an auth proxy in front of OpenCost
         * (e.g. Authorization). Never logged.
         * @visibility secret
         */
        headers?: { [name: string]: string };
        /**
         * Longest wait for one answer: milliseconds or a Backstage duration
         * ("30s", { seconds: 30 }). Default 30 seconds.
         */
        timeout?: number | HumanDuration | string;
        /**
         * Days of history OpenCost (its Prometheus) keeps. Months starting
         * earlier than that are not read, so they keep the costs stored
         * while they were complete. Default 62.
         */
        lookbackDays?: number;
      }>;
    };
  };
}
