import {
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { ENVIRONMENT_NAME_PATTERN } from './validation';

/**
 * The four owner tags Ownops stamps on everything a template provisions and
 * reads back from billing data.
 *
 * @public
 */
export interface OwnerTags {
  /** The entity the resource belongs to, e.g. `component:default/checkout-service`. */
  entity: string;
  /** The owning group, e.g. `group:default/team-checkout`. */
  owner: string;
  /** The cost center, e.g. `cc-1001`. */
  costCenter: string;
  /** The environment, e.g. `production`. */
  environment: string;
}

/** @public */
export type OwnerTagField = keyof OwnerTags;

/**
 * The tag (or label) key of each owner tag. Configurable, because
 * organisations already have tagging conventions.
 *
 * @public
 */
export type OwnerTagKeys = Record<OwnerTagField, string>;

/** @public */
export const DEFAULT_OWNER_TAG_KEYS: OwnerTagKeys = {
  entity: 'backstage-entity',
  owner: 'owner',
  costCenter: 'cost-center',
  environment: 'environment',
};

/** @public */
export const OWNER_TAG_FIELDS: readonly OwnerTagField[] = [
  'entity',
  'owner',
  'costCenter',
  'environment',
];

/**
 * Cost centers: letters, digits and "-", starting with a letter or digit,
 * at most 63 characters, so they are valid tag and label values everywhere.
 *
 * @public
 */
export const COST_CENTER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/;

// Kubernetes label keys: an optional DNS prefix and a name of at most 63
// characters; the strictest of the systems the tags end up in.
const TAG_KEY_PATTERN =
  /^([a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\/)?[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;

// Kubernetes label values, the strictest tag value format.
const LABEL_VALUE_PATTERN =
  /^([A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?$/;

/**
 * One reason an owner tag is refused, naming the field.
 *
 * @public
 */
export interface OwnerTagProblem {
  field: OwnerTagField;
  message: string;
}

/**
 * Checks owner tags against the tag policy: the entity is a component or
 * resource, the owner a group, the cost center and environment well-formed,
 * and every value fits in a Kubernetes label once encoded. Returns every
 * problem, each naming its field.
 *
 * @public
 */
export function validateOwnerTags(
  tags: Partial<Record<OwnerTagField, unknown>>,
): OwnerTagProblem[] {
  const problems: OwnerTagProblem[] = [];
  const refProblem = (
    field: 'entity' | 'owner',
    kinds: string[],
  ): string | undefined => {
    const value = tags[field];
    if (typeof value !== 'string' || value === '') {
      return 'is required';
    }
    let kind: string;
    try {
      kind = parseEntityRef(value).kind.toLocaleLowerCase('en-US');
    } catch (error) {
      return `"${value}" is not an entity reference (${
        (error as Error).message
      })`;
    }
    if (!kinds.includes(kind)) {
      return `"${value}" must be a ${kinds.join(' or ')}`;
    }
    const encoded = encodeEntityRefTagValue(value);
    if (!LABEL_VALUE_PATTERN.test(encoded)) {
      return `"${value}" is too long or has characters a label cannot hold (encoded "${encoded}", at most 63 characters)`;
    }
    return undefined;
  };

  const entity = refProblem('entity', ['component', 'resource']);
  if (entity) problems.push({ field: 'entity', message: `entity ${entity}` });
  const owner = refProblem('owner', ['group']);
  if (owner) problems.push({ field: 'owner', message: `owner ${owner}` });

  const costCenter = tags.costCenter;
  if (typeof costCenter !== 'string' || costCenter === '') {
    problems.push({ field: 'costCenter', message: 'costCenter is required' });
  } else if (!COST_CENTER_PATTERN.test(costCenter)) {
    problems.push({
      field: 'costCenter',
      message: `costCenter "${costCenter}" may only contain letters, digits and "-" (at most 63 characters)`,
    });
  }

  const environment = tags.environment;
  if (typeof environment !== 'string' || environment === '') {
    problems.push({ field: 'environment', message: 'environment is required' });
  } else if (!ENVIRONMENT_NAME_PATTERN.test(environment)) {
    problems.push({
      field: 'environment',
      message: `environment "${environment}" must be a lower-case name such as "staging"`,
    });
  }
  return problems;
}

/**
 * Validates configured tag keys: each must be a valid Kubernetes label key
 * (which is also a valid AWS, Azure and Terraform tag key) and keys must
 * differ.
 *
 * @public
 */
export function validateOwnerTagKeys(keys: OwnerTagKeys): string[] {
  const problems: string[] = [];
  for (const field of OWNER_TAG_FIELDS) {
    if (!TAG_KEY_PATTERN.test(keys[field])) {
      problems.push(
        `${field}: "${keys[field]}" is not a valid tag key (letters, digits, ".", "_", "-", at most 63 characters, optionally behind a DNS prefix and "/")`,
      );
    }
  }
  const distinct = new Set(OWNER_TAG_FIELDS.map(field => keys[field]));
  if (distinct.size !== OWNER_TAG_FIELDS.length) {
    problems.push('the four owner tag keys must differ');
  }
  return problems;
}

/**
 * Entity references contain ":" and "/", which label values cannot hold;
 * `component:default/checkout-service` becomes
 * `component.default.checkout-service`. Kinds and namespaces never contain
 * dots, so the encoding can be read back.
 *
 * @public
 */
export function encodeEntityRefTagValue(ref: string): string {
  const { kind, namespace, name } = parseEntityRef(ref);
  return `${kind}.${namespace}.${name}`.toLocaleLowerCase('en-US');
}

/**
 * Reads an entity reference back from a tag value, in either the plain
 * (`component:default/x`) or the encoded (`component.default.x`) form.
 * Returns undefined for anything else.
 *
 * @public
 */
export function decodeEntityRefTagValue(value: string): string | undefined {
  const encoded = /^([A-Za-z]+)\.([a-z0-9-]+)\.(.+)$/.exec(value.trim());
  try {
    const ref = encoded
      ? { kind: encoded[1], namespace: encoded[2], name: encoded[3] }
      : parseEntityRef(value.trim());
    return stringifyEntityRef(ref).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}

const entityRefValidator = makeValidator();

/**
 * Reads an entity ref from an owner tag value the way cost attribution does:
 * the encoded (`component.default.x`) or plain (`component:default/x`) form
 * via `decodeEntityRefTagValue`, else a ref without kind (`x`, `default/x`)
 * with `defaultKind` (`component` for entity tags, `group` for owner tags). A
 * value with two dots is read as the encoded form. The result is lower-case
 * and has a valid kind, namespace and name; anything else gives `undefined`.
 *
 * @public
 */
export function entityRefFromTagValue(
  value: string,
  defaultKind: string,
): string | undefined {
  let ref = decodeEntityRefTagValue(value);
  if (ref === undefined) {
    try {
      ref = stringifyEntityRef(
        parseEntityRef(value.trim(), { defaultKind }),
      ).toLocaleLowerCase('en-US');
    } catch {
      return undefined;
    }
  }
  try {
    const { kind, namespace, name } = parseEntityRef(ref);
    return entityRefValidator.isValidKind(kind) &&
      entityRefValidator.isValidNamespace(namespace) &&
      entityRefValidator.isValidEntityName(name)
      ? ref
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The tags as key → value, with entity references encoded so the same
 * values are valid as AWS tags, Terraform `default_tags` and Kubernetes labels.
 *
 * @public
 */
export function ownerTagsToRecord(
  tags: OwnerTags,
  keys: OwnerTagKeys = DEFAULT_OWNER_TAG_KEYS,
): Record<string, string> {
  return {
    [keys.entity]: encodeEntityRefTagValue(tags.entity),
    [keys.owner]: encodeEntityRefTagValue(tags.owner),
    [keys.costCenter]: tags.costCenter,
    [keys.environment]: tags.environment,
  };
}

/**
 * The owner tags of every environment of one entity as key → value records,
 * checked against the tag policy. `tags` is empty when there are problems;
 * each problem is listed once, however many environments share it.
 *
 * @public
 */
export function ownerTagsByEnvironment(
  base: Omit<OwnerTags, 'environment'>,
  environments: readonly string[],
  keys: OwnerTagKeys = DEFAULT_OWNER_TAG_KEYS,
): {
  tags: Record<string, Record<string, string>>;
  problems: OwnerTagProblem[];
} {
  const problems = new Map<string, OwnerTagProblem>();
  const tags: Record<string, Record<string, string>> = {};
  for (const environment of environments) {
    const values = { ...base, environment };
    const found = validateOwnerTags(values);
    for (const problem of found) {
      problems.set(`${problem.field}\u0000${problem.message}`, problem);
    }
    if (found.length === 0) {
      tags[environment] = ownerTagsToRecord(values, keys);
    }
  }
  return problems.size > 0
    ? { tags: {}, problems: [...problems.values()] }
    : { tags, problems: [] };
}
