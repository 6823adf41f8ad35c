import { Entity } from '@backstage/catalog-model';
import {
  DeployContext,
  DeployRequest,
  DeployResult,
  DeployStatus,
  DeployTarget,
  ExternalDeployment,
} from '@ownops/backstage-plugin-node';
import { KubernetesTargetConfig } from './config/readKubernetesTargets';
import { KubernetesRequestError } from './kubernetes/explainKubernetesError';
import {
  imageWithTag,
  isValidTag,
  parseImage,
  versionOfImage,
} from './kubernetes/imageReference';
import {
  JSON_PATCH,
  KubernetesClient,
  STRATEGIC_MERGE_PATCH,
} from './kubernetes/KubernetesClient';
import {
  ownedReplicaSets,
  revisionOf,
  rollbackPatch,
} from './kubernetes/replicaSets';
import { rolloutStatus } from './kubernetes/rolloutStatus';
import { Deployment } from './kubernetes/types';
import {
  imageInTemplate,
  resolveDeployment,
  ResolvedDeployment,
} from './resolveDeployment';
import { decodeRolloutHandle, encodeRolloutHandle } from './rolloutHandle';
import { entityWorkload } from './entityWorkload';

const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';

/** A change to send to the Deployment, computed from what it is now. */
interface PlannedPatch {
  contentType: typeof STRATEGIC_MERGE_PATCH | typeof JSON_PATCH;
  body: unknown;
  image: string;
}

/**
 * Deploys an entity's Deployment by setting its container's image tag to the
 * version, follows the rollout as `kubectl rollout status` does, and rolls
 * back as `kubectl rollout undo --to-revision` does.
 */
export class KubernetesDeployTarget implements DeployTarget {
  readonly type = 'kubernetes';

  constructor(
    private readonly config: KubernetesTargetConfig,
    private readonly client: KubernetesClient,
  ) {}

  get id(): string {
    return this.config.id;
  }

  get title(): string | undefined {
    return this.config.title;
  }

