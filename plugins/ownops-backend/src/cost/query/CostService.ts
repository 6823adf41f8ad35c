import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  Budget,
  BudgetStatus,
  CostAmount,
  CostBreakdown,
  CostBreakdownQuery,
  CostBreakdownRow,
  EntityCost,
  EntityCostQuery,
  IsoDay,
  ownopsCostReadAllPermission,
  ownopsCostReadPermission,
  UnallocatedCost,
} from '@ownops/backstage-plugin-common';
import {
  CostDimension,
  CostFilter,
  CostStore,
  CostSum,
} from '../../database/CostStore';
import { sharePercent } from '../ingest/collectCost';
import { decimalToNanos, nanosToDecimal } from '../money/nanos';
import { addDays, daysBetween, resolveRange } from './dayRange';
import { budgetForRange } from './budgetForRange';
import { seriesWithOther, topSeriesKeys } from './breakdownSeries';
import { loadEntity } from '../../service/loadEntity';

/** {@link CostService.getEntityTotals}: a range's totals and the budget status. */
export interface EntityCostTotals {
  from: IsoDay;
  /** Exclusive. */
  to: IsoDay;
  totals: CostAmount[];
  /** This month's; null when the entity has no budget. */
  budgetStatus: BudgetStatus | null;
}

/** Entity kinds with a cost page: a component's own rows, a group's owned rows. */
const COST_KINDS = ['component', 'group'];
const TOP_UNALLOCATED = 20;

/** What each breakdown groups rows by; systems are found from entities. */
const DIMENSION_OF: Record<CostBreakdownQuery['groupBy'], CostDimension> = {
  system: 'entityRef',
  owner: 'ownerRef',
  costCenter: 'costCenter',
  entity: 'entityRef',
  serviceCategory: 'serviceCategory',
  environment: 'environment',
};

/**
 * Reads cost rollups for people: one entity's cost for its owners (or
 * finance), the organisation's breakdowns and unallocated spend for
 * finance (`ownops.cost.readAll`).
 */
export class CostService {
  constructor(
    private readonly deps: {
      store: CostStore;
      catalog: CatalogService;
      permissions: PermissionsService;
      /**
       * This month's budget status of an entity, null without a budget;
       * called only once the caller has been allowed to read its cost.
       */
      budgetStatusOf: (entity: Entity) => Promise<BudgetStatus | null>;
      /** Every effective budget (stored or from annotations). */
      budgets: (credentials: BackstageCredentials) => Promise<Budget[]>;
      now?: () => Date;
    },
  ) {}

  /** An entity's daily cost, totals and this month's budget status. */
  async getEntityCost(
    entityRef: string,
    query: EntityCostQuery,
    credentials: BackstageCredentials,
  ): Promise<EntityCost> {
    const entity = await loadEntity(this.deps.catalog, entityRef, credentials);
    const { ref, whose } = await this.readableCostOf(entity, credentials);
    const dataRange = await this.deps.store.dataRange(whose);
    const range = resolveRange(query, dataRange?.last, this.now());
    const filter: CostFilter = {
      ...whose,
      ...range,
      ...(query.environment !== undefined && {
        environment: query.environment,
      }),
    };
    const [series, totals, environments, budgetStatus] = await Promise.all([
      this.deps.store.sum(filter, ['day', 'serviceCategory', 'environment']),
      this.deps.store.sum(filter, []),
      this.deps.store.distinctValues('environment', whose),
      this.deps.budgetStatusOf(entity),
    ]);
    return {
      entityRef: ref,
      ...range,
      ...(query.environment !== undefined && {
        environment: query.environment,
      }),
      series: series.map(point => ({
        day: point.day!,
        serviceCategory: point.serviceCategory!,
        environment: point.environment ?? null,
        ...amountOf(point),
      })),
      totals: totals.map(amountOf),
      environments,
      dataRange,
      budgetStatus,
    };
  }

  /**
   * An entity's totals per currency over a range and this month's budget
   * status: what the summary shows, without the series, environments and
   * data range of {@link CostService.getEntityCost}. `entity` is the entity
   * the caller has just read from the catalog with these credentials.
   */
  async getEntityTotals(
    entity: Entity,
    range: { from: IsoDay; to: IsoDay },
    credentials: BackstageCredentials,
  ): Promise<EntityCostTotals> {
    const { whose } = await this.readableCostOf(entity, credentials);
    const resolved = resolveRange(range, undefined, this.now());
    const [totals, budgetStatus] = await Promise.all([
      this.deps.store.sum({ ...whose, ...resolved }, []),
      this.deps.budgetStatusOf(entity),
    ]);
    return { ...resolved, totals: totals.map(amountOf), budgetStatus };
  }

