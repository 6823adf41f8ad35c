import { Entity } from '@backstage/catalog-model';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  DeployContext,
  DeployLogSink,
  DeployRequest,
  DeployResult,
  DeployStatus,
  DeployTarget,
  ExternalDeployment,
  ProviderRequestError,
} from '@ownops/backstage-plugin-node';
import { ArgoCdAppRef, appRefOf } from './appRef';
import { ArgoCdClient } from './ArgoCdClient';
import { ArgoCdInstanceConfig } from './config';
import { findRestoreEntry, newestFirst } from './findRestoreEntry';
import { ArgoCdHandle, decodeHandle, encodeHandle } from './handle';
import { operationStatus } from './operationStatus';
import {
  ArgoCdApplication,
  isAutoSyncEnabled,
  isOperationInProgress,
  targetRevisionOf,
} from './types';

const DEFAULT_HISTORY_LIMIT = 10;

/**
 * A deploy target backed by one Argo CD instance: a deploy syncs the
 * entity's application to the version, a rollback re-applies an entry of
 * the application's history, and `status` follows the operation and then
 * the application's health.
 */
export class ArgoCdDeployTarget implements DeployTarget {
  readonly type = 'argocd';
  private readonly client: ArgoCdClient;

  constructor(
    private readonly instance: ArgoCdInstanceConfig,
    options: { logger?: LoggerService; fetch?: typeof fetch } = {},
  ) {
    this.client = new ArgoCdClient(instance, options);
  }

  get id(): string {
    return this.instance.id;
  }

  get title(): string | undefined {
    return this.instance.title;
  }

