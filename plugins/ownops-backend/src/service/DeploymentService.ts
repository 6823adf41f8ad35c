import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  ANNOTATION_ENVIRONMENTS,
  Deployment,
  DeploymentLogs,
  DeploymentPage,
  DeploymentStats,
  DeploymentStatus,
  EntityEnvironments,
  EnvironmentSpec,
  EnvironmentState,
  ExternalDeploymentList,
  FINISHED_DEPLOYMENT_STATUSES,
  ownopsDeploymentApprovePermission,
  ownopsDeploymentCreatePermission,
  ownopsDeploymentRollbackPermission,
  readEnvironments,
  VersionList,
} from '@ownops/backstage-plugin-common';
import { DeployTarget } from '@ownops/backstage-plugin-node';
import { DeploymentStore, EnvironmentHeads } from '../database/DeploymentStore';
import { DeployEngine } from '../engine/DeployEngine';
import { computeDeploymentStats, windowStart } from '../engine/deploymentStats';
import { DeployTargetRegistry } from '../targets/DeployTargetRegistry';

const ROLLBACK_CANDIDATES = 10;
const VERSIONS_TIMEOUT_MS = 15_000;
const EXTERNAL_HISTORY_LIMIT = 20;
const MAX_LOG_PAGE = 1000;

/**
 * What the REST routes (and later the MCP actions) do: resolve the entity
 * with the caller's credentials, check the permission, then ask the engine.
 */
export class DeploymentService {
  constructor(
    private readonly deps: {
      engine: DeployEngine;
      store: DeploymentStore;
      targets: DeployTargetRegistry;
      catalog: CatalogService;
      permissions: PermissionsService;
    },
  ) {}

  /**
   * `loaded`: the entity the caller has just read from the catalog with the
   * same credentials (the summary does), so it is not read a second time.
   * `rollbackCandidates: false` leaves them out (empty lists): the summary
   * shows none, and they are the costliest query of an environment.
   */
  async getEnvironments(
    entityRef: string,
    credentials: BackstageCredentials,
    loaded?: Entity,
    options: { rollbackCandidates?: boolean } = {},
  ): Promise<EntityEnvironments> {
    const entity = loaded ?? (await this.loadEntity(entityRef, credentials));
    const ref = stringifyEntityRef(entity);
    const specs = this.environmentsOf(entity);
    const heads = await this.deps.store.findEnvironmentHeads(
      ref,
      specs.map(spec => spec.name),
    );
    const environments = await Promise.all(
      specs.map(spec =>
        this.environmentState(
          entity,
          ref,
          spec,
          heads.get(spec.name) ?? {},
          options.rollbackCandidates ?? true,
        ),
      ),
    );
    return { entityRef: ref, environments };
  }

  async listVersions(
    entityRef: string,
    environment: string,
    credentials: BackstageCredentials,
  ): Promise<VersionList> {
    const entity = await this.loadEntity(entityRef, credentials);
    const spec = this.environmentOf(entity, environment);
    const target = this.targetOf(spec);
    if (!target.listVersions) {
      return { listed: false, versions: [] };
    }
    const versions = await target.listVersions(entity, environment, {
      signal: AbortSignal.timeout(VERSIONS_TIMEOUT_MS),
    });
    return { listed: true, versions };
  }

  /**
   * The deployments the environment's target records itself (GitHub
   * deployments, Argo CD history, ReplicaSet revisions), including those
   * made outside Ownops. Readable by whoever can read the entity.
   */
  async listExternalDeployments(
    entityRef: string,
    environment: string,
    credentials: BackstageCredentials,
  ): Promise<ExternalDeploymentList> {
    const entity = await this.loadEntity(entityRef, credentials);
    const spec = this.environmentOf(entity, environment);
    const target = this.targetOf(spec);
    const list = { targetId: target.id, targetType: target.type };
    if (!target.listHistory) {
      return { ...list, available: false, deployments: [] };
    }
    const deployments = await target.listHistory(entity, spec.name, {
      signal: AbortSignal.timeout(VERSIONS_TIMEOUT_MS),
      limit: EXTERNAL_HISTORY_LIMIT,
    });
    return {
      ...list,
      available: true,
      deployments: deployments.slice(0, EXTERNAL_HISTORY_LIMIT),
    };
  }

