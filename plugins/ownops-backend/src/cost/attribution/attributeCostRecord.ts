import {
  entityRefFromTagValue,
  OwnerTagKeys,
} from '@ownops/backstage-plugin-common';
import { CostRecord } from '@ownops/backstage-plugin-node';

/** Why a cost record could not be attributed to an entity or an owner. */
export type UnallocatedReason = 'untagged' | 'unknown-entity-tag';

/** Who a cost record belongs to, read from its owner tags. */
export interface Attribution {
  /** Lower-case entity ref, e.g. `component:default/checkout-service`. */
  entityRef: string | null;
  /** Lower-case owner ref, e.g. `group:default/team-checkout`. */
  ownerRef: string | null;
  /** Trimmed cost center, case kept. */
  costCenter: string | null;
  /** Trimmed, lower-case environment. */
  environment: string | null;
  /** Set only when the record is unallocated. */
  unallocatedReason?: UnallocatedReason;
}

/**
 * Finds a tag value: the exact key first, then a key equal to it ignoring
 * case (`Owner` for `owner`). No other aliases: `CostCenter` does not match
 * `cost-center`; configure `ownops.tags.keys.costCenter` for that. If several
 * keys match ignoring case, the first in code-unit order wins, so the result
 * does not depend on the order of the tags in the bill. The value is trimmed;
 * an empty value counts as no tag.
 */
export function findTagValue(
  tags: Record<string, string>,
  key: string,
): string | undefined {
  let value: string | undefined;
  if (Object.prototype.hasOwnProperty.call(tags, key)) {
    value = tags[key];
  } else {
    const wanted = key.toLocaleLowerCase('en-US');
    const match = Object.keys(tags)
      .filter(candidate => candidate.toLocaleLowerCase('en-US') === wanted)
      .sort()[0];
    value = match === undefined ? undefined : tags[match];
  }
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** Bills repeat the same few tag values on every row: decode each once. */
const decodedRefs = new Map<string, string | undefined>();
const MAX_DECODED_REFS = 50_000;

/**
 * `entityRefFromTagValue`, remembered: the same few values repeat on every
 * row of a bill.
 */
export function decodeTagEntityRef(
  value: string,
  defaultKind: string,
): string | undefined {
  const cacheKey = `${defaultKind}\u0000${value}`;
  if (decodedRefs.has(cacheKey)) {
    return decodedRefs.get(cacheKey);
  }
  const ref = entityRefFromTagValue(value, defaultKind);
  if (decodedRefs.size >= MAX_DECODED_REFS) {
    decodedRefs.clear();
  }
  decodedRefs.set(cacheKey, ref);
  return ref;
}

/**
 * Attributes a cost record to an entity and an owner from its owner tags,
 * under the configured keys (`readOwnerTagPolicy(config).keys`).
 *
 * - Entity values without a kind default to `component`, owner values to
 *   `group` (`team-checkout` → `group:default/team-checkout`); the kind given
 *   in a value is kept as is.
 * - Unallocated: no entity tag and no usable owner tag (`untagged`), or an
 *   entity tag that is not an entity ref (`unknown-entity-tag`; the entity
 *   ref is then null even if an owner tag is present). An owner tag that is
 *   not an entity ref counts as no owner tag.
 * - Cost center and environment are trimmed, empty is null; the environment
 *   is lower-cased.
 */
export function attributeCostRecord(
  record: CostRecord,
  keys: OwnerTagKeys,
): Attribution {
  const entityTag = findTagValue(record.tags, keys.entity);
  const ownerTag = findTagValue(record.tags, keys.owner);
  const entityRef =
    entityTag === undefined ? null : decodeTagEntityRef(entityTag, 'component');
  const ownerRef =
    (ownerTag !== undefined && decodeTagEntityRef(ownerTag, 'group')) || null;
  const attribution: Attribution = {
    entityRef: entityRef ?? null,
    ownerRef,
    costCenter: findTagValue(record.tags, keys.costCenter) ?? null,
    environment:
      findTagValue(record.tags, keys.environment)?.toLocaleLowerCase('en-US') ??
      null,
  };
  if (entityTag !== undefined && entityRef === undefined) {
    attribution.unallocatedReason = 'unknown-entity-tag';
  } else if (entityRef === null && ownerRef === null) {
    attribution.unallocatedReason = 'untagged';
  }
  return attribution;
}
