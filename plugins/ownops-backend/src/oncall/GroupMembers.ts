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

  async getGroup(groupRef: string): Promise<Entity | undefined> {
    const { catalog, auth } = this.options;
    return catalog.getEntityByRef(groupRef, {
      credentials: await auth.getOwnServiceCredentials(),
    });
  }

  /** The members of the group, or [] when it has none or does not exist. */
  async membersOf(group: Entity | string): Promise<Entity[]> {
    const { catalog, auth } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    const groupEntity =
      typeof group === 'string'
        ? await catalog.getEntityByRef(group, { credentials })
        : group;
    if (!groupEntity) return [];
    const groupRef = stringifyEntityRef(groupEntity).toLocaleLowerCase('en-US');
    const { name, namespace = 'default' } = groupEntity.metadata;
    const memberRefs = (groupEntity.relations ?? [])
      .filter(r => r.type === RELATION_HAS_MEMBER)
      .map(r => r.targetRef.toLocaleLowerCase('en-US'));

    const { items } = await catalog.getEntities(
      {
        filter: [
          { kind: 'user', 'relations.memberOf': groupRef },
          {
            kind: 'user',
            'spec.memberOf': [groupRef, name, `${namespace}/${name}`],
          },
        ],
      },
      { credentials },
    );
    const byRef = new Map<string, Entity>();
    for (const user of items) {
      const ref = stringifyEntityRef(user).toLocaleLowerCase('en-US');
      if (memberRefs.includes(ref) || namesGroup(user, groupRef)) {
        byRef.set(ref, user);
      }
    }
    const missing = memberRefs.filter(
      ref => !byRef.has(ref) && ref.startsWith('user:'),
    );
    if (missing.length > 0) {
      const { items: named } = await catalog.getEntitiesByRefs(
        { entityRefs: missing },
        { credentials },
      );
      for (const user of named) {
        if (user)
          byRef.set(stringifyEntityRef(user).toLocaleLowerCase('en-US'), user);
      }
    }
    // Default sort: by UTF-16 code units, the same on every machine.
    return [...byRef.keys()].sort().map(ref => byRef.get(ref)!);
  }
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