  async createDeployment(
    entityRef: string,
    body: { environment: string; version: string; reason?: string },
    credentials: BackstageCredentials<{ type: 'user'; userEntityRef: string }>,
    idempotencyKey?: string,
  ): Promise<{ deployment: Deployment; created: boolean }> {
    // The permission is asked while the entity is read; its answer is
    // used where the check always was, so errors keep their order.
    const requested = stringifyEntityRef(parseEntityRef(entityRef));
    const allowedAsRequested = this.isAllowed(
      ownopsDeploymentCreatePermission,
      requested,
      credentials,
    );
    allowedAsRequested.catch(() => {});
    const entity = await this.loadEntity(entityRef, credentials);
    const ref = stringifyEntityRef(entity);
    const spec = this.environmentOf(entity, body.environment);
    const target = this.targetOf(spec);
    await this.authorize(
      ownopsDeploymentCreatePermission,
      ref,
      credentials,
      'deploy',
      ref === requested ? allowedAsRequested : undefined,
    );
    this.assertEntityFits(target, entity, spec.name);
    await this.assertListedVersion(target, entity, spec.name, body.version);
    return this.deps.engine.request({
      entity,
      entityRef: ref,
      environment: spec.name,
      targetId: spec.targetId,
      version: body.version,
      kind: 'deploy',
      requestedBy: credentials.principal.userEntityRef,
      reason: body.reason,
      idempotencyKey,
    });
  }

  /** Restores the version of deployment `id` in its environment. */
  async rollbackTo(
    id: number,
    body: { reason?: string },
    credentials: BackstageCredentials<{ type: 'user'; userEntityRef: string }>,
  ): Promise<Deployment> {
    const restore = await this.getDeployment(id, credentials);
    const entity = await this.loadEntity(restore.entityRef, credentials);
    if (restore.status !== 'succeeded') {
      throw new InputError(
        `Deployment #${id} is ${restore.status}; only a successful deployment can be restored`,
      );
    }
    const spec = this.environmentOf(entity, restore.environment);
    const target = this.targetOf(spec);
    const current = await this.deps.store.findLatest(
      restore.entityRef,
      restore.environment,
      'succeeded',
    );
    if (current && current.version === restore.version) {
      throw new InputError(
        `${restore.version} is already the current version of ${restore.environment}`,
      );
    }
    await this.authorize(
      ownopsDeploymentRollbackPermission,
      restore.entityRef,
      credentials,
      'roll back',
    );
    this.assertEntityFits(target, entity, spec.name);
    const { deployment } = await this.deps.engine.request({
      entity,
      entityRef: restore.entityRef,
      environment: spec.name,
      targetId: spec.targetId,
      version: restore.version,
      kind: 'rollback',
      rollbackOf: current?.id,
      rollbackTo: restore.id,
      requestedBy: credentials.principal.userEntityRef,
      reason:
        body.reason ??
        `Roll back to ${restore.version} (deployment #${restore.id})`,
    });
    return deployment;
  }

  async approve(
    id: number,
    credentials: BackstageCredentials<{ type: 'user'; userEntityRef: string }>,
  ): Promise<Deployment> {
    const deployment = await this.getDeployment(id, credentials);
    await this.authorize(
      ownopsDeploymentApprovePermission,
      deployment.entityRef,
      credentials,
      'approve deployments of',
    );
    return this.deps.engine.approve(
      deployment,
      credentials.principal.userEntityRef,
    );
  }

