import { LoggerService } from '@backstage/backend-plugin-api';
import {
  optional,
  ProviderHttpClient,
  ProviderRequestError,
  ResponseShape,
  rewordProviderError,
} from '@ownops/backstage-plugin-node';
import { OpsgenieConfig } from './config';

export interface OpsgenieSchedule {
  id: string;
  name: string;
  enabled?: boolean;
  ownerTeam?: { id?: string; name?: string };
}

/** `GET /v2/schedules/{id}/on-calls?flat=true`. */
export interface OpsgenieOnCalls {
  _parent?: { id: string; name: string; enabled?: boolean };
  onCallParticipants?: Array<{ id?: string; name?: string; type?: string }>;
  /** The usernames (emails) of the users on call, with `flat=true`. */
  onCallRecipients?: string[];
}

export interface OpsgenieTimelinePeriod {
  startDate: string;
  endDate: string;
  type?: string;
  recipient?: { id?: string; name?: string; type?: string };
}

/** `GET /v2/schedules/{id}/timeline`. */
export interface OpsgenieTimeline {
  startDate?: string;
  endDate?: string;
  finalTimeline?: {
    rotations?: Array<{
      id?: string;
      name?: string;
      order?: number;
      periods?: OpsgenieTimelinePeriod[];
    }>;
  };
}

const PERSON_SHAPE = optional({
  id: 'string?',
  name: 'string?',
  type: 'string?',
});

/** The fields the module reads of each answer, all inside `data`. */
const SHAPES = {
  schedules: {
    data: optional([
      {
        id: 'string',
        name: 'string',
        enabled: 'boolean?',
        ownerTeam: optional({ id: 'string?', name: 'string?' }),
      },
    ]),
  },
  onCalls: {
    data: optional({
      onCallParticipants: optional([PERSON_SHAPE]),
      onCallRecipients: optional(['string']),
    }),
  },
  timeline: {
    data: optional({
      finalTimeline: optional({
        rotations: optional([
          {
            order: 'number?',
            periods: optional([
              {
                startDate: 'string',
                endDate: 'string',
                recipient: PERSON_SHAPE,
              },
            ]),
          },
        ]),
      }),
    }),
  },
} satisfies Record<string, ResponseShape>;

/**
 * The Opsgenie REST API calls the module makes, with messages that say what
 * to fix when Opsgenie refuses one.
 */
export class OpsgenieApi {
  private readonly http: ProviderHttpClient;
  private readonly headers: Record<string, string>;

  constructor(
    private readonly config: OpsgenieConfig,
    logger?: LoggerService,
    fetchImpl?: typeof fetch,
  ) {
    this.http = new ProviderHttpClient({
      provider: 'Opsgenie',
      timeoutMs: config.timeoutMs,
      secrets: [config.apiKey],
      logger,
      fetch: fetchImpl,
    });
    this.headers = { authorization: `GenieKey ${config.apiKey}` };
  }

  async listSchedules(signal?: AbortSignal): Promise<OpsgenieSchedule[]> {
    const body = await this.get<{ data?: OpsgenieSchedule[] }>(
      '/v2/schedules',
      new URLSearchParams(),
      'the schedules',
      SHAPES.schedules,
      signal,
    );
    return body.data ?? [];
  }

  async getOnCalls(
    schedule: OpsgenieSchedule,
    at: Date,
    signal?: AbortSignal,
  ): Promise<OpsgenieOnCalls> {
    const body = await this.get<{ data?: OpsgenieOnCalls }>(
      `/v2/schedules/${encodeURIComponent(schedule.id)}/on-calls`,
      new URLSearchParams({
        scheduleIdentifierType: 'id',
        flat: 'true',
        date: at.toISOString(),
      }),
      `the on-calls of schedule "${schedule.name}"`,
      SHAPES.onCalls,
      signal,
    );
    return body.data ?? {};
  }

  async getTimeline(
    schedule: OpsgenieSchedule,
    from: Date,
    weeks: number,
    signal?: AbortSignal,
  ): Promise<OpsgenieTimeline> {
    const body = await this.get<{ data?: OpsgenieTimeline }>(
      `/v2/schedules/${encodeURIComponent(schedule.id)}/timeline`,
      new URLSearchParams({
        identifierType: 'id',
        date: from.toISOString(),
        interval: String(weeks),
        intervalUnit: 'weeks',
      }),
      `the timeline of schedule "${schedule.name}"`,
      SHAPES.timeline,
      signal,
    );
    return body.data ?? {};
  }

  private async get<T>(
    path: string,
    query: URLSearchParams,
    what: string,
    shape: ResponseShape,
    signal?: AbortSignal,
  ): Promise<T> {
    const search = query.toString();
    const url = `${this.config.apiBaseUrl}${path}${search ? `?${search}` : ''}`;
    try {
      return await this.http.json<T>(url, {
        headers: this.headers,
        signal,
        shape,
      });
    } catch (error) {
      throw explain(error, what);
    }
  }
}

/** Rewrites Opsgenie's refusals into messages that say what to do. */
function explain(error: unknown, what: string): unknown {
  if (!(error instanceof ProviderRequestError)) return error;
  const said = error.providerMessage
    ? ` (Opsgenie said: ${error.providerMessage})`
    : '';
  const message = {
    401: `Opsgenie rejected the API key while reading ${what}${said}; check ownops.opsgenie.apiKey and that ownops.opsgenie.apiBaseUrl points at your Opsgenie region (US or EU)`,
    403: `The Opsgenie API key may not read ${what}${said}; give the key read and configuration access (Settings → API key management), or use an API integration that is not restricted from configurations`,
    404: `Opsgenie could not find ${what}${said}; check the opsgenie.com/team or ownops.io/opsgenie-schedule annotation, and that ownops.opsgenie.apiBaseUrl points at your Opsgenie region`,
    422: `Opsgenie could not read ${what}${said}`,
  }[error.status ?? 0];
  return message ? rewordProviderError(error, message) : error;
}
