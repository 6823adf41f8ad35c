import {
  AuthService,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ANNOTATION_BUDGET,
  Budget,
  BudgetResponse,
  BudgetStatus,
  BudgetStatusList,
  ownopsBudgetUpdatePermission,
  ownopsCostReadAllPermission,
  ownopsCostReadPermission,
} from '@ownops/backstage-plugin-common';
import {
  budgetStatusesOf,
  budgetStatusOf,
} from '../cost/budgets/budgetStatuses';
import {
  BUDGET_KINDS,
  budgetRefOf,
  EffectiveBudget,
  EffectiveBudgets,
  readBudgetAnnotation,
} from '../cost/budgets/EffectiveBudgets';
import { monthOf, parseMonth } from '../cost/budgets/month';
import { BudgetStore } from '../database/BudgetStore';
import { CostStore } from '../database/CostStore';
import { parseBudgetInput } from './budgetInput';

/**
 * How long the list of every budget reuses the catalog's budget-annotated
 * entities: the Finance page's breakdown and budgets requests both list
 * them, and the catalog takes far longer than this to pick up an edited
 * annotation. Stored budgets are always read fresh.
 */
export const ANNOTATED_BUDGETS_REUSE_MS = 30_000;

/** The budget statuses of many entities (see {@link BudgetService.getBudgetStatuses}). */
export interface BudgetStatuses {
  /** By lower-cased entity ref; entities without a budget are absent. */
  statuses: Map<string, BudgetStatus>;
  /** Lower-cased refs of the entities whose cost the caller may not read. */
  unreadable: string[];
}

const BUDGET_KINDS_LOWER = BUDGET_KINDS.map(k => k.toLocaleLowerCase('en-US'));

/**
 * Monthly budgets of components and groups: the entity is resolved with the
 * caller's credentials, then the permission is checked on it.
 *
 * The effective budget of an entity is its `ownops.io/budget` annotation
 * when valid, else the stored one (see {@link EffectiveBudgets}); a budget
 * that comes from an annotation is changed in the entity's catalog-info.yaml,
 * never through the API.
 */
export class BudgetService {
  private readonly effective: EffectiveBudgets;

  constructor(
    private readonly deps: {
      store: BudgetStore;
      catalog: CatalogService;
      permissions: PermissionsService;
      /** Daily cost for budget statuses; required by the status methods. */
      costs?: Pick<CostStore, 'sum'>;
      /**
       * For the plugin's own credentials when listing every budget
       * annotation; without it the caller's credentials are used, so
       * entities they cannot see are left out.
       */
      auth?: AuthService;
      /** Warns of invalid budget annotations. */
      logger?: LoggerService;
      now?: () => Date;
    },
  ) {
    this.effective = new EffectiveBudgets({
      store: deps.store,
      catalog: deps.catalog,
      logger: deps.logger,
      now: deps.now,
      // Listed with the plugin's own credentials, the same for every caller.
      ...(deps.auth && { reuseAnnotatedForMs: ANNOTATED_BUDGETS_REUSE_MS }),
    });
  }

