import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_ENVIRONMENTS,
  EntityEnvironments,
  EntitySummary,
  GroupCost,
  GroupCostCurrency,
  GroupDeployments,
  GroupSummary,
  IsoDay,
  readEnvironments,
  SummaryCost,
  SummaryEnvironment,
  SummaryOnCall,
} from '@ownops/backstage-plugin-common';
import {
  BUDGET_ENTITY_FIELDS,
  budgetRefOf,
} from '../cost/budgets/EffectiveBudgets';
import { dayOf, monthOf } from '../cost/budgets/month';
import { addDecimalStrings } from '../cost/focus/decimal';
import { CostService } from '../cost/query/CostService';
import { addDays } from '../cost/query/dayRange';
import { DeploymentStore } from '../database/DeploymentStore';
import { resolveSections } from './resolveSections';
import { BudgetService } from '../service/BudgetService';
import { loadEntity } from '../service/loadEntity';

/** Default deadline of each section, in milliseconds. */
export const DEFAULT_SUMMARY_TIMEOUT_MS = 3000;

const WEEK_MS = 7 * 86_400_000;

/** Who is on call for an entity (the on-call service, injected). */
export type SummaryOnCallFn = (
  entity: Entity,
  at: Date,
  signal: AbortSignal,
) => Promise<SummaryOnCall>;

export interface SummaryServiceOptions {
  catalog: CatalogService;
  /** Environments with their current, latest and active deployment. */
  deployments: {
    getEnvironments(
      entityRef: string,
      credentials: BackstageCredentials,
      /** The entity, already read with these credentials. */
      loaded?: Entity,
      options?: { rollbackCandidates?: boolean },
    ): Promise<EntityEnvironments>;
  };
  /** Finished deployments of the group's components in its week, counted. */
  deploymentStore: Pick<DeploymentStore, 'countFinishedSince'>;
  /**
   * An entity's cost totals and budget status (permission-checked:
   * ownops.cost.read or readAll).
   */
  costs: Pick<CostService, 'getEntityTotals'>;
  /**
   * The budget statuses this month of entities already read with the
   * caller's credentials (permission-checked, in one batch).
   */
  budgets: Pick<BudgetService, 'getBudgetStatuses'>;
  onCall: SummaryOnCallFn;
  /** Deadline of each section; default {@link DEFAULT_SUMMARY_TIMEOUT_MS}. */
  timeoutMs?: number;
  now?: () => Date;
  /** The clock of the cost sections (`ownops.cost.asOf`); default `now`. */
  costNow?: () => Date;
}

/**
 * Summaries of an entity and of a group: every section loads concurrently
 * with its own deadline, and a section that fails, times out or returns
 * malformed data is named beside the others' data.
 */
export class SummaryService {
  private readonly timeoutMs: number;

  constructor(private readonly deps: SummaryServiceOptions) {
    this.timeoutMs = deps.timeoutMs ?? DEFAULT_SUMMARY_TIMEOUT_MS;
  }

