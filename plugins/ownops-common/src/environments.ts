import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_DEPLOY_TARGET,
  ANNOTATION_ENVIRONMENTS,
  deployTargetAnnotationFor,
  healthCheckAnnotationFor,
} from './annotations';
import { ENVIRONMENT_NAME_PATTERN } from './validation';

/**
 * One environment of an entity, as its annotations describe it.
 *
 * @public
 */
export interface EnvironmentSpec {
  name: string;
  /** Deploy target id, from `ownops.io/deploy-target[.<env>]`. */
  targetId: string;
  /** URL probed after a deploy, from `ownops.io/health-check.<env>`. */
  healthCheckUrl?: string;
}

/**
 * What is wrong with an entity's Ownops annotations. `missingAnnotations`
 * lists annotations to add; `problems` describes values that are present
 * but unusable.
 *
 * @public
 */
export interface AnnotationProblems {
  missingAnnotations: string[];
  problems: string[];
}

/** @public */
export type EnvironmentsResult =
  | { ok: true; environments: EnvironmentSpec[] }
  | ({ ok: false } & AnnotationProblems);

/**
 * Reads the environments and their deploy targets from an entity's
 * annotations, reporting every missing or malformed annotation at once.
 *
 * @public
 */
export function readEnvironments(entity: Entity): EnvironmentsResult {
  const annotations = entity.metadata.annotations ?? {};
  const missingAnnotations: string[] = [];
  const problems: string[] = [];

  const rawEnvironments = annotations[ANNOTATION_ENVIRONMENTS];
  if (!rawEnvironments?.trim()) {
    missingAnnotations.push(ANNOTATION_ENVIRONMENTS);
    if (!annotations[ANNOTATION_DEPLOY_TARGET]) {
      missingAnnotations.push(ANNOTATION_DEPLOY_TARGET);
    }
    return { ok: false, missingAnnotations, problems };
  }

  const names = rawEnvironments
    .split(',')
    .map(name => name.trim())
    .filter(Boolean);
  const seen = new Set<string>();
  const environments: EnvironmentSpec[] = [];
  for (const name of names) {
    if (!ENVIRONMENT_NAME_PATTERN.test(name)) {
      problems.push(
        `${ANNOTATION_ENVIRONMENTS}: "${name}" is not a valid environment name (lower-case letters, digits and "-", at most 32 characters)`,
      );
      continue;
    }
    if (seen.has(name)) {
      problems.push(`${ANNOTATION_ENVIRONMENTS}: "${name}" is listed twice`);
      continue;
    }
    seen.add(name);
    const targetId =
      annotations[deployTargetAnnotationFor(name)]?.trim() ||
      annotations[ANNOTATION_DEPLOY_TARGET]?.trim();
    if (!targetId) {
      missingAnnotations.push(ANNOTATION_DEPLOY_TARGET);
      continue;
    }
    const healthCheckUrl = annotations[healthCheckAnnotationFor(name)]?.trim();
    if (healthCheckUrl && !isHttpUrl(healthCheckUrl)) {
      problems.push(
        `${healthCheckAnnotationFor(
          name,
        )}: "${healthCheckUrl}" is not an http(s) URL`,
      );
      continue;
    }
    environments.push({
      name,
      targetId,
      ...(healthCheckUrl ? { healthCheckUrl } : {}),
    });
  }

  if (missingAnnotations.length > 0 || problems.length > 0) {
    return {
      ok: false,
      missingAnnotations: [...new Set(missingAnnotations)],
      problems,
    };
  }
  return { ok: true, environments };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