  /**
   * The effective budget of a component or group and its source; needs
   * `ownops.cost.read` on the entity or `ownops.cost.readAll`.
   */
  async getBudget(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<BudgetResponse> {
    const { entity } = await this.readableEntity(entityRef, credentials);
    const effective = await this.effective.ofEntity(entity);
    return effective
      ? { budget: effective.budget, source: effective.source }
      : { budget: null };
  }

  /**
   * Creates or replaces the stored budget of a component or group. The body
   * is validated before anything else; needs `ownops.budget.update` on the
   * entity. An entity whose budget comes from the `ownops.io/budget`
   * annotation answers 409; one with an invalid annotation answers 400
   * naming the problem, since the annotation would take over once fixed.
   */
  async setBudget(
    entityRef: string,
    input: unknown,
    credentials: BackstageCredentials<{ type: 'user'; userEntityRef: string }>,
  ): Promise<BudgetResponse> {
    const budget = parseBudgetInput(input);
    const { entity, ref } = await this.budgetEntityOf(entityRef, credentials);
    const [decision] = await this.deps.permissions.authorize(
      [{ permission: ownopsBudgetUpdatePermission, resourceRef: ref }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You may not set the budget of ${ref} (permission ${ownopsBudgetUpdatePermission.name}); ask one of its owners`,
      );
    }
    const annotation = readBudgetAnnotation(entity, this.now());
    if (annotation.type === 'valid') {
      throw new ConflictError(
        `The budget of ${ref} comes from the ${ANNOTATION_BUDGET} annotation in its catalog-info.yaml ("${entity.metadata.annotations?.[ANNOTATION_BUDGET]}"); change it there`,
      );
    }
    if (annotation.type === 'invalid') {
      throw new InputError(
        `${ref} has an invalid ${ANNOTATION_BUDGET} annotation in its catalog-info.yaml (${annotation.problems.join(
          '; ',
        )}); fix the annotation there, or remove it to set the budget here`,
      );
    }
    const stored = await this.deps.store.upsert(
      {
        entityRef: ref,
        ...budget,
        updatedBy: credentials.principal.userEntityRef,
      },
      this.now(),
    );
    return { budget: stored, source: 'set' };
  }

  /**
   * How a component's or group's effective budget stands in a month (UTC,
   * `YYYY-MM`, default the current one); null without a budget. Needs
   * `ownops.cost.read` on the entity or `ownops.cost.readAll`.
   */
  async getBudgetStatus(
    entityRef: string,
    credentials: BackstageCredentials,
    month?: string,
  ): Promise<BudgetStatus | null> {
    const resolvedMonth = this.monthOrCurrent(month);
    const { entity } = await this.readableEntity(entityRef, credentials);
    return this.statusOfReadable(entity, resolvedMonth);
  }

  /**
   * {@link BudgetService.getBudgetStatus} this month for an entity the
   * caller has read and whose cost they have been allowed to read
   * (`ownops.cost.read` on it or `ownops.cost.readAll`): no catalog read
   * and no permission call. For services that have checked that already.
   */
  async getReadableBudgetStatus(entity: Entity): Promise<BudgetStatus | null> {
    return this.statusOfReadable(
      budgetEntity(entity).entity,
      this.monthOrCurrent(undefined),
    );
  }

  /**
   * How the budgets of many components or groups stand in a month (default
   * the current one), for entities the caller has already read with these
   * credentials with the fields of `BUDGET_ENTITY_FIELDS`: one permission
   * call for all of them, one query for their stored budgets and at most
   * two sum queries (see {@link budgetStatusesOf}), no catalog read. An
   * entity needs `ownops.cost.read` on it or `ownops.cost.readAll`, as for
   * {@link BudgetService.getBudgetStatus}; the others are listed in
   * `unreadable`. `statuses` is keyed by lower-cased ref; an entity without
   * a budget has none. An entity of another kind than component or group
   * is an InputError.
   */
  async getBudgetStatuses(
    entities: Entity[],
    credentials: BackstageCredentials,
    month?: string,
  ): Promise<BudgetStatuses> {
    const resolvedMonth = this.monthOrCurrent(month);
    const found = entities.map(budgetEntity);
    if (found.length === 0) {
      return { statuses: new Map(), unreadable: [] };
    }
    const [readAll, ...reads] = await this.deps.permissions.authorize(
      [
        { permission: ownopsCostReadAllPermission },
        ...found.map(({ ref }) => ({
          permission: ownopsCostReadPermission,
          resourceRef: ref,
        })),
      ],
      { credentials },
    );
    const readable: Entity[] = [];
    const unreadable: string[] = [];
    found.forEach(({ entity, ref }, i) => {
      if (
        readAll.result === AuthorizeResult.ALLOW ||
        reads[i].result === AuthorizeResult.ALLOW
      ) {
        readable.push(entity);
      } else {
        unreadable.push(ref);
      }
    });
    const budgets = await this.effective.ofEntities(readable);
    const statuses = await this.statusesOf(budgets, resolvedMonth);
    return {
      statuses: new Map(
        statuses.map(status => [status.budget.entityRef, status]),
      ),
      unreadable,
    };
  }

  /**
   * Every effective budget, without month-to-date figures; needs
   * `ownops.cost.readAll`.
   */
  async listBudgets(credentials: BackstageCredentials): Promise<Budget[]> {
    return (await this.listEffective(credentials)).map(b => b.budget);
  }

  private async listEffective(credentials: BackstageCredentials) {
    const [decision] = await this.deps.permissions.authorize(
      [{ permission: ownopsCostReadAllPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You may not read every budget (permission ${ownopsCostReadAllPermission.name})`,
      );
    }
    return this.effective.list(
      (await this.deps.auth?.getOwnServiceCredentials()) ?? credentials,
    );
  }

  /**
   * The status of every effective budget in a month (default the current
   * one): every stored budget and every component or group with a budget
   * annotation. Needs `ownops.cost.readAll`.
   */
  async listBudgetStatuses(
    credentials: BackstageCredentials,
    month?: string,
  ): Promise<BudgetStatusList> {
    const resolvedMonth = this.monthOrCurrent(month);
    const budgets = await this.listEffective(credentials);
    const statuses = await this.statusesOf(budgets, resolvedMonth);
    return {
      month: resolvedMonth,
      items: statuses.map((status, index) => {
        const entity = budgets[index].entity;
        return entity
          ? {
              ...status,
              title: entity.metadata.title ?? entity.metadata.name,
            }
          : status;
      }),
    };
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  private async statusOfReadable(
    entity: Entity,
    month: string,
  ): Promise<BudgetStatus | null> {
    const effective = await this.effective.ofEntity(entity);
    return effective
      ? budgetStatusOf(this.costs(), effective, month, this.now())
      : null;
  }

  /** The statuses of many budgets, in their order (at most two sum queries). */
  private statusesOf(budgets: EffectiveBudget[], month: string) {
    return budgetStatusesOf(this.costs(), budgets, month, this.now());
  }

  /** `month` checked as `YYYY-MM`, or the current month (UTC). */
  private monthOrCurrent(month: string | undefined): string {
    return month === undefined ? monthOf(this.now()) : parseMonth(month);
  }

  private costs(): Pick<CostStore, 'sum'> {
    if (!this.deps.costs) {
      throw new Error('BudgetService was created without a cost store');
    }
    return this.deps.costs;
  }

  /** A component or group the caller can see and may read the cost of. */
  private async readableEntity(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<{ entity: Entity; ref: string }> {
    const found = await this.budgetEntityOf(entityRef, credentials);
    const [read, readAll] = await this.deps.permissions.authorize(
      [
        { permission: ownopsCostReadPermission, resourceRef: found.ref },
        { permission: ownopsCostReadAllPermission },
      ],
      { credentials },
    );
    if (
      read.result !== AuthorizeResult.ALLOW &&
      readAll.result !== AuthorizeResult.ALLOW
    ) {
      throw new NotAllowedError(
        `You may not read the cost of ${found.ref} (permission ${ownopsCostReadPermission.name} or ${ownopsCostReadAllPermission.name})`,
      );
    }
    return found;
  }

  /** A component or group the caller can see, with its lower-cased ref. */
  private async budgetEntityOf(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<{ entity: Entity; ref: string }> {
    const entity: Entity | undefined = await this.deps.catalog.getEntityByRef(
      entityRef,
      { credentials },
    );
    if (!entity) {
      throw new NotFoundError(`${entityRef} was not found in the catalog`);
    }
    return budgetEntity(entity);
  }
}

/** The entity and its lower-cased ref, when budgets apply to its kind. */
function budgetEntity(entity: Entity): { entity: Entity; ref: string } {
  const ref = budgetRefOf(entity);
  if (!BUDGET_KINDS_LOWER.includes(entity.kind.toLocaleLowerCase('en-US'))) {
    throw new InputError(
      `${ref} is of kind ${entity.kind}; budgets are set on components and groups`,
    );
  }
  return { entity, ref };
}
