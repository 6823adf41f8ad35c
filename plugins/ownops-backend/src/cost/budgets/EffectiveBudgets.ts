import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_BUDGET,
  Budget,
  BudgetStatus,
  parseBudgetAnnotation,
} from '@ownops/backstage-plugin-common';
import { BudgetStore } from '../../database/BudgetStore';
import { ReusedReads } from '../../lib/ReusedReads';

/** The kinds of entity that have a budget, as the catalog spells them. */
export const BUDGET_KINDS = ['Component', 'Group'];

/** The entity fields budgets need: name, title, owner and the annotation. */
export const BUDGET_ENTITY_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  `metadata.annotations.${ANNOTATION_BUDGET}`,
  'spec.owner',
];

/** The budget that applies to an entity and where it comes from. */
export interface EffectiveBudget {
  budget: Budget;
  source: BudgetStatus['budgetSource'];
  /**
   * The entity with {@link BUDGET_ENTITY_FIELDS}; absent for a stored
   * budget whose entity is no longer in the catalog.
   */
  entity?: Entity;
}

/** What an entity's `ownops.io/budget` annotation says. */
export type AnnotationBudget =
  | { type: 'none' }
  | { type: 'valid'; budget: Budget }
  | { type: 'invalid'; value: string; problems: string[] };

/** The lower-cased ref budgets and cost rows are kept under. */
export function budgetRefOf(entity: Entity): string {
  return stringifyEntityRef(entity).toLocaleLowerCase('en-US');
}

/**
 * Reads the `ownops.io/budget` annotation of an entity. A valid one becomes
 * a budget whose `updatedBy` is the entity itself (the annotation lives in
 * its catalog-info.yaml) and whose `updatedAt` is `now`, the time it was
 * read: the catalog does not say when an annotation changed.
 */
export function readBudgetAnnotation(
  entity: Entity,
  now: Date,
): AnnotationBudget {
  const value = entity.metadata.annotations?.[ANNOTATION_BUDGET];
  if (value === undefined) {
    return { type: 'none' };
  }
  const parsed = parseBudgetAnnotation(String(value));
  if ('problems' in parsed) {
    return { type: 'invalid', value: String(value), problems: parsed.problems };
  }
  const ref = budgetRefOf(entity);
  return {
    type: 'valid',
    budget: {
      entityRef: ref,
      ...parsed.budget,
      updatedBy: ref,
      updatedAt: now.toISOString(),
    },
  };
}

/**
 * The effective budget of components and groups: the `ownops.io/budget`
 * annotation when the entity has a valid one, else the budget stored
 * through the API or the template. An invalid annotation is ignored for
 * reads (with a warning naming the problem), so the stored budget, if any,
 * applies until the annotation is fixed or removed.
 */
export class EffectiveBudgets {
  private readonly annotated?: ReusedReads<'annotated', Entity[]>;

  constructor(
    private readonly deps: {
      store: BudgetStore;
      catalog: CatalogService;
      logger?: LoggerService;
      now?: () => Date;
      /**
       * How long {@link EffectiveBudgets.list} reuses its catalog read of
       * the budget-annotated entities (default 0: read on every call). Only
       * for lists read with the plugin's own credentials, whose result is
       * the same for every caller. Stored budgets are always read fresh.
       */
      reuseAnnotatedForMs?: number;
    },
  ) {
    if (deps.reuseAnnotatedForMs) {
      this.annotated = new ReusedReads({
        ttlMs: deps.reuseAnnotatedForMs,
        now: deps.now && (() => deps.now!().getTime()),
      });
    }
  }

  /** The budget of one entity (read with the caller's credentials), if any. */
  async ofEntity(entity: Entity): Promise<EffectiveBudget | undefined> {
    const [budget] = await this.ofEntities([entity]);
    return budget;
  }

  /**
   * What {@link EffectiveBudgets.ofEntity} returns for each of `entities`
   * (with {@link BUDGET_ENTITY_FIELDS}, read with the caller's credentials),
   * with the stored budgets of those without a valid annotation read in one
   * query. Entities without a budget are left out; the others keep their
   * order.
   */
  async ofEntities(entities: Entity[]): Promise<EffectiveBudget[]> {
    const annotations = entities.map(entity => this.annotationOf(entity));
    const unannotated = entities.filter((_, i) => !annotations[i]);
    const stored =
      unannotated.length > 0
        ? await this.deps.store.getMany(unannotated.map(budgetRefOf))
        : new Map<string, Budget>();
    return entities.flatMap((entity, i): EffectiveBudget[] => {
      const annotation = annotations[i];
      if (annotation) return [annotation];
      const budget = stored.get(budgetRefOf(entity));
      return budget ? [{ budget, source: 'set', entity }] : [];
    });
  }

  /**
   * Every effective budget: each stored one plus each component and group
   * with a budget annotation, ordered by entity ref. `credentials` should
   * be the plugin's own, so entities the caller cannot see still count.
   */
  async list(credentials: BackstageCredentials): Promise<EffectiveBudget[]> {
    const { catalog, store } = this.deps;
    const byRef = new Map<string, EffectiveBudget>();
    const entities = new Map<string, Entity>();

    const [annotated, allStored] = await Promise.all([
      this.annotated
        ? this.annotated.get('annotated', () => this.readAnnotated(credentials))
        : this.readAnnotated(credentials),
      store.list(),
    ]);
    for (const entity of annotated) {
      const ref = budgetRefOf(entity);
      entities.set(ref, entity);
      const annotation = this.annotationOf(entity);
      if (annotation) {
        byRef.set(ref, annotation);
      }
    }

    const stored = allStored.filter(b => !byRef.has(b.entityRef));
    const missing = stored
      .map(b => b.entityRef)
      .filter(ref => !entities.has(ref));
    if (missing.length > 0) {
      const { items } = await catalog.getEntitiesByRefs(
        { entityRefs: missing, fields: BUDGET_ENTITY_FIELDS },
        { credentials },
      );
      items.forEach(entity => {
        if (entity) entities.set(budgetRefOf(entity), entity);
      });
    }
    for (const budget of stored) {
      byRef.set(budget.entityRef, {
        budget,
        source: 'set',
        entity: entities.get(budget.entityRef),
      });
    }
    return [...byRef.values()].sort((a, b) =>
      a.budget.entityRef.localeCompare(b.budget.entityRef, 'en-US'),
    );
  }

  /** Every component and group with a budget annotation. */
  private async readAnnotated(
    credentials: BackstageCredentials,
  ): Promise<Entity[]> {
    const entities: Entity[] = [];
    for await (const page of this.deps.catalog.streamEntities(
      {
        query: {
          kind: { $in: BUDGET_KINDS },
          [`metadata.annotations.${ANNOTATION_BUDGET}`]: { $exists: true },
        },
        fields: BUDGET_ENTITY_FIELDS,
      },
      { credentials },
    )) {
      entities.push(...page);
    }
    return entities;
  }

  /** The annotation's budget when valid; a warning when it is not. */
  private annotationOf(entity: Entity): EffectiveBudget | undefined {
    const annotation = readBudgetAnnotation(
      entity,
      this.deps.now?.() ?? new Date(),
    );
    if (annotation.type === 'invalid') {
      this.deps.logger?.warn(
        `Ignoring the ${ANNOTATION_BUDGET} annotation of ${budgetRefOf(
          entity,
        )}: ${annotation.problems.join('; ')}`,
      );
    }
    return annotation.type === 'valid'
      ? { budget: annotation.budget, source: 'annotation', entity }
      : undefined;
  }
}
