import { DeployTargetInfo } from '@ownops/backstage-plugin-common';

/** The shape of a deploy target id, as the template's `pattern` has it. */
export const DEPLOY_TARGET_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export const NO_DEPLOY_TARGETS_MESSAGE =
  'No deploy targets are configured; add one under ownops.commandTargets in app-config or install a provider module';

export const CHOOSE_DEPLOY_TARGET_MESSAGE = 'Choose a deploy target';

/** How a target appears in the list: `title (id)`, or the id alone. */
export function deployTargetLabel(target: DeployTargetInfo): string {
  return target.title ? `${target.title} (${target.id})` : target.id;
}

/** The message of a failed `GET /deploy-targets`. */
export function listFailedMessage(error: Error): string {
  return `Could not list deploy targets: ${error.message.replace(/\.$/, '')}`;
}

/**
 * What is wrong with `value` as one of the loaded `targets`, or undefined
 * when it is one of them.
 */
export function describeDeployTargetProblem(
  value: unknown,
  targets: DeployTargetInfo[],
): string | undefined {
  if (targets.length === 0) {
    return NO_DEPLOY_TARGETS_MESSAGE;
  }
  if (typeof value !== 'string' || value === '') {
    return CHOOSE_DEPLOY_TARGET_MESSAGE;
  }
  if (!targets.some(target => target.id === value)) {
    return `"${value}" is not a deploy target of this portal (known: ${targets
      .map(target => target.id)
      .join(', ')})`;
  }
  return undefined;
}

/**
 * What is wrong with a typed target id when the list could not be loaded;
 * the template actions check it against the backend when the run starts.
 */
export function describeInvalidDeployTargetId(
  value: unknown,
): string | undefined {
  if (typeof value !== 'string' || value === '') {
    return CHOOSE_DEPLOY_TARGET_MESSAGE;
  }
  if (!DEPLOY_TARGET_ID_PATTERN.test(value)) {
    return `"${value}" is not a deploy target id: lower-case letters, digits and "-", starting with a letter or digit, at most 63 characters`;
  }
  return undefined;
}

/**
 * The target to select in an untouched field: the schema default when the
 * backend has it, else the first target. Undefined when there is nothing to
 * select or the field holds a choice to keep.
 */
export function initialDeployTarget(
  current: unknown,
  schemaDefault: unknown,
  targets: DeployTargetInfo[],
): string | undefined {
  if (targets.length === 0) {
    return undefined;
  }
  const known = (id: unknown) => targets.some(target => target.id === id);
  // rjsf fills in the schema default before the list is loaded, so a default
  // the backend does not have counts as untouched too.
  const untouched =
    current === undefined ||
    current === '' ||
    (current === schemaDefault && !known(current));
  if (!untouched) {
    return undefined;
  }
  const chosen = known(schemaDefault)
    ? (schemaDefault as string)
    : targets[0].id;
  return chosen === current ? undefined : chosen;
}
