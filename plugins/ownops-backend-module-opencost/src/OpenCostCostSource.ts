import { LoggerService } from '@backstage/backend-plugin-api';
import { OwnerTagKeys } from '@ownops/backstage-plugin-common';
import {
  chunksOf,
  CostRecord,
  CostSource,
  dayStart,
  isoSeconds,
  monthsOverlapping,
  monthStart,
  ProviderHttpClient,
  ProviderRequestError,
} from '@ownops/backstage-plugin-node';
import {
  aggregateParameter,
  allocationRecords,
  OpenCostAllocationResponse,
} from './allocationRecords';
import { OpenCostSourceConfig } from './config';

/** Days asked for in one `/allocation` request, to keep answers small. */
export const CHUNK_DAYS = 7;

/**
 * Kubernetes costs from OpenCost's allocation API, one record per
 * allocation, day and cost component, with the owner labels as tags.
 *
 * Delivers whole calendar months: every month overlapping the window that
 * OpenCost still fully holds (it starts at most `lookbackDays` ago), up to
 * the end of today. Older months are not read, so their stored figures stay.
 */
export class OpenCostCostSource implements CostSource {
  readonly id: string;

  constructor(
    private readonly options: {
      config: OpenCostSourceConfig;
      keys: OwnerTagKeys;
      http: ProviderHttpClient;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {
    this.id = options.config.id;
  }

  async *read(window: { start: Date; end: Date }): AsyncIterable<CostRecord> {
    const { config, keys } = this.options;
    const now = this.options.now?.() ?? new Date();
    const retainedFrom = dayStart(now, -config.lookbackDays);
    const readUntil = dayStart(now, 1);
    const months = monthsOverlapping(window).filter(month => month < readUntil);
    const skipped = months.filter(month => month < retainedFrom);
    if (skipped.length > 0) {
      this.options.logger.info(
        `OpenCost source ${this.id}: not reading ${skipped
          .map(month => isoSeconds(month).slice(0, 7))
          .join(', ')}; OpenCost keeps ${
          config.lookbackDays
        } days (lookbackDays), so those months are no longer complete there and keep their stored costs`,
      );
    }
    for (const month of months.filter(m => m >= retainedFrom)) {
      const end = new Date(
        Math.min(monthStart(month, 1).getTime(), readUntil.getTime()),
      );
      for (const chunk of chunksOf({ start: month, end }, CHUNK_DAYS)) {
        const { steps, where } = await this.allocations(chunk);
        for (const [index, step] of steps.entries()) {
          for (const [key, allocation] of Object.entries(step ?? {})) {
            let records;
            try {
              records = allocationRecords(key, allocation, {
                keys,
                currency: config.currency,
                sourceId: this.id,
              });
            } catch (error) {
              throw new Error(
                this.options.http.redact(
                  `${where} answered an allocation Ownops does not understand (step ${index}, key ${JSON.stringify(
                    key,
                  )}): ${(error as Error).message}`,
                ),
              );
            }
            yield* records;
          }
        }
      }
    }
  }

  /** The allocation steps of one chunk: one map of key → allocation per day. */
  private async allocations(chunk: { start: Date; end: Date }): Promise<{
    steps: NonNullable<OpenCostAllocationResponse['data']>;
    where: string;
  }> {
    const { config, keys, http } = this.options;
    const window = `${isoSeconds(chunk.start)},${isoSeconds(chunk.end)}`;
    const query = new URLSearchParams({
      window,
      aggregate: aggregateParameter(keys),
      step: '1d',
      accumulate: 'false',
    });
    const where = `OpenCost source ${this.id} (${config.url}) for ${window}`;
    let body: OpenCostAllocationResponse;
    try {
      body = await http.json<OpenCostAllocationResponse>(
        `${config.url}/allocation?${query}`,
        { headers: config.headers },
      );
    } catch (error) {
      throw new Error(explain(error, where), { cause: error });
    }
    if (body.code !== undefined && body.code !== 200) {
      throw new Error(
        http.redact(
          `${where} answered code ${body.code}${
            body.message ? `: ${body.message}` : ''
          }`,
        ),
      );
    }
    if (!Array.isArray(body.data)) {
      throw new Error(
        `${where} answered without a data list; is ${config.url} the OpenCost API (port 9003)?`,
      );
    }
    const malformed = body.data.findIndex(
      step =>
        step !== null &&
        (!isObject(step) || !Object.values(step).every(isObject)),
    );
    if (malformed !== -1) {
      throw new Error(
        http.redact(
          `${where} answered a data list whose step ${malformed} is not a map of allocations: ${JSON.stringify(
            body.data[malformed],
          ).slice(0, 120)}`,
        ),
      );
    }
    return { steps: body.data, where };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** What went wrong with an allocation request, and what to do about it. */
function explain(error: unknown, where: string): string {
  if (!(error instanceof ProviderRequestError)) {
    return `${where}: ${(error as Error).message}`;
  }
  const said = error.providerMessage ? `: ${error.providerMessage}` : '';
  switch (error.status) {
    case 400:
      return `OpenCost refused the allocation query of ${where}${said}. Check that the OpenCost version supports label aggregation and that ownops.tags.keys are label names OpenCost knows`;
    case 401:
    case 403:
      return `OpenCost (or the proxy in front of it) refused access for ${where}${said}. Check ownops.cost.opencost[].headers`;
    case 404:
      return `${where} has no /allocation endpoint${said}. Point url at the OpenCost API (port 9003), not the UI`;
    default:
      return `${where}: ${error.message}`;
  }
}
