import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ANNOTATION_COST_CENTER,
  ANNOTATION_ENVIRONMENTS,
  decideCostCenter,
  OwnerTagField,
  OwnerTagKeys,
  ownerTagsByEnvironment,
  OwnerTagPolicy,
} from '@ownops/backstage-plugin-common';

/** The owner tag policy (`ownops.tags` in app-config), as common reads it. */
export type OwnerTagsPolicy = OwnerTagPolicy;

/**
 * One reason the owner tags cannot be resolved. `missing` is input not given
 * yet (shown as a hint while the form is filled), `invalid` is input that
 * would be refused.
 */
export interface OwnerTagsProblem {
  /** The form field (or annotation) the problem is about. */
  field: string;
  message: string;
  kind: 'missing' | 'invalid';
}

/** The owner as loaded from the catalog: not found when `entity` and `error` are both unset. */
export interface OwnerLookup {
  ref: string;
  entity?: Entity;
  error?: Error;
}

/** Owner tags by environment, then tag key → value. */
export type OwnerTagsByEnvironment = Record<string, Record<string, string>>;

export interface ResolvedOwnerTags {
  entityRef?: string;
  ownerRef?: string;
  owner?: Entity;
  costCenter?: string;
  /** Where the cost center came from, for display. */
  costCenterSource?: string;
  environments: string[];
  /** Set only when there are no problems. */
  tags?: OwnerTagsByEnvironment;
  problems: OwnerTagsProblem[];
}

/** Labels the problems use for each owner tag, e.g. the form field names. */
export type ProblemFields = Record<OwnerTagField, string>;

function problem(
  field: string,
  message: string,
  kind: OwnerTagsProblem['kind'] = 'invalid',
): OwnerTagsProblem {
  return { field, message: `${field}: ${message}`, kind };
}

/** Parses an owner reference the way the scaffolder actions do (default kind Group). */
export function parseOwnerRef(
  value: unknown,
  field: string,
  defaultNamespace = 'default',
): { ref?: string; problem?: OwnerTagsProblem } {
  if (typeof value !== 'string' || value.trim() === '') {
    return {
      problem: problem(
        field,
        'choose the group that owns the service',
        'missing',
      ),
    };
  }
  try {
    return {
      ref: stringifyEntityRef(
        parseEntityRef(value.trim(), {
          defaultKind: 'group',
          defaultNamespace,
        }),
      ),
    };
  } catch (error) {
    return {
      problem: problem(
        field,
        `"${value}" is not an entity reference (${(error as Error).message})`,
      ),
    };
  }
}

/** The problems with a loaded owner: not found, not a Group, or not loadable. */
export function checkOwner(
  owner: OwnerLookup,
  field: string,
): OwnerTagsProblem[] {
  if (owner.error) {
    return [
      problem(
        field,
        `${owner.ref} could not be loaded from the catalog (${owner.error.message})`,
      ),
    ];
  }
  if (!owner.entity) {
    return [problem(field, `${owner.ref} was not found in the catalog`)];
  }
  if (owner.entity.kind.toLocaleLowerCase('en-US') !== 'group') {
    return [
      problem(
        field,
        `${owner.ref} is a ${owner.entity.kind}, but a service must be owned by a Group`,
      ),
    ];
  }
  return [];
}

function costCenterHint(
  refused:
    | 'invalid-override'
    | 'override-not-allowed'
    | 'invalid-group'
    | 'missing',
  policy: OwnerTagsPolicy,
): string {
  switch (refused) {
    case 'override-not-allowed':
      return "; leave the cost center empty to use the group's";
    case 'missing':
      return policy.allowCostCenterOverride
        ? '; enter a cost center or add the annotation to the group'
        : '; add the annotation to the group';
    default:
      return '';
  }
}

/** Splits a comma-separated or array list of environments and checks it is usable. */
export function parseEnvironments(
  value: unknown,
  field: string,
): { environments: string[]; problems: OwnerTagsProblem[] } {
  const list =
    typeof value === 'string'
      ? value.split(',').map(name => name.trim())
      : value;
  if (!Array.isArray(list) || list.filter(Boolean).length === 0) {
    return {
      environments: [],
      problems: [problem(field, 'choose at least one environment', 'missing')],
    };
  }
  const problems: OwnerTagsProblem[] = [];
  const environments: string[] = [];
  for (const item of list) {
    if (item === '' || item === null || item === undefined) continue;
    const name = String(item);
    if (environments.includes(name)) {
      problems.push(problem(field, `"${name}" is listed twice`));
      continue;
    }
    environments.push(name);
  }
  return { environments, problems };
}

/**
 * Builds the tags of every environment and runs the tag policy check,
 * naming the offending field in each problem.
 */