  /** The annotations that find the entity's Deployment, checked without calling the cluster. */
  checkEntity(entity: Entity, environment: string): string | undefined {
    try {
      entityWorkload(entity, environment, this.config.namespace, this.id);
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }

  deploy(
    request: DeployRequest,
    context: DeployContext,
  ): Promise<DeployResult> {
    return this.reportFailures(context, async () => {
      assertTag(request.version);
      const resolved = await this.resolve(
        request.entity,
        request.environment,
        context.signal,
      );
      return this.change(
        resolved,
        context,
        deployment => {
          const current = this.container(deployment, resolved).image;
          const image = imageWithTag(current, request.version);
          context.log.info(
            `Setting the image of container "${resolved.container.name}" from ${current} to ${image}`,
          );
          return {
            contentType: STRATEGIC_MERGE_PATCH,
            image,
            body: {
              spec: {
                template: {
                  spec: {
                    containers: [{ name: resolved.container.name, image }],
                  },
                },
              },
            },
          };
        },
        imageWithTag(resolved.container.image, request.version),
      );
    });
  }

  rollback(
    request: DeployRequest,
    context: DeployContext,
  ): Promise<DeployResult> {
    return this.reportFailures(context, async () => {
      const resolved = await this.resolve(
        request.entity,
        request.environment,
        context.signal,
      );
      const wanted = imageWithTag(resolved.container.image, request.version);
      return this.change(
        resolved,
        context,
        async deployment => {
          const replicaSet = await this.revisionRunning(
            deployment,
            resolved.container.name,
            request.version,
            context.signal,
          );
          context.log.info(
            `Restoring revision ${replicaSet.revision} (ReplicaSet ${
              replicaSet.metadata.name
            }) of Deployment "${deployment.metadata.name}": container "${
              resolved.container.name
            }" goes from ${
              this.container(deployment, resolved).image
            } to ${imageInTemplate(
              replicaSet.spec.template,
              resolved.container.name,
            )}`,
          );
          return {
            contentType: JSON_PATCH,
            image: imageInTemplate(
              replicaSet.spec.template,
              resolved.container.name,
            )!,
            body: rollbackPatch(deployment, replicaSet),
          };
        },
        wanted,
      );
    });
  }

  async status(
    externalHandle: string,
    context: { signal: AbortSignal },
  ): Promise<DeployStatus> {
    const handle = decodeRolloutHandle(externalHandle);
    const where = `Deployment "${handle.deployment}" in namespace "${handle.namespace}" of cluster "${handle.cluster}"`;
    if (handle.cluster !== this.client.clusterName) {
      return {
        state: 'failed',
        reason: `This rollout ran on cluster "${handle.cluster}", but Kubernetes target "${this.id}" now points to cluster "${this.client.clusterName}"; follow it with kubectl rollout status`,
      };
    }
    const deployment = await this.client.getDeployment(
      handle.namespace,
      handle.deployment,
      context.signal,
    );
    if (!deployment) {
      return { state: 'failed', reason: `${where} no longer exists` };
    }
    const image = imageInTemplate(deployment.spec.template, handle.container);
    if (image !== handle.image) {
      return {
        state: 'failed',
        reason: `${where} was changed to ${
          image ?? `a template without container ${handle.container}`
        } before this rollout of ${
          handle.image
        } finished; someone else deployed it`,
      };
    }
    return rolloutStatus(deployment);
  }

  async listHistory(
    entity: Entity,
    environment: string,
    context: { signal: AbortSignal; limit: number },
  ): Promise<ExternalDeployment[]> {
    const { deployment, container } = await this.resolve(
      entity,
      environment,
      context.signal,
    );
    const current = revisionOf(deployment);
    const rollout = rolloutStatus(deployment).state;
    const replicaSets = await ownedReplicaSets(
      this.client,
      deployment,
      context.signal,
    );
    return replicaSets.slice(0, context.limit).map(rs => {
      const image = imageInTemplate(rs.spec.template, container.name);
      return {
        id: String(rs.revision),
        version: image ? versionOfImage(image) : 'unknown',
        status: rs.revision === current ? rollout : 'inactive',
        startedAt: rs.metadata.creationTimestamp,
        description:
          rs.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION] ??
          `ReplicaSet ${rs.metadata.name}${image ? ` (${image})` : ''}`,
      };
    });
  }

  private resolve(entity: Entity, environment: string, signal: AbortSignal) {
    return resolveDeployment({
      client: this.client,
      entity,
      environment,
      defaultNamespace: this.config.namespace,
      targetId: this.id,
      signal,
    });
  }

  private container(deployment: Deployment, resolved: ResolvedDeployment) {
    const image = imageInTemplate(
      deployment.spec.template,
      resolved.container.name,
    );
    if (!image) {
      throw new Error(
        `Deployment "${deployment.metadata.name}" no longer has container "${resolved.container.name}"`,
      );
    }
    return { name: resolved.container.name, image };
  }

  /** The newest earlier revision whose container runs `<repository>:<version>`. */
  private async revisionRunning(
    deployment: Deployment,
    container: string,
    version: string,
    signal: AbortSignal,
  ) {
    const current = revisionOf(deployment);
    const repository = parseImage(
      imageInTemplate(deployment.spec.template, container)!,
    ).repository;
    const replicaSets = await ownedReplicaSets(this.client, deployment, signal);
    const match = replicaSets.find(rs => {
      const image = imageInTemplate(rs.spec.template, container);
      const parsed = image ? parseImage(image) : undefined;
      return (
        rs.revision !== current &&
        parsed?.repository === repository &&
        parsed.tag === version
      );
    });
    if (!match) {
      throw new Error(
        `No earlier ReplicaSet of Deployment "${
          deployment.metadata.name
        }" runs ${repository}:${version} any more: Kubernetes keeps only spec.revisionHistoryLimit old ReplicaSets (revisions kept: ${
          replicaSets.map(rs => rs.revision).join(', ') || 'none'
        }). Deploy version ${version} instead`,
      );
    }
    return match;
  }

