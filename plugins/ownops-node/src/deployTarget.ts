import { Entity } from '@backstage/catalog-model';
import {
  AvailableVersion,
  DeploymentKind,
  ExternalDeployment,
} from '@ownops/backstage-plugin-common';

export type { ExternalDeployment } from '@ownops/backstage-plugin-common';

/**
 * What a deploy target is asked to do.
 *
 * @public
 */
export interface DeployRequest {
  deploymentId: number;
  kind: DeploymentKind;
  entity: Entity;
  entityRef: string;
  environment: string;
  version: string;
  /** The version running before this deployment, when known. */
  previousVersion?: string;
  /** For rollbacks: the external handle of the deployment being restored. */
  restoreHandle?: string;
}

/**
 * Where a target writes the progress a user should see. Lines are stored
 * with the deployment and streamed to the entity page.
 *
 * @public
 */
export interface DeployLogSink {
  info(message: string): void;
  error(message: string): void;
}

/** @public */
export interface DeployContext {
  log: DeployLogSink;
  /** Aborted when the deployment is cancelled or times out. */
  signal: AbortSignal;
}

/**
 * The outcome of `deploy`/`rollback`. `pending` hands the engine an external
 * handle to poll through `status`.
 *
 * @public
 */
export type DeployResult =
  | { state: 'succeeded'; externalHandle?: string }
  | { state: 'failed'; reason: string; externalHandle?: string }
  | { state: 'pending'; externalHandle: string };

/** @public */
export type DeployStatus =
  | { state: 'running'; message?: string }
  | { state: 'succeeded' }
  | { state: 'failed'; reason: string };

/**
 * A system that deploys versions of catalog entities. Provider modules add
 * targets through {@link ownopsDeployTargetsExtensionPoint}.
 *
 * @public
 */
export interface DeployTarget {
  /** Unique id, referenced by the `ownops.io/deploy-target` annotation. */
  readonly id: string;
  /** A human-readable name, shown where users choose a target. */
  readonly title?: string;
  /** The kind of system, for display: `command`, `github`, `argocd`, … */
  readonly type: string;
  /**
   * What the entity lacks for this target in the environment, as a sentence
   * that says what to add (for example "Add the annotation
   * github.com/project-slug: owner/repo"); undefined when it has everything.
   * Shown on the deploy card, and a deploy is refused with it. Must be quick
   * and must not call the external system.
   */
  checkEntity?(entity: Entity, environment: string): string | undefined;
  deploy(request: DeployRequest, context: DeployContext): Promise<DeployResult>;
  /** Defaults to `deploy` of the earlier version. */
  rollback?(
    request: DeployRequest,
    context: DeployContext,
  ): Promise<DeployResult>;
  /**
   * Stops an external deployment started with a `pending` result, when a
   * user cancels it or it times out. Best effort: a failure is written to
   * the deployment's log and the deployment is settled either way.
   */
  cancel?(
    externalHandle: string,
    context: { signal: AbortSignal; log: DeployLogSink },
  ): Promise<void>;
  /**
   * Polls an external deployment started with a `pending` result. A
   * `ProviderRequestError` that is rate limited, a 5xx or a network failure
   * counts as "the provider is briefly away": the engine keeps polling until
   * the deployment's timeout. Any other error fails the deployment.
   */
  status?(
    externalHandle: string,
    context: { signal: AbortSignal },
  ): Promise<DeployStatus>;
  /** Versions that can be deployed, newest first. */
  listVersions?(
    entity: Entity,
    environment: string,
    context: { signal: AbortSignal },
  ): Promise<AvailableVersion[]>;
  /**
   * The deployments the target's own system records for the entity in the
   * environment, newest first, including those made outside Ownops.
   */
  listHistory?(
    entity: Entity,
    environment: string,
    context: { signal: AbortSignal; limit: number },
  ): Promise<ExternalDeployment[]>;
}
