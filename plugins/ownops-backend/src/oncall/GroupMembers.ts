import { AuthService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  RELATION_HAS_MEMBER,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

/**
 * A group's members from the catalog, read with the plugin's own
 * credentials: users the group names through `hasMember`, and users whose
 * `spec.memberOf` names the group. Sorted by entity ref for a stable order.
 */
export class GroupMembers {
  constructor(
    private readonly options: { catalog: CatalogService; auth: AuthService },
  ) {}

  /**
   * The group and its members, for the rotation: the users its `hasMember`
   * relations name, read by ref (the catalog stitches a relation for every
   * user whose `spec.memberOf` names the group). A catalog filter query over
   * the users is 10–15 times slower than reading them by ref, so
   * {@link GroupMembers.membersOf}'s filter is asked only for a group
   * without any `hasMember` relation. No members without the group.
   */
  async teamOf(
    groupRef: string,
  ): Promise<{ group: Entity | undefined; users: Entity[] }> {
    const { catalog, auth } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    const group = await catalog.getEntityByRef(groupRef, { credentials });
    if (!group) return { group: undefined, users: [] };
    const memberRefs = hasMemberRefs(group);
    if (memberRefs.length === 0) {
      return { group, users: await this.membersOf(group) };
    }
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: memberRefs },
      { credentials },
    );
    const users = items.filter(
      (item): item is Entity =>
        item?.kind.toLocaleLowerCase('en-US') === 'user',
    );
    return { group, users: sortedByRef(users) };
  }

  /** The members of the group, or [] when it has none or does not exist. */
  async membersOf(group: Entity | string): Promise<Entity[]> {
    if (typeof group === 'string') {
      return (await this.teamOf(group)).users;
    }
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const { name, namespace = 'default' } = group.metadata;
    const { items } = await this.options.catalog.getEntities(
      { filter: userFilters(lowerRef(group), namespace, name) },
      { credentials },
    );
    return this.membersAmong(group, items);
  }

  /**
   * The users among `candidates` who belong to the group, with the users its
   * `hasMember` relations name that are not among them; sorted by ref.
   */
  private async membersAmong(
    groupEntity: Entity,
    candidates: Entity[],
  ): Promise<Entity[]> {
    const groupRef = lowerRef(groupEntity);
    const memberRefs = hasMemberRefs(groupEntity);
    const byRef = new Map<string, Entity>();
    for (const user of candidates) {
      const ref = lowerRef(user);
      if (memberRefs.includes(ref) || namesGroup(user, groupRef)) {
        byRef.set(ref, user);
      }
    }
    const missing = memberRefs.filter(
      ref => !byRef.has(ref) && ref.startsWith('user:'),
    );
    if (missing.length > 0) {
      const { items: named } = await this.options.catalog.getEntitiesByRefs(
        { entityRefs: missing },
        { credentials: await this.options.auth.getOwnServiceCredentials() },
      );
      for (const user of named) {
        if (user) byRef.set(lowerRef(user), user);
      }
    }
    return sortedByRef([...byRef.values()]);
  }
}

/** Users that name the group: by relation, or in `spec.memberOf` in any spelling. */
function userFilters(
  groupRef: string,
  namespace: string,
  name: string,
): Array<Record<string, string | string[]>> {
  return [
    { kind: 'user', 'relations.memberOf': groupRef },
    {
      kind: 'user',
      'spec.memberOf': [groupRef, name, `${namespace}/${name}`],
    },
  ];
}

function hasMemberRefs(group: Entity): string[] {
  return (group.relations ?? [])
    .filter(r => r.type === RELATION_HAS_MEMBER)
    .map(r => r.targetRef.toLocaleLowerCase('en-US'));
}

/** By lower-case entity ref in UTF-16 code units: the same on every machine. */
function sortedByRef(entities: Entity[]): Entity[] {
  return entities
    .map(entity => [lowerRef(entity), entity] as const)
    .sort(([a], [b]) => (a < b ? -1 : Number(a > b)))
    .map(([, entity]) => entity);
}

function lowerRef(entity: Entity): string {
  return stringifyEntityRef(entity).toLocaleLowerCase('en-US');
}

function namesGroup(user: Entity, groupRef: string): boolean {
  const memberOf = (user.spec as { memberOf?: unknown } | undefined)?.memberOf;
  const relations = (user.relations ?? []).some(
    r =>
      r.type === 'memberOf' &&
      r.targetRef.toLocaleLowerCase('en-US') === groupRef,
  );
  if (relations) return true;
  if (!Array.isArray(memberOf)) return false;
  return memberOf.some(value => {
    if (typeof value !== 'string') return false;
    try {
      return (
        stringifyEntityRef(
          parseEntityRef(value, {
            defaultKind: 'group',
            defaultNamespace: user.metadata.namespace ?? 'default',
          }),
        ).toLocaleLowerCase('en-US') === groupRef
      );
    } catch {
      return false;
    }
  });
}