  /**
   * Applies a change to the Deployment: refuses a paused one, does nothing
   * when it already runs `wanted`, and on a 409 Conflict re-reads it and
   * tries once more. Returns a pending result to follow the rollout.
   */
  private async change(
    resolved: ResolvedDeployment,
    context: DeployContext,
    plan: (deployment: Deployment) => PlannedPatch | Promise<PlannedPatch>,
    wanted: string,
  ): Promise<DeployResult> {
    const { namespace } = resolved;
    let deployment = resolved.deployment;
    const name = deployment.metadata.name;
    for (let attempt = 0; ; attempt++) {
      if (deployment.spec.paused) {
        return {
          state: 'failed',
          reason: `Deployment "${name}" in namespace "${namespace}" is paused; resume it first (kubectl rollout resume deployment/${name} -n ${namespace}) and try again`,
        };
      }
      const current = this.container(deployment, resolved).image;
      if (current === wanted) {
        context.log.info(
          `Container "${resolved.container.name}" of Deployment "${name}" already runs ${wanted}; nothing to change`,
        );
        return this.following(deployment, resolved, current);
      }
      const patch = await plan(deployment);
      try {
        const patched = await this.client.patchDeployment(
          namespace,
          name,
          patch.contentType,
          patch.body,
          context.signal,
        );
        context.log.info(
          `Kubernetes cluster "${this.client.clusterName}" accepted the change to Deployment "${name}" in namespace "${namespace}" (generation ${patched.metadata.generation}); following the rollout`,
        );
        return {
          state: 'pending',
          externalHandle: this.handle(patched, resolved, patch.image),
        };
      } catch (error) {
        if (
          !(error instanceof KubernetesRequestError) ||
          error.status !== 409 ||
          attempt > 0
        ) {
          throw error;
        }
        context.log.info(
          `Deployment "${name}" changed while it was being patched; reading it again`,
        );
        const reread = await this.client.getDeployment(
          namespace,
          name,
          context.signal,
        );
        if (!reread) {
          throw new Error(
            `Deployment "${name}" in namespace "${namespace}" was deleted while it was being patched`,
          );
        }
        deployment = reread;
      }
    }
  }

  /** Nothing to change: done if its rollout is complete, else follow it. */
  private following(
    deployment: Deployment,
    resolved: ResolvedDeployment,
    image: string,
  ): DeployResult {
    const externalHandle = this.handle(deployment, resolved, image);
    return rolloutStatus(deployment).state === 'succeeded'
      ? { state: 'succeeded', externalHandle }
      : { state: 'pending', externalHandle };
  }

  private handle(
    deployment: Deployment,
    resolved: ResolvedDeployment,
    image: string,
  ): string {
    return encodeRolloutHandle({
      cluster: this.client.clusterName,
      namespace: resolved.namespace,
      deployment: deployment.metadata.name,
      container: resolved.container.name,
      image,
      generation: deployment.metadata.generation ?? 0,
    });
  }

  /** Turns an error into a failed result the user reads in the deploy log. */
  private async reportFailures(
    context: DeployContext,
    run: () => Promise<DeployResult>,
  ): Promise<DeployResult> {
    try {
      return await run();
    } catch (error) {
      if (context.signal.aborted) {
        throw error;
      }
      const reason = (error as Error).message ?? String(error);
      context.log.error(reason);
      return { state: 'failed', reason };
    }
  }
}

function assertTag(version: string) {
  if (!isValidTag(version)) {
    throw new Error(
      `"${version}" cannot be an image tag: use letters, digits, "_", "." and "-" (at most 128, not starting with "." or "-")`,
    );
  }
}
