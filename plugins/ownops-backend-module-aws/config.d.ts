import { HumanDuration } from '@backstage/types';

export interface Config {
  ownops?: {
    cost?: {
      /**
       * AWS Cost Explorer sources, one Ownops cost source each. Credentials
       * come from the standard `aws` config (aws.mainAccount, aws.accounts[],
       * else the default provider chain). Absent: the module registers nothing.
       */
      aws?: Array<{
        /**
         * Id of the cost source, stored with every cost it delivers:
         * lower-case letters, digits and dashes, unique among all cost sources.
         */
        id: string;
        /**
         * 12-digit account whose credentials (from the `aws` config) are
         * used; for an organization, the management account. Default: the
         * main account.
         */
        accountId?: string;
        /** Region of the Cost Explorer endpoint. Default us-east-1. */
        region?: string;
        /**
         * Cost Explorer metric read as FOCUS BilledCost: UnblendedCost
         * (default), BlendedCost or NetUnblendedCost.
         */
        metric?: string;
        /**
         * Cost Explorer metric read as FOCUS EffectiveCost: AmortizedCost
         * (default) or NetAmortizedCost.
         */
        effectiveMetric?: string;
        /**
         * Longest wait for one answer: milliseconds or a Backstage duration
         * ("30s", { seconds: 30 }). Default 30 seconds.
         */
        timeout?: number | HumanDuration | string;
        /**
         * Attempts per request, 1 to 10, including the first; the SDK backs
         * off between them on throttling and 5xx answers. Default 4.
         */
        maxAttempts?: number;
        /** Another Cost Explorer endpoint, for a proxy or tests. */
        endpoint?: string;
      }>;
    };
  };
}