export function buildOwnerTags(
  input: {
    entityRef: string;
    ownerRef: string;
    costCenter: string;
    environments: string[];
  },
  keys: OwnerTagKeys,
  fields: ProblemFields,
): { tags?: OwnerTagsByEnvironment; problems: OwnerTagsProblem[] } {
  const built = ownerTagsByEnvironment(
    {
      entity: input.entityRef,
      owner: input.ownerRef,
      costCenter: input.costCenter,
    },
    input.environments,
    keys,
  );
  const problems = built.problems.map(p => problem(fields[p.field], p.message));
  return problems.length > 0 ? { problems } : { tags: built.tags, problems };
}

/** The form field names the owner tags field reads its siblings from. */
export interface OwnerTagsFieldNames {
  nameField: string;
  ownerField: string;
  costCenterField: string;
  environmentsField: string;
}

export const DEFAULT_OWNER_TAGS_FIELD_NAMES: OwnerTagsFieldNames = {
  nameField: 'name',
  ownerField: 'owner',
  costCenterField: 'costCenter',
  environmentsField: 'environments',
};

export function ownerTagsFieldNames(
  options: Partial<Record<keyof OwnerTagsFieldNames, unknown>> | undefined,
): OwnerTagsFieldNames {
  const pick = (key: keyof OwnerTagsFieldNames) => {
    const value = options?.[key];
    return typeof value === 'string' && value.trim()
      ? value.trim()
      : DEFAULT_OWNER_TAGS_FIELD_NAMES[key];
  };
  return {
    nameField: pick('nameField'),
    ownerField: pick('ownerField'),
    costCenterField: pick('costCenterField'),
    environmentsField: pick('environmentsField'),
  };
}

