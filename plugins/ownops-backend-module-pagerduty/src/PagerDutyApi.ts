import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ProviderHttpClient,
  ProviderRequestError,
  rewordProviderError,
} from '@ownops/backstage-plugin-node';
import { PagerDutyConfig } from './config';

/** A user as `include[]=users` expands it. */
export interface PagerDutyUser {
  id: string;
  type: string;
  summary?: string;
  name?: string;
  email?: string;
  html_url?: string;
}

export interface PagerDutyOnCall {
  user: PagerDutyUser;
  escalation_level: number;
  /** Null for an on-call without a schedule (a user named in the policy). */
  start: string | null;
  end: string | null;
}

export interface PagerDutyService {
  id: string;
  name: string;
  html_url?: string;
  escalation_policy: { id: string; type: string };
}

/** The fields of `GET /services/{id}` the module reads. */
const SERVICE_SHAPE = {
  service: {
    id: 'string',
    name: 'string?',
    html_url: 'string?',
    escalation_policy: { id: 'string' },
  },
} as const;

/** The fields of a `GET /oncalls?include[]=users` page the module reads. */
const ONCALLS_SHAPE = {
  oncalls: [
    {
      escalation_level: 'number',
      start: 'string?',
      end: 'string?',
      user: {
        id: 'string',
        name: 'string?',
        summary: 'string?',
        email: 'string?',
      },
    },
  ],
  more: 'boolean?',
} as const;

const PAGE_SIZE = 100;
/** Bounds a runaway listing: 20 pages of 100 on-calls. */
const MAX_PAGES = 20;

/**
 * The PagerDuty REST API calls the module makes, with messages that say
 * what to fix when PagerDuty refuses one.
 */
export class PagerDutyApi {
  private readonly http: ProviderHttpClient;
  private readonly headers: Record<string, string>;

  constructor(
    private readonly config: PagerDutyConfig,
    private readonly logger?: LoggerService,
    private readonly fetchImpl?: typeof fetch,
  ) {
    this.http = new ProviderHttpClient({
      provider: 'PagerDuty',
      timeoutMs: config.timeoutMs,
      secrets: [config.apiToken],
      logger,
      fetch: fetchImpl,
    });
    this.headers = {
      authorization: `Token token=${config.apiToken}`,
      accept: 'application/vnd.pagerduty+json;version=2',
    };
  }

  async getService(
    serviceId: string,
    signal?: AbortSignal,
  ): Promise<PagerDutyService> {
    const url = `${this.config.apiBaseUrl}/services/${encodeURIComponent(
      serviceId,
    )}`;
    try {
      const body = await this.http.json<{ service: PagerDutyService }>(url, {
        headers: this.headers,
        signal,
        shape: SERVICE_SHAPE,
      });
      return body.service;
    } catch (error) {
      throw explain(error, `service "${serviceId}"`, 'services');
    }
  }

  /** Every on-call of the escalation policy between `since` and `until`. */
  async listOnCalls(
    escalationPolicyId: string,
    since: Date,
    until: Date,
    signal?: AbortSignal,
  ): Promise<PagerDutyOnCall[]> {
    const oncalls: PagerDutyOnCall[] = [];
    for (let page = 0; page < MAX_PAGES; page++) {
      const query = new URLSearchParams();
      query.append('escalation_policy_ids[]', escalationPolicyId);
      query.append('include[]', 'users');
      query.set('since', since.toISOString());
      query.set('until', until.toISOString());
      query.set('limit', String(PAGE_SIZE));
      query.set('offset', String(oncalls.length));
      const url = `${this.config.apiBaseUrl}/oncalls?${query}`;
      let body: { oncalls: PagerDutyOnCall[]; more?: boolean };
      try {
        body = await this.http.json(url, {
          headers: this.headers,
          signal,
          shape: ONCALLS_SHAPE,
        });
      } catch (error) {
        throw explain(
          error,
          `the on-calls of escalation policy "${escalationPolicyId}"`,
          'on-calls',
        );
      }
      oncalls.push(...body.oncalls);
      if (!body.more || !body.oncalls.length) return oncalls;
    }
    return oncalls;
  }

  /** Sends a change event (Events API v2) with the service's integration key. */
  async sendChangeEvent(
    event: { routing_key: string } & Record<string, unknown>,
    what: string,
  ): Promise<void> {
    const http = new ProviderHttpClient({
      provider: 'PagerDuty',
      timeoutMs: this.config.timeoutMs,
      secrets: [this.config.apiToken, event.routing_key],
      logger: this.logger,
      fetch: this.fetchImpl,
    });
    try {
      await http.request(`${this.config.eventsBaseUrl}/v2/change/enqueue`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(event),
        // A change event sent twice shows twice on the service's timeline;
        // one lost to a passing 5xx does not show at all.
        idempotent: true,
      });
    } catch (error) {
      if (!(error instanceof ProviderRequestError)) throw error;
      // Without the body or cause: PagerDuty may quote the routing key there.
      throw new ProviderRequestError({
        provider: error.provider,
        status: error.status,
        providerMessage: error.providerMessage,
        rateLimited: error.rateLimited,
        message:
          error.status === 400
            ? `PagerDuty refused the change event for ${what}: ${
                error.providerMessage ?? 'invalid event'
              }; check that pagerduty.com/integration-key holds an Events API v2 integration key of the service`
            : error.message,
      });
    }
  }
}

/** Rewrites PagerDuty's refusals into messages that say what to do. */
function explain(error: unknown, what: string, scope: string): unknown {
  if (!(error instanceof ProviderRequestError)) return error;
  const said = error.providerMessage
    ? ` (PagerDuty said: ${error.providerMessage})`
    : '';
  const message = {
    401: `PagerDuty rejected the API token while reading ${what}${said}; check ownops.pagerduty.apiToken (a REST API key, not an Events integration key)`,
    403: `The PagerDuty API token may not read ${what}${said}; use a REST API key with read access to ${scope} (a read-only account key suffices)`,
    404: `PagerDuty has no ${what}${said}; check the pagerduty.com/service-id annotation and that ownops.pagerduty.apiBaseUrl points at your PagerDuty region (US or EU)`,
  }[error.status ?? 0];
  return message ? rewordProviderError(error, message) : error;
}