  /**
   * The entity's lower-case ref and whose rows are its cost (a component's
   * own, a group's owned ones), once the caller may read them.
   */
  private async readableCostOf(
    entity: Entity,
    credentials: BackstageCredentials,
  ): Promise<{ ref: string; whose: Omit<CostFilter, 'from' | 'to'> }> {
    const ref = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
    const kind = entity.kind.toLocaleLowerCase('en-US');
    if (!COST_KINDS.includes(kind)) {
      throw new InputError(
        `${ref} is of kind ${entity.kind}; cost is kept for components and groups`,
      );
    }
    await this.authorizeEntity(ref, credentials);
    return {
      ref,
      whose: kind === 'group' ? { ownerRef: ref } : { entityRef: ref },
    };
  }

  async getBreakdown(
    query: CostBreakdownQuery,
    credentials: BackstageCredentials,
  ): Promise<CostBreakdown> {
    await this.authorizeReadAll(credentials);
    const { store } = this.deps;
    const dataRange = await store.dataRange({});
    const range = resolveRange(query, dataRange?.last, this.now());
    const length = daysBetween(range.from, range.to);
    const previous = { from: addDays(range.from, -length), to: range.from };
    const scope: Omit<CostFilter, 'from' | 'to'> = {
      ...(query.costCenter !== undefined && { costCenter: query.costCenter }),
      ...(query.owner !== undefined && { ownerRef: query.owner }),
    };
    const bySystem = query.groupBy === 'system';
    const dimension = DIMENSION_OF[query.groupBy];

    const [current, before, unallocated, costCenters] = await Promise.all([
      store.sum({ ...scope, ...range }, [dimension]),
      store.sum({ ...scope, ...previous }, [dimension]),
      store.sum({ ...scope, ...range, unallocatedOnly: true }, []),
      store.distinctValues('costCenter'),
    ]);
    // The groups' sums add up to the range's totals exactly (nanos), so the
    // totals need no scan of their own.
    const totals = [...regroup(current, () => null)]
      .map(([mapKey, sum]) => ({
        currency: (JSON.parse(mapKey) as [null, string])[1],
        billedCost: nanosToDecimal(sum.billed),
        effectiveCost: nanosToDecimal(sum.effective),
      }))
      .sort((a, b) =>
        a.currency < b.currency ? -1 : Number(a.currency > b.currency),
      );

    const entities = await this.entitiesOf(
      dimension === 'entityRef' || dimension === 'ownerRef'
        ? [...current, ...before].map(sum => sum[dimension] ?? null)
        : [],
      credentials,
    );
    const keyOf = (sum: CostSum): string | null => {
      const value = sum[dimension] ?? null;
      if (!bySystem || value === null) return value;
      const system = entities.get(value)?.spec?.system;
      return typeof system === 'string'
        ? stringifyEntityRef({
            kind: 'system',
            namespace: entities.get(value)!.metadata.namespace,
            name: system,
          }).toLocaleLowerCase('en-US')
        : null;
    };

    const currentByKey = regroup(current, keyOf);
    const beforeByKey = regroup(before, keyOf);
    const budgets =
      query.groupBy === 'owner' || query.groupBy === 'entity'
        ? new Map(
            (await this.deps.budgets(credentials)).map(b => [b.entityRef, b]),
          )
        : new Map<string, Budget>();
    const titles = bySystem
      ? await this.entitiesOf(
          [...currentByKey.keys()].map(k => JSON.parse(k)[0]),
          credentials,
        )
      : entities;

    const rows: CostBreakdownRow[] = [];
    for (const [mapKey, sum] of currentByKey) {
      const [key, currency] = JSON.parse(mapKey) as [string | null, string];
      const prior = beforeByKey.get(mapKey);
      const previousNanos = prior?.effective ?? 0n;
      const entity = key === null ? undefined : titles.get(key);
      const budget = key === null ? undefined : budgets.get(key);
      rows.push({
        key,
        ...(entity && {
          title: entity.metadata.title ?? entity.metadata.name,
        }),
        currency,
        billedCost: nanosToDecimal(sum.billed),
        effectiveCost: nanosToDecimal(sum.effective),
        previousEffectiveCost: nanosToDecimal(previousNanos),
        changePercent: changePercent(sum.effective, previousNanos),
        ...(budget &&
          budget.currency === currency && {
            budgetForRange: budgetForRange(budget.amount, range),
          }),
      });
    }
    rows.sort(
      (a, b) =>
        (a.currency < b.currency ? -1 : Number(a.currency > b.currency)) ||
        compareNanos(
          decimalToNanos(b.effectiveCost),
          decimalToNanos(a.effectiveCost),
        ) ||
        String(a.key).localeCompare(String(b.key)),
    );

    let series: CostBreakdown['series'];
    if (bySystem) {
      const daily = await store.sum({ ...scope, ...range }, ['day', dimension]);
      series = [...regroup(daily, sum => [sum.day, keyOf(sum)]).entries()].map(
        ([mapKey, sum]) => {
          const [[day, key], currency] = JSON.parse(mapKey) as [
            [string, string | null],
            string,
          ];
          return {
            day,
            key,
            currency,
            effectiveCost: nanosToDecimal(sum.effective),
          };
        },
      );
      series.sort((a, b) => (a.day < b.day ? -1 : Number(a.day > b.day)));
    } else {
      const top = topSeriesKeys(rows);
      const [keyed, dayTotals] = await Promise.all([
        store.sum(
          { ...scope, ...range, keys: { dimension, values: top.keys } },
          ['day', dimension],
        ),
        top.complete
          ? Promise.resolve([])
          : store.sum({ ...scope, ...range }, ['day']),
      ]);
      series = seriesWithOther(keyed, dayTotals, dimension);
    }

    return {
      groupBy: query.groupBy,
      ...range,
      previousFrom: previous.from,
      previousTo: previous.to,
      ...(query.costCenter !== undefined && { costCenter: query.costCenter }),
      ...(query.owner !== undefined && { owner: query.owner }),
      rows,
      series,
      totals,
      unallocated: unallocated.map(amountOf),
      costCenters,
      dataRange,
    };
  }

