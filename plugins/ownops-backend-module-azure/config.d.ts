export interface Config {
  ownops?: {
    cost?: {
      /**
       * Azure Cost Management exports of the FOCUS dataset ("Cost and usage
       * details (FOCUS)") in Blob Storage, one Ownops cost source each.
       * Sign in with accountUrl alone (DefaultAzureCredential), accountUrl
       * with clientId, tenantId and clientSecret, accountUrl with sasToken,
       * or connectionString. Absent: the module registers nothing.
       */
      azureExports?: Array<{
        /**
         * Id of the cost source, stored with every cost it delivers:
         * lower-case letters, digits and dashes, unique among all cost sources.
         */
        id: string;
        /**
         * Blob endpoint of the storage account the export writes to, e.g.
         * https://<account>.blob.core.windows.net, without a query string.
         * Not with connectionString.
         */
        accountUrl?: string;
        /**
         * Storage account connection string (from Access keys), instead of
         * accountUrl and its credentials. Never logged.
         * @visibility secret
         */
        connectionString?: string;
        /**
         * Shared access signature for accountUrl (sv=…&sig=…, with or
         * without the leading ?), with read and list permissions on the
         * container. Never logged.
         * @visibility secret
         */
        sasToken?: string;
        /**
         * Application (client) id of a service principal with the Storage
         * Blob Data Reader role, with tenantId and clientSecret.
         */
        clientId?: string;
        /** Directory (tenant) id of the service principal. */
        tenantId?: string;
        /**
         * Client secret of the service principal. Never logged.
         * @visibility secret
         */
        clientSecret?: string;
        /** Storage container the export writes to, e.g. billing. */
        container: string;
        /**
         * The export's folder in the container: its root folder path (the
         * "directory" set on the export) and the export's name, e.g.
         * cost/focus-daily. The date range folders are under it.
         */
        path: string;
        /**
         * Columns besides FOCUS's to read as tags: column name → tag key,
         * e.g. x_CostCenter: cost-center. A row's own tag of that key wins.
         */
        tagColumns?: { [column: string]: string };
        /**
         * Longest wait for Azure Storage to answer, or to send more of a
         * file: milliseconds or a Backstage duration ("30s", { seconds: 30 }).
         * Default 30 seconds.
         */
        timeout?:
          | number
          | string
          | {
              years?: number;
              months?: number;
              weeks?: number;
              days?: number;
              hours?: number;
              minutes?: number;
              seconds?: number;
              milliseconds?: number;
            };
      }>;
    };
  };
}
