import { HumanDuration } from '@backstage/types';

export interface Config {
  ownops?: {
    cost?: {
      /**
       * AWS Cost Explorer sources, one Ownops cost source each. Credentials
       * come from the standard `aws` config (aws.mainAccount, aws.accounts[],
       * else the default provider chain). Absent: no Cost Explorer source.
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
      /**
       * FOCUS exports of AWS Data Exports, read from the S3 bucket they are
       * delivered to; one Ownops cost source each. Ownops reads each billing
       * period's latest complete delivery and again whenever AWS delivers a
       * new one. Credentials come from the standard `aws` config, as for
       * `aws`. Absent: no such source.
       */
      awsDataExports?: Array<{
        /**
         * Id of the cost source, stored with every cost it delivers:
         * lower-case letters, digits and dashes, unique among all cost sources.
         */
        id: string;
        /** The S3 bucket the export is delivered to. */
        bucket: string;
        /**
         * The export's S3 path prefix (the folder that holds the export's
         * folder), as set in the export. Default: none.
         */
        prefix?: string;
        /** The export's name, as set in the export (its folder in the bucket). */
        exportName: string;
        /** The bucket's region, for example us-east-1. */
        region: string;
        /**
         * 12-digit account whose credentials (from the `aws` config) read the
         * bucket. Default: the main account.
         */
        accountId?: string;
        /**
         * Another S3 endpoint (an S3-compatible store or a proxy), addressed
         * path-style. Must not hold credentials.
         */
        endpoint?: string;
        /**
         * Columns besides FOCUS's to read as tags: column name → tag key,
         * for example `x_CostCenter: cost-center`. A row's own tag of that
         * key wins.
         */
        tagColumns?: { [column: string]: string };
        /**
         * Longest wait for one answer (a page of the listing, or the next
         * bytes of a file): milliseconds or a Backstage duration ("30s",
         * { seconds: 30 }). Default 30 seconds.
         */
        timeout?: number | HumanDuration | string;
      }>;
    };
  };
}