  async getUnallocated(
    query: { from?: string; to?: string },
    credentials: BackstageCredentials,
  ): Promise<UnallocatedCost> {
    await this.authorizeReadAll(credentials);
    const { store } = this.deps;
    const dataRange = await store.dataRange({});
    const range = resolveRange(query, dataRange?.last, this.now());
    const [unallocated, all, topResources] = await Promise.all([
      store.sum({ ...range, unallocatedOnly: true }, []),
      store.sum(range, []),
      store.topUnallocated(
        range.from.slice(0, 7),
        addDays(range.to, -1).slice(0, 7),
        TOP_UNALLOCATED,
      ),
    ]);
    const allByCurrency = new Map(all.map(sum => [sum.currency, sum]));
    return {
      ...range,
      totals: unallocated.map(amountOf),
      share: unallocated.map(sum => ({
        currency: sum.currency,
        percent: sharePercent(
          decimalToNanos(sum.effectiveCost),
          decimalToNanos(allByCurrency.get(sum.currency)?.effectiveCost ?? '0'),
        ),
      })),
      topResources,
    };
  }

  /** Whether the caller reads all cost (finance); throws otherwise. */
  async authorizeReadAll(credentials: BackstageCredentials): Promise<void> {
    const [decision] = await this.deps.permissions.authorize(
      [{ permission: ownopsCostReadAllPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Only finance may read the organisation's cost (permission ${ownopsCostReadAllPermission.name}); your own services' cost is on their Cost tab`,
      );
    }
  }

  private async authorizeEntity(
    ref: string,
    credentials: BackstageCredentials,
  ): Promise<void> {
    const [read, readAll] = await this.deps.permissions.authorize(
      [
        { permission: ownopsCostReadPermission, resourceRef: ref },
        { permission: ownopsCostReadAllPermission },
      ],
      { credentials },
    );
    if (
      read.result !== AuthorizeResult.ALLOW &&
      readAll.result !== AuthorizeResult.ALLOW
    ) {
      throw new NotAllowedError(
        `You may not read the cost of ${ref} (permission ${ownopsCostReadPermission.name} or ${ownopsCostReadAllPermission.name}); ask one of its owners or finance`,
      );
    }
  }

  /** The catalog entities of the given refs that exist, by lower-case ref. */
  private async entitiesOf(
    refs: Array<string | null>,
    credentials: BackstageCredentials,
  ): Promise<Map<string, Entity>> {
    const unique = [...new Set(refs.filter((r): r is string => r !== null))];
    const result = new Map<string, Entity>();
    if (unique.length === 0) return result;
    const { items } = await this.deps.catalog.getEntitiesByRefs(
      {
        entityRefs: unique,
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.title',
          'spec.system',
        ],
      },
      { credentials },
    );
    items.forEach((entity, index) => {
      if (entity) result.set(unique[index], entity);
    });
    return result;
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }
}

function amountOf(sum: CostSum): CostAmount {
  return {
    currency: sum.currency,
    billedCost: sum.billedCost,
    effectiveCost: sum.effectiveCost,
  };
}

/** Sums rows again under a derived key, per currency, in nanos. */
function regroup(
  sums: CostSum[],
  keyOf: (sum: CostSum) => unknown,
): Map<string, { billed: bigint; effective: bigint }> {
  const result = new Map<string, { billed: bigint; effective: bigint }>();
  for (const sum of sums) {
    const mapKey = JSON.stringify([keyOf(sum), sum.currency]);
    const entry = result.get(mapKey) ?? { billed: 0n, effective: 0n };
    entry.billed += decimalToNanos(sum.billedCost);
    entry.effective += decimalToNanos(sum.effectiveCost);
    result.set(mapKey, entry);
  }
  return result;
}

function compareNanos(a: bigint, b: bigint): number {
  return a < b ? -1 : Number(a > b);
}

/** Percent change with one decimal, null when there was nothing before. */
function changePercent(current: bigint, previous: bigint): number | null {
  if (previous === 0n) return null;
  const magnitude = previous < 0n ? -previous : previous;
  const tenths = ((current - previous) * 2000n) / (2n * magnitude);
  return Number(tenths) / 10;
}
