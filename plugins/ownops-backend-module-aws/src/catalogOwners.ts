import { AuthService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_COST_CENTER,
  entityRefFromTagValue,
} from '@ownops/backstage-plugin-common';

/** The owner and cost center the catalog gives an entity. */
export interface EntityOwnership {
  /** `group:default/team-a`, from `spec.owner`. */
  owner?: string;
  /** The entity's `ownops.io/cost-center`, else its owner group's. */
  costCenter?: string;
}

/** Looks up who owns the entities that entity tags name. */
export interface OwnershipLookup {
  /** Ownership per entity tag value; tag values naming no entity are absent. */
  ownershipOf(tagValues: string[]): Promise<Map<string, EntityOwnership>>;
}

/**
 * The entity ref an entity tag value names, read exactly as Ownops cost
 * attribution reads it (`entityRefFromTagValue`, kind `component` by default).
 */
export function entityRefOfTag(value: string): string | undefined {
  return entityRefFromTagValue(value, 'component');
}

const FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.annotations',
  'spec.owner',
];

/**
 * Reads `spec.owner` and `ownops.io/cost-center` from the catalog with the
 * backend's own service credentials, once per entity per ingestion run.
 */
export class CatalogOwnershipLookup implements OwnershipLookup {
  private readonly cache = new Map<string, EntityOwnership | undefined>();

  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
  ) {}

  async ownershipOf(
    tagValues: string[],
  ): Promise<Map<string, EntityOwnership>> {
    const refs = new Map<string, string>();
    for (const value of tagValues) {
      const ref = entityRefOfTag(value);
      if (ref) refs.set(value, ref);
    }
    const missing = [...new Set(refs.values())].filter(
      ref => !this.cache.has(ref),
    );
    if (missing.length > 0) {
      const entities = await this.entities(missing);
      const groups = await this.entities([
        ...new Set(
          entities
            .map(entity => entity && ownerOf(entity))
            .filter((owner): owner is string => !!owner),
        ),
      ]);
      const groupCostCenter = new Map(
        groups
          .filter((group): group is Entity => !!group)
          .map(group => [
            stringifyEntityRef(group).toLocaleLowerCase('en-US'),
            costCenterOf(group),
          ]),
      );
      missing.forEach((ref, index) => {
        const entity = entities[index];
        const owner = entity && ownerOf(entity);
        this.cache.set(
          ref,
          entity && {
            owner,
            costCenter:
              costCenterOf(entity) ??
              (owner ? groupCostCenter.get(owner) : undefined),
          },
        );
      });
    }
    const result = new Map<string, EntityOwnership>();
    for (const [value, ref] of refs) {
      const ownership = this.cache.get(ref);
      if (ownership) result.set(value, ownership);
    }
    return result;
  }

  private async entities(refs: string[]): Promise<Array<Entity | undefined>> {
    if (refs.length === 0) {
      return [];
    }
    const { items } = await this.catalog.getEntitiesByRefs(
      { entityRefs: refs, fields: FIELDS },
      { credentials: await this.auth.getOwnServiceCredentials() },
    );
    return items;
  }
}

function ownerOf(entity: Entity): string | undefined {
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || !owner.trim()) {
    return undefined;
  }
  try {
    return stringifyEntityRef(
      parseEntityRef(owner.trim(), {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}

function costCenterOf(entity: Entity): string | undefined {
  return (
    entity.metadata.annotations?.[ANNOTATION_COST_CENTER]?.trim() || undefined
  );
}
