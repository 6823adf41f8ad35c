import { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { isWorkflowReference } from './config/readGithubTargets';

/** The repository of an entity, as the GitHub plugins read it: `owner/repo`. */
export const ANNOTATION_PROJECT_SLUG = 'github.com/project-slug';

/**
 * The workflow an entity deploys with, overriding the target's `workflow`;
 * `ownops.io/github-workflow.<environment>` overrides it for one environment.
 */
export const ANNOTATION_GITHUB_WORKFLOW = 'ownops.io/github-workflow';

const NAME_PATTERN = /^[A-Za-z0-9_.-]{1,100}$/;

/** Whether a text is a GitHub owner or repository name (never `.` or `..`). */
export function isGithubName(name: string | undefined): name is string {
  return !!name && NAME_PATTERN.test(name) && !name.startsWith('.');
}

/** Owner and name of the entity's repository, from `github.com/project-slug`. */
export function repositoryOf(entity: Entity): { owner: string; repo: string } {
  const slug = entity.metadata.annotations?.[ANNOTATION_PROJECT_SLUG]?.trim();
  const name = entity.metadata.name;
  if (!slug) {
    throw new InputError(
      `${name} has no ${ANNOTATION_PROJECT_SLUG} annotation; add it with the repository as owner/repo, for example ${ANNOTATION_PROJECT_SLUG}: my-org/${name}`,
    );
  }
  const [owner, repo, ...rest] = slug.split('/');
  if (rest.length || !isGithubName(owner) || !isGithubName(repo)) {
    throw new InputError(
      `${ANNOTATION_PROJECT_SLUG} of ${name} is "${slug}"; it must be owner/repo, for example my-org/${name}`,
    );
  }
  return { owner, repo };
}

/** The entity's workflow for an environment: per-environment annotation, annotation, then the target's. */
export function workflowOf(
  entity: Entity,
  environment: string,
  targetWorkflow: string,
): string {
  const annotations = entity.metadata.annotations ?? {};
  for (const key of [
    `${ANNOTATION_GITHUB_WORKFLOW}.${environment}`,
    ANNOTATION_GITHUB_WORKFLOW,
  ]) {
    const value = annotations[key]?.trim();
    if (value === undefined || value === '') {
      continue;
    }
    if (!isWorkflowReference(value)) {
      throw new InputError(
        `${key} of ${entity.metadata.name} is "${value}"; it must be a workflow file name such as deploy.yml or a numeric workflow id`,
      );
    }
    return value;
  }
  return targetWorkflow;
}
