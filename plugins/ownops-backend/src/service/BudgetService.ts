import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  BudgetResponse,
  ownopsBudgetUpdatePermission,
  ownopsCostReadAllPermission,
  ownopsCostReadPermission,
} from '@ownops/backstage-plugin-common';
import { BudgetStore } from '../database/BudgetStore';
import { parseBudgetInput } from './budgetInput';

/** The kinds of entity that have a budget (lower case). */
const BUDGET_KINDS = ['component', 'group'];

/**
 * Monthly budgets of components and groups: the entity is resolved with the
 * caller's credentials, then the permission is checked on it.
 */
export class BudgetService {
  constructor(
    private readonly deps: {
      store: BudgetStore;
      catalog: CatalogService;
      permissions: PermissionsService;
      now?: () => Date;
    },
  ) {}

  /**
   * The budget of a component or group; needs `ownops.cost.read` on the
   * entity or `ownops.cost.readAll`.
   */
  async getBudget(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<BudgetResponse> {
    const ref = await this.budgetRefOf(entityRef, credentials);
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
        `You may not read the cost of ${ref} (permission ${ownopsCostReadPermission.name} or ${ownopsCostReadAllPermission.name})`,
      );
    }
    return { budget: (await this.deps.store.get(ref)) ?? null };
  }

  /**
   * Creates or replaces the budget of a component or group. The body is
   * validated before anything else; needs `ownops.budget.update` on the
   * entity.
   */
  async setBudget(
    entityRef: string,
    input: unknown,
    credentials: BackstageCredentials<{ type: 'user'; userEntityRef: string }>,
  ): Promise<BudgetResponse> {
    const budget = parseBudgetInput(input);
    const ref = await this.budgetRefOf(entityRef, credentials);
    const [decision] = await this.deps.permissions.authorize(
      [{ permission: ownopsBudgetUpdatePermission, resourceRef: ref }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You may not set the budget of ${ref} (permission ${ownopsBudgetUpdatePermission.name}); ask one of its owners`,
      );
    }
    const stored = await this.deps.store.upsert(
      {
        entityRef: ref,
        ...budget,
        updatedBy: credentials.principal.userEntityRef,
      },
      this.deps.now?.() ?? new Date(),
    );
    return { budget: stored };
  }

  /** The lower-cased ref of a component or group the caller can see. */
  private async budgetRefOf(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<string> {
    const entity: Entity | undefined = await this.deps.catalog.getEntityByRef(
      entityRef,
      { credentials },
    );
    if (!entity) {
      throw new NotFoundError(`${entityRef} was not found in the catalog`);
    }
    const ref = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
    if (!BUDGET_KINDS.includes(entity.kind.toLocaleLowerCase('en-US'))) {
      throw new InputError(
        `${ref} is of kind ${entity.kind}; budgets are set on components and groups`,
      );
    }
    return ref;
  }
}
