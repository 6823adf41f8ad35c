import { Entity } from '@backstage/catalog-model';

/** Per-environment application name: `ownops.io/argocd-app-name.<environment>`. */
export const ANNOTATION_APP_NAME_PREFIX = 'ownops.io/argocd-app-name';
/** The application name shared with the community Argo CD plugin. */
export const ANNOTATION_APP_NAME = 'argocd/app-name';
export const ANNOTATION_APP_NAMESPACE = 'argocd/app-namespace';
export const ANNOTATION_PROJECT = 'argocd/project-name';

/** Which Argo CD application a deployment acts on. */
export interface ArgoCdAppRef {
  name: string;
  /** The namespace of the Application resource, for "apps in any namespace". */
  namespace?: string;
  /** Lets Argo CD tell a missing application (404) from a forbidden one (403). */
  project?: string;
}

/**
 * Reads the application of an entity in an environment from its annotations,
 * failing with the annotation to add when there is none.
 */
export function appRefOf(
  entity: Entity,
  environment: string,
  defaultProject?: string,
): ArgoCdAppRef {
  const annotations = entity.metadata.annotations ?? {};
  const perEnvironment = `${ANNOTATION_APP_NAME_PREFIX}.${environment}`;
  const name =
    annotations[perEnvironment]?.trim() ||
    annotations[ANNOTATION_APP_NAME]?.trim();
  if (!name) {
    throw new Error(
      `${entityName(
        entity,
      )} has no Argo CD application for ${environment}: add the annotation "${perEnvironment}" (or "${ANNOTATION_APP_NAME}" for every environment) with the application's name`,
    );
  }
  return {
    name,
    namespace: annotations[ANNOTATION_APP_NAMESPACE]?.trim() || undefined,
    project: annotations[ANNOTATION_PROJECT]?.trim() || defaultProject,
  };
}

function entityName(entity: Entity): string {
  return `${entity.kind.toLocaleLowerCase('en-US')}:${
    entity.metadata.namespace ?? 'default'
  }/${entity.metadata.name}`;
}
