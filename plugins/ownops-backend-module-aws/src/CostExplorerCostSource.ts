import { LoggerService } from '@backstage/backend-plugin-api';
import {
  CostExplorerClient,
  Expression,
  GetCostAndUsageCommand,
  GetTagsCommand,
  Group,
  GroupDefinition,
} from '@aws-sdk/client-cost-explorer';
import { OwnerTagKeys } from '@ownops/backstage-plugin-common';
import {
  CostRecord,
  CostSource,
  dayStart,
  isoSeconds,
  monthsOverlapping,
  monthStart,
  optional,
  ResponseShape,
  shapeProblem,
} from '@ownops/backstage-plugin-node';
import { isZeroDecimal, plainDecimal } from './amount';
import { AwsCostSourceConfig } from './config';
import { explainCostExplorerError } from './costExplorerErrors';
import { credentialSecrets } from './credentialSecrets';
import { OwnershipLookup } from './catalogOwners';
import { serviceCategoryOf } from './serviceCategory';

/** The fields of a GetTags answer this source reads. */
const TAGS_SHAPE: ResponseShape = {
  Tags: optional(['string']),
  NextPageToken: 'string?',
};

/** Service name of spend Cost Explorer could not also split by service. */
export const UNSPLIT_SERVICE = 'AWS (not split by service)';

/** One GetCostAndUsage query and how its groups become tags. */
interface Query {
  description: string;
  filter: Expression;
  groupBy: [GroupDefinition, GroupDefinition];
  /** Tags and service of a group, or undefined to skip the group. */
  read(
    keys: [string, string],
  ): { tags: Record<string, string>; service?: string } | undefined;
  /** Whether the group's first key is an entity tag value to look up. */
  entityInFirstKey?: boolean;
}

const absent = (key: string): Expression => ({
  Tags: { Key: key, MatchOptions: ['ABSENT'] },
});
const tagGroup = (key: string): GroupDefinition => ({ Type: 'TAG', Key: key });
const SERVICE_GROUP: GroupDefinition = { Type: 'DIMENSION', Key: 'SERVICE' };

/**
 * The value of a group key: `owner$team-a` → `team-a` and `owner$`
 * (untagged) → '' for a TAG group; the SERVICE value as it is.
 */
export function groupKeyValue(
  key: string | undefined,
  definition: GroupDefinition,
): string {
  const value = key ?? '';
  const prefix = `${definition.Key}$`;
  if (definition.Type === 'TAG' && value.startsWith(prefix)) {
    return value.slice(prefix.length).trim();
  }
  return value.trim();
}

/**
 * Daily AWS spend from Cost Explorer with every owner tag it can carry.
 * Cost Explorer groups by at most two keys, so the window is read in three
 * kinds of queries (see the README):
 *
 * 1. spend with an entity tag, per environment tag value (and without one),
 *    grouped by entity tag and service; owner and cost center come from the
 *    catalog entity;
 * 2. spend without an entity tag, per environment, grouped by owner and cost
 *    center tags (service not split);
 * 3. spend with neither entity, owner nor cost center tag, grouped by service
 *    and environment.
 *
 * Delivers whole calendar months, up to today.
 */
export class CostExplorerCostSource implements CostSource {
  readonly id: string;
  /** Requests sent in the current run; AWS charges for each. */
  private requests = 0;