  async cancel(
    id: number,
    credentials: BackstageCredentials<{ type: 'user'; userEntityRef: string }>,
  ): Promise<Deployment> {
    const deployment = await this.getDeployment(id, credentials);
    if (FINISHED_DEPLOYMENT_STATUSES.includes(deployment.status)) {
      throw new InputError(
        `Deployment #${id} has already finished (${deployment.status})`,
      );
    }
    if (deployment.requestedBy !== credentials.principal.userEntityRef) {
      await this.authorize(
        ownopsDeploymentApprovePermission,
        deployment.entityRef,
        credentials,
        'cancel deployments of',
      );
    }
    return this.deps.engine.cancel(deployment);
  }

  async listDeployments(
    entityRef: string,
    query: {
      environment?: string;
      status?: DeploymentStatus;
      limit: number;
      cursor?: number;
    },
    credentials: BackstageCredentials,
  ): Promise<DeploymentPage> {
    const entity = await this.loadEntity(entityRef, credentials);
    const items = await this.deps.store.list(stringifyEntityRef(entity), {
      environment: query.environment,
      status: query.status,
      limit: query.limit,
      beforeId: query.cursor,
    });
    return {
      items,
      ...(items.length === query.limit && {
        nextCursor: String(items[items.length - 1].id),
      }),
    };
  }

  async getStats(
    entityRef: string,
    days: number,
    credentials: BackstageCredentials,
  ): Promise<DeploymentStats> {
    const entity = await this.loadEntity(entityRef, credentials);
    const ref = stringifyEntityRef(entity);
    const finished = await this.deps.store.listFinishedSince(
      ref,
      windowStart(new Date(), days),
    );
    const configured = readEnvironments(entity);
    const names = configured.ok
      ? configured.environments.map(e => e.name)
      : [...new Set(finished.map(d => d.environment))];
    return {
      entityRef: ref,
      windowDays: days,
      environments: computeDeploymentStats(names, finished, days),
    };
  }

  /** A deployment, if the caller may see its entity. */
  async getDeployment(
    id: number,
    credentials: BackstageCredentials,
  ): Promise<Deployment> {
    const deployment = await this.deps.store.get(id);
    if (!deployment) {
      throw new NotFoundError(`Deployment #${id} does not exist`);
    }
    await this.loadEntity(
      deployment.entityRef,
      credentials,
      () => new NotFoundError(`Deployment #${id} does not exist`),
    );
    return deployment;
  }

  async getLogs(
    id: number,
    after: number,
    credentials: BackstageCredentials,
  ): Promise<DeploymentLogs> {
    const deployment = await this.getDeployment(id, credentials);
    const lines = await this.deps.store.getLogs(id, after, MAX_LOG_PAGE);
    return {
      lines,
      finished:
        FINISHED_DEPLOYMENT_STATUSES.includes(deployment.status) &&
        lines.length < MAX_LOG_PAGE,
    };
  }

  private async environmentState(
    entity: Entity,
    entityRef: string,
    spec: EnvironmentSpec,
    { current, latest, active }: EnvironmentHeads,
    withRollbackCandidates: boolean,
  ): Promise<EnvironmentState> {
    const { store, targets, engine } = this.deps;
    const rollbackCandidates = !withRollbackCandidates
      ? []
      : await store.listRestorable(
          entityRef,
          spec.name,
          current?.version,
          ROLLBACK_CANDIDATES,
        );
    const target = targets.get(spec.targetId);
    const problem = target
      ? target.checkEntity?.(entity, spec.name)
      : unknownTargetMessage(spec.targetId, targets.ids());
    return {
      name: spec.name,
      targetId: spec.targetId,
      ...(target && { targetType: target.type }),
      ...(problem && { problem }),
      protected: engine.isProtected(spec.name),
      ...(spec.healthCheckUrl && { healthCheckUrl: spec.healthCheckUrl }),
      ...(current && { current }),
      ...(latest && { latest }),
      ...(active && { active }),
      rollbackCandidates,
    };
  }

