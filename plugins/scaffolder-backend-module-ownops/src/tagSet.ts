import {
  ENVIRONMENT_NAME_PATTERN,
  OwnerTagKeys,
  OWNER_TAG_FIELDS,
  ownerTagsByEnvironment,
} from '@ownops/backstage-plugin-common';
import { InputProblems } from './input/safeInput';

export const MAX_ENVIRONMENTS = 10;

/** The owner tags of a new service: the same for every resource but the environment. */
export interface OwnerTagSet {
  keys: OwnerTagKeys;
  /** Entity, owner and cost center tags, key → label-safe value. */
  common: Record<string, string>;
  /** The full tags per environment. */
  byEnvironment: Record<string, Record<string, string>>;
  /** Every key a resource must carry. */
  requiredKeys: string[];
  environments: string[];
}

export interface OwnerTagSetInput {
  entityRef: string;
  ownerRef: string;
  costCenter: string;
  environments: string[];
}

/** Checks the environments list itself; the tag policy checks each name. */
export function addEnvironmentProblems(
  problems: InputProblems,
  environments: unknown,
) {
  if (!Array.isArray(environments) || environments.length === 0) {
    problems.add('environments', 'at least one environment is required');
    return;
  }
  if (environments.length > MAX_ENVIRONMENTS) {
    problems.add(
      'environments',
      `at most ${MAX_ENVIRONMENTS} environments (got ${environments.length})`,
    );
  }
  if (new Set(environments).size !== environments.length) {
    problems.add('environments', 'must not repeat');
  }
  for (const environment of environments) {
    if (
      typeof environment !== 'string' ||
      !ENVIRONMENT_NAME_PATTERN.test(environment)
    ) {
      problems.add(
        'environments',
        `${JSON.stringify(
          environment,
        )} must be a lower-case name such as "staging"`,
      );
    }
  }
}

/**
 * Validates the owner tags of every environment against the tag policy and
 * returns them as key → value records. Throws an InputError naming each
 * offending field.
 */
export function buildOwnerTagSet(
  input: OwnerTagSetInput,
  keys: OwnerTagKeys,
): OwnerTagSet {
  const problems = new InputProblems();
  addEnvironmentProblems(problems, input.environments);
  problems.throwIfAny('Invalid owner tags');

  const { tags: byEnvironment, problems: tagProblems } = ownerTagsByEnvironment(
    {
      entity: input.entityRef,
      owner: input.ownerRef,
      costCenter: input.costCenter,
    },
    input.environments,
    keys,
  );
  for (const problem of tagProblems) {
    problems.add(problem.field, problem.message);
  }
  problems.throwIfAny('Invalid owner tags');

  const first = byEnvironment[input.environments[0]];
  const common = { ...first };
  delete common[keys.environment];
  return {
    keys,
    common,
    byEnvironment,
    requiredKeys: OWNER_TAG_FIELDS.map(field => keys[field]),
    environments: [...input.environments],
  };
}