  /** The application annotations, checked without calling Argo CD. */
  checkEntity(entity: Entity, environment: string): string | undefined {
    try {
      appRefOf(entity, environment, this.instance.project);
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }

  /** Terminates the application's running operation, if one still runs. */
  async cancel(
    externalHandle: string,
    context: { signal: AbortSignal; log: DeployLogSink },
  ): Promise<void> {
    const handle = decodeHandle(externalHandle);
    if (!handle || handle.instance !== this.instance.id) {
      throw new Error(
        `"${externalHandle}" is not the handle of an Argo CD operation of instance "${this.instance.id}"`,
      );
    }
    try {
      await this.client.terminateOperation(handle.app, context.signal);
      context.log.info(
        `Asked Argo CD to terminate the running operation of ${handle.app.name}`,
      );
    } catch (error) {
      if (
        error instanceof ProviderRequestError &&
        /no operation is in progress/i.test(error.message)
      ) {
        context.log.info(
          `Argo CD has no operation of ${handle.app.name} running: nothing to stop`,
        );
        return;
      }
      throw error;
    }
  }

  async deploy(
    request: DeployRequest,
    context: DeployContext,
  ): Promise<DeployResult> {
    const ref = this.appRef(request);
    const app = await this.client.getApplication(ref, context.signal);
    const busy = this.refuseWhileBusy(app, ref);
    if (busy) {
      return busy;
    }
    const target = targetRevisionOf(app);
    if (isAutoSyncEnabled(app) && target !== request.version) {
      context.log.info(
        `Warning: auto-sync is enabled on ${ref.name} and tracks ${
          target ?? 'HEAD'
        }; Argo CD will move the application back to it unless spec.source.targetRevision is ${
          request.version
        }`,
      );
    }
    context.log.info(
      `Syncing Argo CD application ${ref.name} on ${this.id} to ${request.version}`,
    );
    const requestedAt = new Date().toISOString();
    const synced = await this.client
      .sync(ref, request.version, context.signal)
      .catch(error => {
        throw this.explainRefusal(error, ref, request.version);
      });
    return this.pending(ref, request.version, requestedAt, app, synced);
  }

  async rollback(
    request: DeployRequest,
    context: DeployContext,
  ): Promise<DeployResult> {
    const ref = this.appRef(request);
    const app = await this.client.getApplication(ref, context.signal);
    if (isAutoSyncEnabled(app)) {
      return {
        state: 'failed',
        reason: this.autoSyncRefusal(ref, request.version),
      };
    }
    const busy = this.refuseWhileBusy(app, ref);
    if (busy) {
      return busy;
    }
    const entry = findRestoreEntry(app.status?.history ?? [], request, this.id);
    if (!entry) {
      return {
        state: 'failed',
        reason: this.historyGone(app, ref, request.version),
      };
    }
    context.log.info(
      `Rolling back Argo CD application ${ref.name} on ${
        this.id
      } to history id ${entry.id} (revision ${entry.revision}, deployed ${
        entry.deployedAt ?? 'at an unknown time'
      })`,
    );
    const requestedAt = new Date().toISOString();
    const rolledBack = await this.client
      .rollback(ref, Number(entry.id), context.signal)
      .catch(error => {
        throw this.explainRefusal(error, ref, request.version, app);
      });
    return this.pending(
      ref,
      request.version,
      requestedAt,
      app,
      rolledBack,
      entry.revision,
    );
  }

  async status(
    externalHandle: string,
    context: { signal: AbortSignal },
  ): Promise<DeployStatus> {
    const handle = decodeHandle(externalHandle);
    if (!handle) {
      return {
        state: 'failed',
        reason: `Deploy target "${this.id}" cannot follow this deployment: its handle was not written by the Argo CD target`,
      };
    }
    if (handle.instance !== this.id) {
      return {
        state: 'failed',
        reason: `This deployment was started on Argo CD instance "${handle.instance}", not "${this.id}"; it cannot be followed here`,
      };
    }
    let app: ArgoCdApplication;
    try {
      app = await this.client.getApplication(handle.app, context.signal);
    } catch (error) {
      if (context.signal.aborted || !isTransient(error)) {
        throw error;
      }
      // The operation goes on in Argo CD: ask again at the next poll, within
      // the deploy timeout, rather than fail a deployment that may succeed.
      return {
        state: 'running',
        message: `${(error as Error).message}; asking again`,
      };
    }
    return operationStatus(app, handle, {
      waitForHealthy: this.instance.waitForHealthy,
    });
  }

  async listHistory(
    entity: Entity,
    environment: string,
    context: { signal: AbortSignal; limit: number },
  ): Promise<ExternalDeployment[]> {
    const ref = appRefOf(entity, environment, this.instance.project);
    const app = await this.client.getApplication(ref, context.signal);
    const url = this.client.uiUrl(ref, app.metadata?.namespace);
    return newestFirst(app.status?.history ?? [])
      .slice(0, context.limit)
      .map(entry => ({
        id: String(entry.id),
        version: entry.revision ?? entry.revisions?.join(', ') ?? 'unknown',
        status: 'succeeded' as const,
        startedAt: entry.deployStartedAt,
        finishedAt: entry.deployedAt,
        initiatedBy: entry.initiatedBy?.username || 'automated',
        url,
        ...(entry.source?.targetRevision
          ? { description: `targetRevision ${entry.source.targetRevision}` }
          : {}),
      }));
  }

  private appRef(request: DeployRequest): ArgoCdAppRef {
    return appRefOf(request.entity, request.environment, this.instance.project);
  }

  private refuseWhileBusy(
    app: ArgoCdApplication,
    ref: ArgoCdAppRef,
  ): DeployResult | undefined {
    if (!isOperationInProgress(app)) {
      return undefined;
    }
    const state = app.status?.operationState;
    const by = state?.operation?.initiatedBy?.automated
      ? 'auto-sync'
      : state?.operation?.initiatedBy?.username;
    const who = by ? `started by ${by}, ` : '';
    const said = state?.message ? `: ${state.message}` : '';
    return {
      state: 'failed',
      reason: `Argo CD is already running an operation on ${
        ref.name
      } (${who}phase ${
        state?.phase ?? 'requested'
      }${said}); wait for it to finish or terminate it in Argo CD, then try again`,
    };
  }

  private pending(
    ref: ArgoCdAppRef,
    version: string,
    requestedAt: string,
    before: ArgoCdApplication,
    started: ArgoCdApplication,
    restoredRevision?: string,
  ): DeployResult {
    const previous = before.status?.operationState;
    const handle: ArgoCdHandle = {
      instance: this.id,
      app: ref,
      revision: version,
      resolvedRevision: started.operation?.sync?.revision ?? restoredRevision,
      requestedAt,
      ...(previous?.startedAt
        ? {
            after: {
              startedAt: previous.startedAt,
              ...(previous.finishedAt
                ? { finishedAt: previous.finishedAt }
                : {}),
            },
          }
        : {}),
    };
    return { state: 'pending', externalHandle: encodeHandle(handle) };
  }

  /** Turns Argo CD's refusals (400 FailedPrecondition) into what to do. */
  private explainRefusal(
    error: unknown,
    ref: ArgoCdAppRef,
    version: string,
    app?: ArgoCdApplication,
  ): unknown {
    if (!(error instanceof ProviderRequestError) || error.status !== 400) {
      return error;
    }
    const said = error.providerMessage ?? '';
    if (/rollback cannot be initiated when auto-sync is enabled/i.test(said)) {
      return new Error(this.autoSyncRefusal(ref, version), { cause: error });
    }
    if (/does not have deployment with id/i.test(said) && app) {
      return new Error(this.historyGone(app, ref, version), { cause: error });
    }
    if (/auto-sync currently set to/i.test(said)) {
      return new Error(
        `Argo CD refuses to sync ${ref.name} to ${version} while auto-sync is enabled and tracks another revision (${said}); set spec.source.targetRevision to ${version} in Git, or disable auto-sync, then deploy again`,
        { cause: error },
      );
    }
    if (/another operation is already in progress/i.test(said)) {
      return new Error(
        `Argo CD is already running an operation on ${ref.name}; wait for it to finish, then try again`,
        { cause: error },
      );
    }
    return error;
  }

  private autoSyncRefusal(ref: ArgoCdAppRef, version: string): string {
    return `Argo CD refuses rollbacks while auto-sync is enabled on ${ref.name}: disable auto-sync, or deploy version ${version} instead`;
  }

  private historyGone(
    app: ArgoCdApplication,
    ref: ArgoCdAppRef,
    version: string,
  ): string {
    const limit = app.spec?.revisionHistoryLimit ?? DEFAULT_HISTORY_LIMIT;
    return `Argo CD no longer has the deployment of ${version} in the history of ${ref.name} (it keeps the last ${limit}, spec.revisionHistoryLimit); deploy version ${version} instead`;
  }
}

/** No answer, a rate limit or a server error: worth asking again later. */
function isTransient(error: unknown): boolean {
  return (
    error instanceof ProviderRequestError &&
    (error.status === undefined || error.rateLimited || error.status >= 500)
  );
}