  private async loadEntity(
    entityRef: string,
    credentials: BackstageCredentials,
    notFound: () => Error = () =>
      new NotFoundError(`${entityRef} was not found in the catalog`),
  ): Promise<Entity> {
    const entity = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw notFound();
    }
    return entity;
  }

  private environmentsOf(entity: Entity): EnvironmentSpec[] {
    const result = readEnvironments(entity);
    if (!result.ok) {
      const parts = [
        ...(result.missingAnnotations.length
          ? [`add the annotation(s) ${result.missingAnnotations.join(', ')}`]
          : []),
        ...result.problems,
      ];
      throw new InputError(
        `${stringifyEntityRef(
          entity,
        )} cannot be deployed by Ownops: ${parts.join('; ')}`,
      );
    }
    return result.environments;
  }

  private environmentOf(entity: Entity, environment: string): EnvironmentSpec {
    const spec = this.environmentsOf(entity).find(e => e.name === environment);
    if (!spec) {
      throw new InputError(
        `environment: "${environment}" is not one of ${stringifyEntityRef(
          entity,
        )}'s environments (${ANNOTATION_ENVIRONMENTS}: ${
          entity.metadata.annotations?.[ANNOTATION_ENVIRONMENTS]
        })`,
      );
    }
    return spec;
  }

  private targetOf(spec: EnvironmentSpec) {
    const target = this.deps.targets.get(spec.targetId);
    if (!target) {
      throw new InputError(
        unknownTargetMessage(spec.targetId, this.deps.targets.ids()),
      );
    }
    return target;
  }

  /** Refuses a deploy the target says the entity is not set up for. */
  private assertEntityFits(
    target: DeployTarget,
    entity: Entity,
    environment: string,
  ) {
    const problem = target.checkEntity?.(entity, environment);
    if (problem) {
      throw new InputError(
        `${stringifyEntityRef(
          entity,
        )} cannot be deployed to ${environment} with target "${
          target.id
        }": ${problem}`,
      );
    }
  }

  /**
   * Where the target lists its versions, only those may be deployed. A target
   * that fails to list them does not block the deploy: it validates itself.
   */
  private async assertListedVersion(
    target: DeployTarget,
    entity: Entity,
    environment: string,
    version: string,
  ) {
    if (!target.listVersions) {
      return;
    }
    let versions: string[];
    try {
      versions = (
        await target.listVersions(entity, environment, {
          signal: AbortSignal.timeout(VERSIONS_TIMEOUT_MS),
        })
      ).map(v => v.version);
    } catch {
      return;
    }
    if (!versions.includes(version)) {
      throw new InputError(
        `version: "${version}" is not a version that deploy target "${
          target.id
        }" offers for ${environment} (newest: ${
          versions.slice(0, 5).join(', ') || 'none'
        })`,
      );
    }
  }

  /** `asked`: the same check, already under way. */
  private async authorize(
    permission: ResourcePermission,
    entityRef: string,
    credentials: BackstageCredentials,
    verb: string,
    asked?: Promise<boolean>,
  ) {
    const allowed = await (asked ??
      this.isAllowed(permission, entityRef, credentials));
    if (!allowed) {
      throw new NotAllowedError(
        `You may not ${verb} ${entityRef} (permission ${permission.name}); ask one of its owners`,
      );
    }
  }
  private async isAllowed(
    permission: ResourcePermission,
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<boolean> {
    const [decision] = await this.deps.permissions.authorize(
      [{ permission, resourceRef: entityRef }],
      { credentials },
    );
    return decision.result === AuthorizeResult.ALLOW;
  }
}

function unknownTargetMessage(targetId: string, known: string[]): string {
  return `Deploy target "${targetId}" is not configured on this backend (known: ${
    known.join(', ') || 'none'
  }); add it under ownops.commandTargets in app-config or install the module that provides it`;
}