/** Reads `a.b.c` from the form data. */
export function readFormValue(
  formData: unknown,
  path: string,
): unknown | undefined {
  let current: unknown = formData;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** The sibling values of the template form the owner tags depend on. */
export interface OwnerTagsFormInput {
  name: unknown;
  owner: unknown;
  costCenter: unknown;
  environments: unknown;
}

export function readOwnerTagsFormInput(
  formData: unknown,
  fields: OwnerTagsFieldNames,
): OwnerTagsFormInput {
  return {
    name: readFormValue(formData, fields.nameField),
    owner: readFormValue(formData, fields.ownerField),
    costCenter: readFormValue(formData, fields.costCenterField),
    environments: readFormValue(formData, fields.environmentsField),
  };
}

/**
 * Resolves the owner tags of a service about to be created from a template,
 * the way the `ownops:tags:resolve` action will: entity
 * `component:default/<name>`, the owner group from the catalog, the form's
 * cost center only where the policy allows overriding the group's.
 */
export function resolveFormOwnerTags(
  input: OwnerTagsFormInput,
  owner: OwnerLookup | undefined,
  policy: OwnerTagsPolicy,
  fields: OwnerTagsFieldNames,
): ResolvedOwnerTags {
  const problems: OwnerTagsProblem[] = [];
  const problemFields: ProblemFields = {
    entity: fields.nameField,
    owner: fields.ownerField,
    costCenter: fields.costCenterField,
    environment: fields.environmentsField,
  };

  let entityRef: string | undefined;
  if (typeof input.name !== 'string' || input.name.trim() === '') {
    problems.push(
      problem(fields.nameField, 'enter the name of the service', 'missing'),
    );
  } else {
    entityRef = `component:default/${input.name.trim()}`;
  }

  const parsedOwner = parseOwnerRef(input.owner, fields.ownerField);
  if (parsedOwner.problem) problems.push(parsedOwner.problem);
  let ownerEntity: Entity | undefined;
  if (parsedOwner.ref) {
    if (!owner || owner.ref !== parsedOwner.ref) {
      problems.push(
        problem(
          fields.ownerField,
          `looking up ${parsedOwner.ref} in the catalog…`,
          'missing',
        ),
      );
    } else {
      const ownerProblems = checkOwner(owner, fields.ownerField);
      problems.push(...ownerProblems);
      if (ownerProblems.length === 0) ownerEntity = owner.entity;
    }
  }

  let costCenter: string | undefined;
  let costCenterSource: string | undefined;
  const override =
    typeof input.costCenter === 'string' && input.costCenter.trim()
      ? input.costCenter.trim()
      : undefined;
  const field = fields.costCenterField;
  if (ownerEntity || override) {
    const groupRef = parsedOwner.ref ?? '';
    const decision = decideCostCenter({
      groupRef,
      groupCostCenter:
        ownerEntity?.metadata.annotations?.[ANNOTATION_COST_CENTER],
      override,
      allowOverride: policy.allowCostCenterOverride,
    });
    if ('costCenter' in decision) {
      if (ownerEntity || decision.source === 'form') {
        costCenter = decision.costCenter;
        costCenterSource = decision.source === 'form' ? 'the form' : groupRef;
      }
    } else if (ownerEntity || decision.refused === 'invalid-override') {
      problems.push(
        problem(
          field,
          `${decision.message}${costCenterHint(decision.refused, policy)}`,
        ),
      );
    }
  }

  const parsedEnvironments = parseEnvironments(
    input.environments,
    fields.environmentsField,
  );
  problems.push(...parsedEnvironments.problems);

  const resolved: ResolvedOwnerTags = {
    entityRef,
    ownerRef: parsedOwner.ref,
    owner: ownerEntity,
    costCenter,
    costCenterSource,
    environments: parsedEnvironments.environments,
    problems,
  };
  if (
    entityRef &&
    ownerEntity &&
    costCenter &&
    parsedEnvironments.environments.length > 0
  ) {
    const built = buildOwnerTags(
      {
        entityRef,
        ownerRef: parsedOwner.ref!,
        costCenter,
        environments: parsedEnvironments.environments,
      },
      policy.keys,
      problemFields,
    );
    problems.push(...built.problems);
    if (problems.length === 0) resolved.tags = built.tags;
  }
  return resolved;
}

/**
 * Resolves the owner tags of an existing component from its annotations:
 * cost center from `ownops.io/cost-center` on the component, else on its
 * owner group; environments from `ownops.io/environments`.
 */
export function resolveEntityOwnerTags(
  entity: Entity,
  owner: OwnerLookup | undefined,
  policy: OwnerTagsPolicy,
): ResolvedOwnerTags {
  const problems: OwnerTagsProblem[] = [];
  const entityRef = stringifyEntityRef(entity);
  const parsedOwner = parseOwnerRef(
    entity.spec?.owner,
    'spec.owner',
    entity.metadata.namespace ?? 'default',
  );
  if (parsedOwner.problem) problems.push(parsedOwner.problem);
  let ownerEntity: Entity | undefined;
  if (parsedOwner.ref && owner && owner.ref === parsedOwner.ref) {
    const ownerProblems = checkOwner(owner, 'spec.owner');
    problems.push(...ownerProblems);
    if (ownerProblems.length === 0) ownerEntity = owner.entity;
  }

  let costCenter: string | undefined;
  let costCenterSource: string | undefined;
  const own = entity.metadata.annotations?.[ANNOTATION_COST_CENTER]?.trim();
  const group =
    ownerEntity?.metadata.annotations?.[ANNOTATION_COST_CENTER]?.trim();
  if (own) {
    costCenter = own;
    costCenterSource = 'this component';
  } else if (group) {
    costCenter = group;
    costCenterSource = parsedOwner.ref;
  } else if (!owner?.error) {
    problems.push({
      field: ANNOTATION_COST_CENTER,
      kind: 'missing',
      message: `No cost center: add the ${ANNOTATION_COST_CENTER} annotation to this component${
        parsedOwner.ref ? ` or to its owner group ${parsedOwner.ref}` : ''
      }`,
    });
  }

  const rawEnvironments =
    entity.metadata.annotations?.[ANNOTATION_ENVIRONMENTS];
  let environments: string[] = [];
  if (rawEnvironments?.trim()) {
    const parsed = parseEnvironments(rawEnvironments, ANNOTATION_ENVIRONMENTS);
    environments = parsed.environments;
    problems.push(...parsed.problems);
  } else {
    problems.push({
      field: ANNOTATION_ENVIRONMENTS,
      kind: 'missing',
      message: `No environments: add the ${ANNOTATION_ENVIRONMENTS} annotation to this component, e.g. "staging,production"`,
    });
  }

  const resolved: ResolvedOwnerTags = {
    entityRef,
    ownerRef: parsedOwner.ref,
    owner: ownerEntity,
    costCenter,
    costCenterSource,
    environments,
    problems,
  };
  if (ownerEntity && costCenter && environments.length > 0) {
    const built = buildOwnerTags(
      { entityRef, ownerRef: parsedOwner.ref!, costCenter, environments },
      policy.keys,
      {
        entity: 'entity',
        owner: 'spec.owner',
        costCenter: ANNOTATION_COST_CENTER,
        environment: ANNOTATION_ENVIRONMENTS,
      },
    );
    problems.push(...built.problems);
    if (problems.length === 0) resolved.tags = built.tags;
  }
  return resolved;
}

/** Loads the owner from the catalog, never throwing. */
export async function lookUpOwner(
  catalogApi: {
    getEntityByRef(ref: string): Promise<Entity | undefined>;
  },
  ref: string,
): Promise<OwnerLookup> {
  try {
    return { ref, entity: await catalogApi.getEntityByRef(ref) };
  } catch (error) {
    return { ref, error: error as Error };
  }
}