  constructor(
    private readonly options: {
      config: AwsCostSourceConfig;
      keys: OwnerTagKeys;
      client: CostExplorerClient;
      /** A new lookup per run, so catalog changes show in the next run. */
      ownership: () => OwnershipLookup;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {
    this.id = options.config.id;
  }

  async *read(window: { start: Date; end: Date }): AsyncIterable<CostRecord> {
    const now = this.options.now?.() ?? new Date();
    const months = monthsOverlapping(window);
    const end = new Date(
      Math.min(
        monthStart(months[months.length - 1] ?? window.start, 1).getTime(),
        dayStart(now, 1).getTime(),
      ),
    );
    if (months.length === 0 || months[0] >= end) {
      return;
    }
    const period = {
      Start: isoSeconds(months[0]).slice(0, 10),
      End: isoSeconds(end).slice(0, 10),
    };
    this.requests = 0;
    const ownership = this.options.ownership();
    const environments = await this.environmentValues(period);
    for (const query of this.queries(environments)) {
      for await (const groups of this.pages(period, query)) {
        const lookup = query.entityInFirstKey
          ? await this.ownershipOf(ownership, groups)
          : undefined;
        for (const group of groups) {
          const read = query.read(group.keys);
          if (!read) continue;
          const owned = lookup?.get(group.keys[0]);
          const tags = { ...read.tags };
          if (owned?.owner) tags[this.options.keys.owner] = owned.owner;
          if (owned?.costCenter) {
            tags[this.options.keys.costCenter] = owned.costCenter;
          }
          const record = this.record(group, tags, read.service, query);
          if (record) yield record;
        }
      }
    }
    this.options.logger.info(
      `AWS Cost Explorer source ${this.id} read ${period.Start} to ${period.End} (end exclusive) in ${this.requests} requests, billed by AWS at $0.01 each`,
    );
  }

  /** Owner and cost center of the entities the groups' entity tags name. */
  private async ownershipOf(
    ownership: OwnershipLookup,
    groups: Array<{ keys: [string, string] }>,
  ) {
    try {
      return await ownership.ownershipOf(
        groups.map(({ keys }) => keys[0]).filter(Boolean),
      );
    } catch (error) {
      throw new Error(
        `AWS Cost Explorer source ${
          this.id
        } could not read entity owners from the catalog: ${
          (error as Error).message
        }; check that the catalog backend is running`,
        { cause: error },
      );
    }
  }

  /** The queries of one run; see the class comment. */
  private queries(environments: string[]): Query[] {
    const { keys } = this.options;
    const perEnvironment: Array<{ value?: string; filter: Expression }> = [
      ...environments.map(value => ({
        value,
        filter: { Tags: { Key: keys.environment, Values: [value] } },
      })),
      { filter: absent(keys.environment) },
    ];
    const withEnvironment = (value: string | undefined) =>
      value ? { [keys.environment]: value } : {};
    const queries: Query[] = [];
    for (const environment of perEnvironment) {
      const envName = environment.value ?? '(none)';
      queries.push({
        description: `entity-tagged spend, environment ${envName}`,
        filter: environment.filter,
        groupBy: [tagGroup(keys.entity), SERVICE_GROUP],
        entityInFirstKey: true,
        read: ([entity, service]) =>
          entity
            ? {
                tags: {
                  [keys.entity]: entity,
                  ...withEnvironment(environment.value),
                },
                service,
              }
            : undefined,
      });
      queries.push({
        description: `spend without entity tag, environment ${envName}`,
        filter: { And: [absent(keys.entity), environment.filter] },
        groupBy: [tagGroup(keys.owner), tagGroup(keys.costCenter)],
        read: ([owner, costCenter]) =>
          owner || costCenter
            ? {
                tags: {
                  ...(owner && { [keys.owner]: owner }),
                  ...(costCenter && { [keys.costCenter]: costCenter }),
                  ...withEnvironment(environment.value),
                },
              }
            : undefined,
      });
    }
    queries.push({
      description: 'spend without entity, owner and cost center tags',
      filter: {
        And: [absent(keys.entity), absent(keys.owner), absent(keys.costCenter)],
      },
      groupBy: [SERVICE_GROUP, tagGroup(keys.environment)],
      read: ([service, environment]) => ({
        tags: withEnvironment(environment || undefined),
        service,
      }),
    });
    return queries;
  }

  /** The environment tag values with spend in the period. */
  private async environmentValues(period: {
    Start: string;
    End: string;
  }): Promise<string[]> {
    const values = new Set<string>();
    let token: string | undefined;
    do {
      const input = {
        TimePeriod: period,
        TagKey: this.options.keys.environment,
        NextPageToken: token,
      };
      const answer = await this.call(
        () => this.options.client.send(new GetTagsCommand(input)),
        `GetTags for ${this.options.keys.environment}`,
        TAGS_SHAPE,
      );
      for (const value of answer.Tags ?? []) {
        if (value.trim()) values.add(value);
      }
      token = answer.NextPageToken;
    } while (token);
    return [...values].sort();
  }

  /** The groups of every day, page by page, with their keys read. */
  private async *pages(
    period: { Start: string; End: string },
    query: Query,
  ): AsyncIterable<
    Array<{
      keys: [string, string];
      day: { start: string; end: string };
      group: Group;
    }>
  > {
    const { billedMetric, effectiveMetric } = this.options.config;
    let token: string | undefined;
    do {
      const input = {
        TimePeriod: period,
        Granularity: 'DAILY' as const,
        Metrics: [billedMetric, effectiveMetric],
        Filter: query.filter,
        GroupBy: query.groupBy,
        NextPageToken: token,
      };
      const answer = await this.call(
        () => this.options.client.send(new GetCostAndUsageCommand(input)),
        `GetCostAndUsage (${query.description})`,
        this.costAndUsageShape,
      );
      yield (answer.ResultsByTime ?? []).flatMap(result =>
        (result.Groups ?? []).map(group => ({
          keys: [
            groupKeyValue(group.Keys?.[0], query.groupBy[0]),
            groupKeyValue(group.Keys?.[1], query.groupBy[1]),
          ] as [string, string],
          day: {
            start: result.TimePeriod?.Start ?? '',
            end: result.TimePeriod?.End ?? '',
          },
          group,
        })),
      );
      token = answer.NextPageToken;
    } while (token);
  }

  private record(
    { day, group }: { day: { start: string; end: string }; group: Group },
    tags: Record<string, string>,
    service: string | undefined,
    query: Query,
  ): CostRecord | undefined {
    const { billedMetric, effectiveMetric } = this.options.config;
    const billed = group.Metrics?.[billedMetric];
    const effective = group.Metrics?.[effectiveMetric];
    const billedCost = plainDecimal(billed?.Amount ?? '0');
    const effectiveCost = plainDecimal(effective?.Amount ?? '0');
    if (isZeroDecimal(billedCost) && isZeroDecimal(effectiveCost)) {
      return undefined;
    }
    const start = new Date(`${day.start}T00:00:00Z`);
    const end = new Date(`${day.end}T00:00:00Z`);
    if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) {
      throw new TypeError(
        `Cost Explorer sent a day without a valid TimePeriod (${JSON.stringify(
          day,
        )})`,
      );
    }
    const serviceName = service || UNSPLIT_SERVICE;
    return {
      chargePeriodStart: isoSeconds(start),
      chargePeriodEnd: isoSeconds(end),
      billingPeriodStart: isoSeconds(monthStart(start)),
      billedCost,
      effectiveCost,
      billingCurrency: billed?.Unit ?? effective?.Unit ?? 'USD',
      serviceCategory: service ? serviceCategoryOf(service) : 'Other',
      serviceName,
      chargeCategory: serviceName === 'Tax' ? 'Tax' : 'Usage',
      resourceId: null,
      resourceName: null,
      regionId: null,
      subAccountId: null,
      tags,
      source: {
        file: `Cost Explorer ${this.id} ${day.start} ${query.description}`,
      },
    };
  }

  /** The fields of a GetCostAndUsage answer this source reads. */
  private get costAndUsageShape(): ResponseShape {
    const { billedMetric, effectiveMetric } = this.options.config;
    const metric = optional({ Amount: 'string?', Unit: 'string?' });
    return {
      ResultsByTime: optional([
        {
          TimePeriod: optional({ Start: 'string?', End: 'string?' }),
          Groups: optional([
            {
              Keys: optional(['string']),
              Metrics: optional({
                [billedMetric]: metric,
                [effectiveMetric]: metric,
              }),
            },
          ]),
        },
      ]),
      NextPageToken: 'string?',
    };
  }

  private async call<T>(
    request: () => Promise<T>,
    what: string,
    shape: ResponseShape,
  ): Promise<T> {
    this.requests += 1;
    let answer: T;
    try {
      answer = await request();
    } catch (error) {
      throw explainCostExplorerError(error, {
        what,
        sourceId: this.id,
        accountId: this.options.config.accountId,
        secrets: await credentialSecrets(this.options.client),
      });
    }
    const problem = shapeProblem(answer, shape);
    if (problem) {
      throw new Error(
        `AWS Cost Explorer source ${this.id}: ${what} answered with a body Ownops does not understand: ${problem}`,
      );
    }
    return answer;
  }
}