  async getEntitySummary(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<EntitySummary> {
    const now = this.now();
    const costNow = this.costNow();
    const entity = await loadEntity(this.deps.catalog, entityRef, credentials);
    const ref = stringifyEntityRef(entity);
    const sections = await resolveSections(
      {
        deployments: {
          load: async () => {
            const configured = readEnvironments(entity);
            if (
              !configured.ok &&
              configured.missingAnnotations.includes(ANNOTATION_ENVIRONMENTS)
            ) {
              // Not deployed by Ownops: no environments, not an error.
              return [];
            }
            return environmentsOf(
              await this.deps.deployments.getEnvironments(
                ref,
                credentials,
                entity,
                // The summary shows none.
                { rollbackCandidates: false },
              ),
            );
          },
          validate: validateEnvironments,
        },
        cost: {
          load: async () => {
            const cost = await this.deps.costs.getEntityTotals(
              entity,
              monthToDate(costNow),
              credentials,
            );
            return {
              month: monthOf(costNow),
              monthToDate: cost.totals,
              budgetStatus: cost.budgetStatus,
            } as SummaryCost;
          },
          validate: validateCost,
        },
        oncall: {
          load: (signal: AbortSignal) => this.deps.onCall(entity, now, signal),
          validate: validateOnCall,
        },
      },
      { timeoutMs: this.timeoutMs },
    );
    return { entityRef: ref, generatedAt: now.toISOString(), ...sections };
  }

  async getGroupSummary(
    groupRef: string,
    credentials: BackstageCredentials,
  ): Promise<GroupSummary> {
    const now = this.now();
    if (parseEntityRef(groupRef).kind.toLocaleLowerCase('en-US') !== 'group') {
      throw new InputError(`${groupRef} is not a group`);
    }
    const group = await loadEntity(this.deps.catalog, groupRef, credentials);
    const ref = stringifyEntityRef(group);
    const { items } = await this.deps.catalog.getEntities(
      {
        filter: { kind: 'Component', 'relations.ownedBy': ref },
        // The budget fields too: the components' budgets are read from
        // these entities, without reading each one again.
        fields: BUDGET_ENTITY_FIELDS,
      },
      { credentials },
    );
    const components = items
      .map(entity => ({ entity, entityRef: stringifyEntityRef(entity) }))
      .sort((a, b) => a.entityRef.localeCompare(b.entityRef));
    const services = components.map(({ entity, entityRef }) => ({
      entityRef,
      ...(entity.metadata.title && { title: entity.metadata.title }),
    }));
    const refs = services.map(s => s.entityRef);

    const sections = await resolveSections(
      {
        deployments: {
          load: () => this.groupDeployments(refs, now),
          validate: (data: GroupDeployments) =>
            Number.isInteger(data?.deploymentsThisWeek)
              ? undefined
              : 'no deployment count',
        },
        cost: {
          load: () =>
            this.groupCost(group, components, this.costNow(), credentials),
          validate: (data: GroupCost) =>
            Array.isArray(data?.currencies) ? undefined : 'no currencies',
        },
        oncall: {
          load: (signal: AbortSignal) => this.deps.onCall(group, now, signal),
          validate: validateOnCall,
        },
      },
      { timeoutMs: this.timeoutMs },
    );
    return {
      groupRef: ref,
      generatedAt: now.toISOString(),
      entities: services.length,
      services,
      ...sections,
    };
  }

  private async groupDeployments(
    refs: string[],
    now: Date,
  ): Promise<GroupDeployments> {
    const since = new Date(now.getTime() - WEEK_MS);
    // One grouped count for every component, not a query per component.
    const counts = await this.deps.deploymentStore.countFinishedSince(
      refs,
      since,
      now,
    );
    const perService = refs.map(entityRef => ({
      entityRef,
      deployments: counts.get(entityRef)?.deployments ?? 0,
      failed: counts.get(entityRef)?.failed ?? 0,
    }));
    return {
      since: since.toISOString(),
      deploymentsThisWeek: perService.reduce((n, s) => n + s.deployments, 0),
      failedDeploymentsThisWeek: perService.reduce((n, s) => n + s.failed, 0),
      perService,
    };
  }

  /**
   * The group's cost this month and its components' budgets: one batched
   * read of the components' budget statuses (one permission call, a few
   * queries). If that read fails, every component counts as unreadable.
   */
  private async groupCost(
    group: Entity,
    components: Array<{ entity: Entity; entityRef: string }>,
    now: Date,
    credentials: BackstageCredentials,
  ): Promise<GroupCost> {
    const [cost, budgets] = await Promise.all([
      this.deps.costs.getEntityTotals(group, monthToDate(now), credentials),
      this.deps.budgets
        .getBudgetStatuses(
          components.map(c => c.entity),
          credentials,
        )
        .catch(() => undefined),
    ]);
    const currencies = new Map<string, GroupCostCurrency>();
    const of = (currency: string) => {
      let row = currencies.get(currency);
      if (!row) {
        row = { currency, monthToDate: '0', componentsWithBudget: 0 };
        currencies.set(currency, row);
      }
      return row;
    };
    for (const total of cost.totals) {
      const row = of(total.currency);
      row.monthToDate = addDecimalStrings(row.monthToDate, total.effectiveCost);
    }
    if (cost.budgetStatus) {
      of(cost.budgetStatus.budget.currency).groupBudget = addDecimalStrings(
        cost.budgetStatus.budget.amount,
      );
    }
    const unreadable = new Set(budgets?.unreadable);
    const componentsUnreadable: string[] = [];
    for (const { entity, entityRef } of components) {
      const ref = budgetRefOf(entity);
      if (!budgets || unreadable.has(ref)) {
        componentsUnreadable.push(entityRef);
        continue;
      }
      const status = budgets.statuses.get(ref);
      if (!status) {
        continue;
      }
      const row = of(status.budget.currency);
      row.componentBudgets = addDecimalStrings(
        row.componentBudgets ?? '0',
        status.budget.amount,
      );
      row.componentsMonthToDate = addDecimalStrings(
        row.componentsMonthToDate ?? '0',
        status.monthToDate,
      );
      row.componentsWithBudget += 1;
    }
    return {
      month: monthOf(now),
      currencies: [...currencies.values()].sort((a, b) =>
        a.currency.localeCompare(b.currency),
      ),
      groupBudgetStatus: cost.budgetStatus,
      componentsUnreadable,
    };
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  private costNow(): Date {
    return this.deps.costNow?.() ?? this.now();
  }
}

/** From the 1st of the month to today, inclusive (UTC). */
function monthToDate(now: Date): { from: IsoDay; to: IsoDay } {
  return { from: `${monthOf(now)}-01`, to: addDays(dayOf(now), 1) };
}

function environmentsOf(
  environments: EntityEnvironments,
): SummaryEnvironment[] {
  return environments.environments.map(env => ({
    environment: env.name,
    currentVersion: env.current?.version ?? null,
    ...(env.latest && {
      lastDeployment: {
        id: env.latest.id,
        version: env.latest.version,
        status: env.latest.status,
        kind: env.latest.kind,
        ...(env.latest.finishedAt && { finishedAt: env.latest.finishedAt }),
        requestedBy: env.latest.requestedBy,
      },
    }),
  }));
}

function validateEnvironments(data: SummaryEnvironment[]): string | undefined {
  if (!Array.isArray(data)) {
    return 'environments are not a list';
  }
  const bad = data.findIndex(e => typeof e?.environment !== 'string');
  return bad === -1 ? undefined : `environment #${bad + 1} has no name`;
}

function validateCost(data: SummaryCost): string | undefined {
  if (!Array.isArray(data?.monthToDate)) {
    return 'month-to-date is not a list';
  }
  const bad = data.monthToDate.findIndex(
    a =>
      typeof a?.currency !== 'string' ||
      typeof a.effectiveCost !== 'string' ||
      typeof a.billedCost !== 'string',
  );
  return bad === -1
    ? undefined
    : `amount #${bad + 1} lacks a currency or decimal strings`;
}

/** Rejects provider answers that are not the on-call shape. */
export function validateOnCall(data: SummaryOnCall): string | undefined {
  if (typeof data !== 'object' || data === null) {
    return 'not an object';
  }
  if (data.provider !== null && typeof data.provider !== 'string') {
    return 'provider is neither a string nor null';
  }
  if (!Array.isArray(data.now)) {
    return '"now" is not a list';
  }
  for (const [i, shift] of [
    ...data.now.map((s, j) => [`now[${j}]`, s] as const),
    ...(data.next !== undefined ? [['next', data.next] as const] : []),
  ]) {
    if (typeof shift?.person?.name !== 'string') {
      return `${i}.person.name is missing`;
    }
    if (
      typeof shift.start !== 'string' ||
      Number.isNaN(Date.parse(shift.start))
    ) {
      return `${i}.start is not a timestamp`;
    }
    if (!Number.isInteger(shift.escalationLevel)) {
      return `${i}.escalationLevel is not an integer`;
    }
  }
  return undefined;
}
