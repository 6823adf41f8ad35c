import { Entity } from '@backstage/catalog-model';
import { ServiceUnavailableError } from '@backstage/errors';
import { AvailableVersion } from '@ownops/backstage-plugin-common';
import {
  DeployContext,
  DeployLogSink,
  DeployRequest,
  DeployResult,
  DeployStatus,
  DeployTarget,
  ExternalDeployment,
} from '@ownops/backstage-plugin-node';
import { GithubApi, GithubRepo } from './api/GithubApi';
import { GithubRepoClient } from './api/GithubRepoClient';
import { GithubTargetConfig } from './config/readGithubTargets';
import { dispatchWorkflow } from './dispatch/dispatchWorkflow';
import {
  ClaimedRuns,
  DEFAULT_RUN_LOOKUP,
  WorkflowRun,
  WORKFLOW_RUN_SHAPE,
} from './dispatch/findDispatchedRun';
import { repositoryOf, workflowOf } from './entityRepository';
import { listDeployments } from './history/listDeployments';
import { decodeRunHandle, encodeRunHandle } from './runHandle';
import { deployStatusOfRun } from './status/deployStatusOfRun';
import { listRepositoryVersions } from './versions/listRepositoryVersions';

export interface GithubDeployTargetOptions {
  config: GithubTargetConfig;
  api: GithubApi;
  /** How a run is looked up when GitHub does not return it (older GHES). */
  runLookup?: { attempts: number; intervalMs: number };
}

/**
 * Deploys by dispatching a GitHub Actions workflow with the version and the
 * environment as inputs, then follows the run it started.
 */
export class GithubDeployTarget implements DeployTarget {
  readonly type = 'github';
  protected readonly config: GithubTargetConfig;
  protected readonly api: GithubApi;
  private readonly runLookup: { attempts: number; intervalMs: number };
  private readonly claimedRuns = new ClaimedRuns();

  constructor(options: GithubDeployTargetOptions) {
    this.config = options.config;
    this.api = options.api;
    this.runLookup = options.runLookup ?? DEFAULT_RUN_LOOKUP;
  }

  get id(): string {
    return this.config.id;
  }

  get title(): string | undefined {
    return this.config.title;
  }

  /** The repository annotation and workflow override, checked without calling GitHub. */
  checkEntity(entity: Entity, environment: string): string | undefined {
    try {
      repositoryOf(entity);
      workflowOf(entity, environment, this.config.workflow);
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }

  deploy(request: DeployRequest, context: DeployContext) {
    return this.dispatch(request, context);
  }

  /** Cancels the workflow run (`POST …/actions/runs/{id}/cancel`). */
  async cancel(
    externalHandle: string,
    context: { signal: AbortSignal; log: DeployLogSink },
  ): Promise<void> {
    const reference = decodeRunHandle(externalHandle);
    const client = await this.connect(reference);
    await client.send(
      `/actions/runs/${reference.runId}/cancel`,
      {
        action: `cancel workflow run ${reference.runId}`,
        permission: 'actions: write',
        notFound: `workflow run ${reference.runId} was not found in ${client.slug}`,
      },
      { method: 'POST', signal: context.signal },
    );
    context.log.info(
      `Asked GitHub to cancel workflow run ${reference.runId}: ${externalHandle}`,
    );
  }

  /** Dispatches the same workflow with the earlier version. */
  rollback(request: DeployRequest, context: DeployContext) {
    return this.dispatch(request, context);
  }

  async status(
    externalHandle: string,
    context: { signal: AbortSignal },
  ): Promise<DeployStatus> {
    let run: WorkflowRun;
    try {
      const reference = decodeRunHandle(externalHandle);
      const client = await this.connect(reference);
      run = await client.get<WorkflowRun>(
        `/actions/runs/${reference.runId}`,
        {
          action: `read workflow run ${reference.runId}`,
          permission: 'actions: read',
          notFound: `workflow run ${reference.runId} was not found in ${client.slug}`,
        },
        { signal: context.signal, shape: WORKFLOW_RUN_SHAPE },
      );
    } catch (error) {
      if (context.signal.aborted) {
        throw error;
      }
      if (error instanceof ServiceUnavailableError) {
        return {
          state: 'running',
          message: `${error.message}; asking again`,
        };
      }
      return { state: 'failed', reason: (error as Error).message };
    }
    return deployStatusOfRun(run);
  }

  async listHistory(
    entity: Entity,
    environment: string,
    context: { signal: AbortSignal; limit: number },
  ): Promise<ExternalDeployment[]> {
    const client = await this.connect(repositoryOf(entity));
    return listDeployments(client, environment, context);
  }

  protected async connect(
    repo: Omit<GithubRepo, 'host'> & { host?: string },
  ): Promise<GithubRepoClient> {
    return this.api.connect(
      {
        host: repo.host ?? this.config.host,
        owner: repo.owner,
        repo: repo.repo,
      },
      { timeoutMs: this.config.timeoutMs },
    );
  }

  private async dispatch(
    request: DeployRequest,
    context: DeployContext,
  ): Promise<DeployResult> {
    const { log, signal } = context;
    const rollback = request.kind === 'rollback';
    try {
      const workflow = workflowOf(
        request.entity,
        request.environment,
        this.config.workflow,
      );
      const client = await this.connect(repositoryOf(request.entity));
      log.info(
        `${
          rollback ? 'Rolling back: dispatching' : 'Dispatching'
        } ${workflow} in ${client.slug} with version ${request.version} for ${
          request.environment
        }`,
      );
      const run = await dispatchWorkflow(client, {
        workflow,
        ref: this.config.ref,
        inputs: this.inputsOf(request),
        signal,
        lookup: { ...this.runLookup, claimed: this.claimedRuns },
        log: message => log.info(message),
      });
      log.info(
        `${rollback ? 'Rollback: dispatched' : 'Dispatched'} ${workflow} on ${
          run.ref
        }: ${run.htmlUrl}`,
      );
      return {
        state: 'pending',
        externalHandle: encodeRunHandle({
          ...client.repo,
          runId: run.runId,
        }),
      };
    } catch (error) {
      if (signal.aborted) {
        throw error;
      }
      const reason = (error as Error).message;
      log.error(reason);
      return { state: 'failed', reason };
    }
  }

  private inputsOf(request: DeployRequest): Record<string, string> {
    const { version, environment } = this.config.inputs;
    const inputs: Record<string, string> = { [version]: request.version };
    if (environment) {
      inputs[environment] = request.environment;
    }
    return inputs;
  }
}

/** A GitHub target whose deployable versions are the repository's releases or tags. */
class GithubDeployTargetWithVersions extends GithubDeployTarget {
  async listVersions(
    entity: Entity,
    _environment: string,
    context: { signal: AbortSignal },
  ): Promise<AvailableVersion[]> {
    const client = await this.connect(repositoryOf(entity));
    return listRepositoryVersions(
      client,
      this.config.versions === 'tags' ? 'tags' : 'releases',
      context.signal,
    );
  }
}

/**
 * A deploy target for one `ownops.github.targets` entry. Only targets with
 * `versions: releases` or `tags` list versions: Ownops then refuses any other
 * version, so with `none` the method is absent and any version may be typed.
 */
export function createGithubDeployTarget(
  options: GithubDeployTargetOptions,
): DeployTarget {
  return options.config.versions === 'none'
    ? new GithubDeployTarget(options)
    : new GithubDeployTargetWithVersions(options);
}
