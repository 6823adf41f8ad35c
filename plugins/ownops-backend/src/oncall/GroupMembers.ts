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
   * The group and its members: the group and the users that name it are
   * read concurrently (a catalog query for both at once, one filter per
   * kind, is slower than the two); a third request only for members the
   * group names that no user filter found. No members without the group.
   */
  async teamOf(
    groupRef: string,
  ): Promise<{ group: Entity | undefined; users: Entity[] }> {
    const { catalog, auth } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    const { namespace, name } = parseEntityRef(groupRef, {
      defaultKind: 'group',
    });
    const ref = stringifyEntityRef({
      kind: 'group',
      namespace,
      name,
    }).toLocaleLowerCase('en-US');
    const [group, { items }] = await Promise.all([
      catalog.getEntityByRef(ref, { credentials }),
      catalog.getEntities(
        { filter: userFilters(ref, namespace, name) },
        { credentials },
      ),
    ]);
    if (!group) return { group: undefined, users: [] };
    return { group, users: await this.membersAmong(group, items) };
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
    const memberRefs = (groupEntity.relations ?? [])
      .filter(r => r.type === RELATION_HAS_MEMBER)
      .map(r => r.targetRef.toLocaleLowerCase('en-US'));
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
    // Default sort: by UTF-16 code units, the same on every machine.
    return [...byRef.keys()].sort().map(ref => byRef.get(ref)!);
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
