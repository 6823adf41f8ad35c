import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { ConflictError, InputError } from '@backstage/errors';
import {
  Deployment,
  DeploymentKind,
  readEnvironments,
} from '@ownops/backstage-plugin-common';
import {
  DeployRequest,
  DeployResult,
  DeployStatus,
  DeployTarget,
  ProviderRequestError,
} from '@ownops/backstage-plugin-node';
import { DeployConfig } from '../config';
import { DeploymentStore } from '../database/DeploymentStore';
import { ReplicaTroubles } from '../health/ReplicaTroubles';
import { retryWithBackoff } from '../health/retryWithBackoff';
import { DeployTargetRegistry } from '../targets/DeployTargetRegistry';
import { DeploymentEvents } from './DeploymentEvents';
import { DeploymentLog } from './DeploymentLog';
import { sleep, waitForHealthy } from './healthCheck';

/** Who requests deployments that Ownops starts on its own. */
export const SYSTEM_REQUESTER = 'ownops:system';

const CANCEL_TIMEOUT_MS = 15_000;

export interface DeploymentRequestInput {
  entity: Entity;
  entityRef: string;
  environment: string;
  targetId: string;
  version: string;
  kind: DeploymentKind;
  rollbackOf?: number;
  rollbackTo?: number;
  requestedBy: string;
  reason?: string;
  idempotencyKey?: string;
  /** Skips the approval of protected environments (automatic rollbacks). */
  skipApproval?: boolean;
}

type Outcome = {
  status: 'succeeded' | 'failed' | 'cancelled';
  failureReason?: string;
  healthFailed?: boolean;
};

/**
 * Runs deployments. State lives in the database: the store's conditional
 * updates decide which replica runs what, and a heartbeat lets the
 * reconciler settle deployments whose runner died.
 */
export class DeployEngine {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly aborts = new Map<number, () => void>();

  constructor(
    private readonly deps: {
      store: DeploymentStore;
      targets: DeployTargetRegistry;
      config: DeployConfig;
      events: DeploymentEvents;
      logger: LoggerService;
      loadEntity(entityRef: string): Promise<Entity | undefined>;
      runnerId: string;
      /** Where failed heartbeats and retried transitions are reported. */
      troubles?: ReplicaTroubles;
    },
  ) {}

  isProtected(environment: string): boolean {
    return this.deps.config.protectedEnvironments.has(environment);
  }

  /**
   * Records a deployment (or returns the one with the same idempotency key)
   * and starts it unless it needs approval.
   */
  async request(
    input: DeploymentRequestInput,
  ): Promise<{ deployment: Deployment; created: boolean }> {
    const { store } = this.deps;
    if (input.idempotencyKey) {
      const replay = await store.findByIdempotencyKey(
        input.entityRef,
        input.idempotencyKey,
      );
      if (replay) {
        return { deployment: assertSameRequest(replay, input), created: false };
      }
    }
    const needsApproval =
      !input.skipApproval && this.isProtected(input.environment);
    const outcome = await store.insert(
      {
        entityRef: input.entityRef,
        environment: input.environment,
        version: input.version,
        kind: input.kind,
        rollbackOf: input.rollbackOf,
        rollbackTo: input.rollbackTo,
        status: needsApproval ? 'awaiting_approval' : 'queued',
        targetId: input.targetId,
        requestedBy: input.requestedBy,
        reason: input.reason,
        idempotencyKey: input.idempotencyKey,
      },
      new Date(),
    );
    if (!outcome.inserted) {
      if (outcome.cause === 'idempotency') {
        return {
          deployment: assertSameRequest(outcome.existing, input),
          created: false,
        };
      }
      throw new ConflictError(describeActive(outcome.existing));
    }
    const deployment = outcome.deployment;
    await this.deps.events.changed(deployment);
    if (deployment.status === 'queued') {
      this.launch(deployment.id);
    }
    return { deployment, created: true };
  }

  async approve(deployment: Deployment, approver: string): Promise<Deployment> {
    if (deployment.status !== 'awaiting_approval') {
      throw new ConflictError(
        `Deployment #${deployment.id} is ${deployment.status}, not awaiting approval`,
      );
    }
    if (deployment.requestedBy === approver) {
      throw new ConflictError(
        `Deployment #${deployment.id} needs approval by someone other than the requester (${approver})`,
      );
    }
    if (!(await this.deps.store.approve(deployment.id, approver))) {
      throw new ConflictError(
        `Deployment #${deployment.id} is no longer awaiting approval`,
      );
    }
    const approved = (await this.deps.store.get(deployment.id))!;
    await this.deps.events.changed(approved);
    this.launch(approved.id);
    return approved;
  }

  /**
   * Cancels a deployment that has not started, or asks the runner of a
   * running one to stop (it notices within a heartbeat).
   */
  async cancel(deployment: Deployment): Promise<Deployment> {
    const { store } = this.deps;
    const settled = await store.finish(
      deployment.id,
      ['awaiting_approval', 'queued'],
      { status: 'cancelled' },
      new Date(),
    );
    if (!settled) {
      if (!(await store.requestCancel(deployment.id))) {
        const current = (await store.get(deployment.id))!;
        throw new ConflictError(
          `Deployment #${deployment.id} is ${current.status} and can no longer be cancelled`,
        );
      }
      this.aborts.get(deployment.id)?.();
    }
    const current = (await store.get(deployment.id))!;
    await this.deps.events.changed(current);
    return current;
  }

  /** Settles deployments whose runner stopped, and starts orphaned queued ones. */
  async reconcile(now = new Date()): Promise<void> {
    const { store, config, logger } = this.deps;
    const staleBefore = new Date(now.getTime() - config.staleAfterMs);
    for (const { deployment, runnerId } of await store.listStale(staleBefore)) {
      if (
        !(await store.adopt(deployment.id, runnerId, this.deps.runnerId, now))
      ) {
        continue;
      }
      logger.info(
        `Adopting deployment #${deployment.id}: its runner ${
          runnerId ?? '(unknown)'
        } stopped sending heartbeats`,
      );
      this.track(this.resume(deployment, runnerId));
    }
    for (const deployment of await store.listUnclaimed(staleBefore)) {
      this.launch(deployment.id);
    }
  }

  /** Waits for running work of this replica (used on shutdown and in tests). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) {
      await Promise.allSettled([...this.inFlight]);
    }
  }

  private launch(id: number) {
    this.track(this.claimAndRun(id));
  }

  private track(work: Promise<void>) {
    const tracked = work
      .catch(error =>
        this.deps.logger.error(`Deployment runner failed: ${error}`),
      )
      .finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  private async claimAndRun(id: number) {
    if (!(await this.deps.store.claim(id, this.deps.runnerId, new Date()))) {
      return;
    }
    const deployment = (await this.retry(`reading deployment #${id}`, () =>
      this.deps.store.get(id),
    ))!;
    await this.deps.events.changed(deployment);
    await this.execute(deployment, false);
  }

  /**
   * Continues a running deployment adopted from a dead runner: follows it
   * in the external system when the target can report its status, fails it
   * otherwise (its outcome is unknown, never assumed to be success).
   */
  private async resume(deployment: Deployment, staleRunnerId?: string) {
    const target = this.deps.targets.get(deployment.targetId);
    const audit = {
      previousRunner: staleRunnerId ?? 'unknown',
      runner: this.deps.runnerId,
    };
    if (!deployment.externalHandle || !target?.status) {
      const settled = await this.settle(deployment, undefined, {
        status: 'failed',
        failureReason:
          'The backend running this deployment stopped before it finished; its outcome is unknown. Check the target, then deploy again.',
      });
      if (settled) {
        await this.deps.events.systemAction('deployment-settle', deployment, {
          outcome: 'failed',
          reason: 'runner stopped',
          ...audit,
        });
      }
      return;
    }
    await this.deps.events.systemAction('deployment-adopt', deployment, {
      externalHandle: deployment.externalHandle,
      ...audit,
    });
    await this.execute(deployment, true);
  }

  private async execute(deployment: Deployment, resumed: boolean) {
    const { store, config, targets, logger } = this.deps;
    const firstSeq = resumed ? (await store.countLogs(deployment.id)) + 1 : 1;
    const log = new DeploymentLog(
      store,
      deployment.id,
      config.maxLogLines,
      logger,
      firstSeq,
    );
    const controller = new AbortController();
    let abortReason: 'cancelled' | 'timeout' | 'lost' | undefined;
    const abort = (reason: typeof abortReason) => {
      abortReason ??= reason;
      controller.abort();
    };
    // A cancel request reaching this replica stops at once; others notice
    // it through the heartbeat.
    this.aborts.set(deployment.id, () => abort('cancelled'));
    const timeout = setTimeout(() => abort('timeout'), config.timeoutMs);
    const beat = async () => {
      try {
        const answer = await store.heartbeat(
          deployment.id,
          this.deps.runnerId,
          new Date(),
        );
        if (!answer) {
          abort('lost');
        } else if (answer.cancelRequested) {
          abort('cancelled');
        }
      } catch (error) {
        // The next beat retries; the reconciler only takes over once the
        // heartbeat is older than staleAfter.
        this.deps.troubles?.record(
          `heartbeat of deployment #${deployment.id}`,
          error,
        );
        logger.warn(
          `Heartbeat of deployment #${deployment.id} failed: ${error}`,
        );
      }
    };
    const heartbeat = setInterval(beat, config.heartbeatIntervalMs);
    // A cancel that arrived between the claim and registering the abort
    // above is only visible in the database: look once now.
    await beat();

    let entity: Entity | undefined;
    let outcome: Outcome;
    const target = targets.get(deployment.targetId);
    try {
      entity = await this.deps.loadEntity(deployment.entityRef);
      outcome = await this.runTarget(
        deployment,
        entity,
        target,
        log,
        controller.signal,
        resumed,
      );
    } catch (error) {
      outcome = { status: 'failed', failureReason: (error as Error).message };
    } finally {
      clearTimeout(timeout);
      clearInterval(heartbeat);
      this.aborts.delete(deployment.id);
    }
    if (abortReason === 'cancelled') {
      outcome = { status: 'cancelled', failureReason: 'Cancelled by a user' };
    } else if (abortReason === 'timeout') {
      outcome = {
        status: 'failed',
        failureReason: `Timed out after ${Math.round(
          config.timeoutMs / 1000,
        )}s`,
      };
    } else if (abortReason === 'lost') {
      log.system('Another backend took over this deployment; stopping here.');
      await log.close();
      return;
    }
    if (abortReason && target?.cancel) {
      await this.cancelExternal(deployment.id, target, log);
    }
    log.system(
      outcome.status === 'succeeded'
        ? `Deployment #${deployment.id} succeeded`
        : `Deployment #${deployment.id} ${outcome.status}: ${outcome.failureReason}`,
    );
    await log.close();
    const finished = await this.settle(deployment, entity, outcome);
    if (finished && outcome.healthFailed && config.autoRollback && entity) {
      await this.rollBackAutomatically(finished, entity);
    }
  }

  private async runTarget(
    deployment: Deployment,
    entity: Entity | undefined,
    target: DeployTarget | undefined,
    log: DeploymentLog,
    signal: AbortSignal,
    resumed: boolean,
  ): Promise<Outcome> {
    if (!entity) {
      return {
        status: 'failed',
        failureReason: `${deployment.entityRef} is no longer in the catalog`,
      };
    }
    if (!target) {
      return {
        status: 'failed',
        failureReason: `Deploy target "${deployment.targetId}" is not configured on this backend`,
      };
    }
    let result: DeployResult;
    if (resumed) {
      log.system(
        'Resuming: following the external deployment after a backend restart',
      );
      result = { state: 'pending', externalHandle: deployment.externalHandle! };
    } else {
      const previous = await this.deps.store.findLatest(
        deployment.entityRef,
        deployment.environment,
        'succeeded',
      );
      const restored = deployment.rollbackTo
        ? await this.deps.store.get(deployment.rollbackTo)
        : undefined;
      const request: DeployRequest = {
        deploymentId: deployment.id,
        kind: deployment.kind,
        entity,
        entityRef: deployment.entityRef,
        environment: deployment.environment,
        version: deployment.version,
        previousVersion: previous?.version,
        restoreHandle: restored?.externalHandle,
      };
      log.system(
        `${deployment.kind === 'rollback' ? 'Rolling back' : 'Deploying'} ${
          deployment.entityRef
        } ${deployment.version} to ${deployment.environment} with target "${
          target.id
        }" (${target.type})`,
      );
      if (signal.aborted) {
        return { status: 'failed', failureReason: 'Stopped before it started' };
      }
      const context = { log, signal };
      result =
        deployment.kind === 'rollback' && target.rollback
          ? await target.rollback(request, context)
          : await target.deploy(request, context);
    }
    if (result.externalHandle) {
      const handle = result.externalHandle;
      await this.retry(
        `recording the handle of deployment #${deployment.id}`,
        () =>
          this.deps.store.setExternalHandle(
            deployment.id,
            this.deps.runnerId,
            handle,
          ),
      );
    }
    if (result.state === 'pending') {
      result = await this.follow(target, result.externalHandle, log, signal);
    }
    if (result.state === 'failed') {
      return { status: 'failed', failureReason: result.reason };
    }
    if (signal.aborted) {
      return { status: 'failed', failureReason: 'Stopped' };
    }
    return this.checkHealth(deployment, entity, log, signal);
  }

  /** Asks the target to stop the external deployment, if one was started. */
  private async cancelExternal(
    id: number,
    target: DeployTarget,
    log: DeploymentLog,
  ) {
    const handle = (await this.deps.store.get(id))?.externalHandle;
    if (!handle) {
      return;
    }
    try {
      await target.cancel!(handle, {
        signal: AbortSignal.timeout(CANCEL_TIMEOUT_MS),
        log,
      });
    } catch (error) {
      log.error(
        `Could not stop the deployment in ${target.id}: ${
          (error as Error).message
        }; it may still be running there`,
      );
    }
  }

  private async follow(
    target: DeployTarget,
    handle: string,
    log: DeploymentLog,
    signal: AbortSignal,
  ): Promise<DeployResult> {
    if (!target.status) {
      return {
        state: 'failed',
        reason: `Target "${target.id}" returned a pending deployment but cannot report its status`,
      };
    }
    let lastMessage: string | undefined;
    while (!signal.aborted) {
      let status: DeployStatus;
      try {
        status = await target.status(handle, { signal });
      } catch (error) {
        if (
          signal.aborted ||
          !(error instanceof ProviderRequestError && error.transient)
        ) {
          throw error;
        }
        status = {
          state: 'running',
          message: `${(error as Error).message}; asking again`,
        };
      }
      if (status.state === 'succeeded') {
        return { state: 'succeeded', externalHandle: handle };
      }
      if (status.state === 'failed') {
        return {
          state: 'failed',
          reason: status.reason,
          externalHandle: handle,
        };
      }
      if (status.message && status.message !== lastMessage) {
        log.info(status.message);
        lastMessage = status.message;
      }
      await sleep(this.deps.config.statusPollIntervalMs, signal);
    }
    return { state: 'failed', reason: 'Stopped while waiting for the target' };
  }

  private async checkHealth(
    deployment: Deployment,
    entity: Entity,
    log: DeploymentLog,
    signal: AbortSignal,
  ): Promise<Outcome> {
    const url = healthCheckUrlOf(
      entity,
      deployment.environment,
      this.deps.config.healthCheck.urls,
    );
    if (!url) {
      return { status: 'succeeded' };
    }
    const health = await waitForHealthy({
      url,
      expectedVersion: deployment.version,
      timeoutMs: this.deps.config.healthCheck.timeoutMs,
      intervalMs: this.deps.config.healthCheck.intervalMs,
      signal,
      log: message => log.system(message),
    });
    return health.healthy
      ? { status: 'succeeded' }
      : { status: 'failed', failureReason: health.reason, healthFailed: true };
  }

  private async settle(
    deployment: Deployment,
    entity: Entity | undefined,
    outcome: Outcome,
  ): Promise<Deployment | undefined> {
    const { store } = this.deps;
    // Conditional on 'running': should a lost answer hide a committed
    // update, the retry changes nothing.
    const settled = await this.retry(
      `settling deployment #${deployment.id}`,
      () =>
        store.finish(
          deployment.id,
          ['running'],
          { status: outcome.status, failureReason: outcome.failureReason },
          new Date(),
        ),
    );
    if (!settled) {
      return undefined;
    }
    const finished = (await this.retry(
      `reading deployment #${deployment.id}`,
      () => store.get(deployment.id),
    ))!;
    await this.deps.events.changed(finished);
    const current =
      entity ??
      (await this.deps.loadEntity(finished.entityRef).catch(() => undefined));
    if (finished.status === 'failed') {
      await this.deps.events.failed(finished, current);
    }
    await this.deps.events.finished(finished, current);
    return finished;
  }

  /** Retries a database operation through a dropped connection. */
  private retry<T>(operation: string, work: () => Promise<T>): Promise<T> {
    return retryWithBackoff(operation, work, {
      troubles: this.deps.troubles,
      logger: this.deps.logger,
    });
  }

  private async rollBackAutomatically(failed: Deployment, entity: Entity) {
    const lastGood = await this.deps.store.findLatest(
      failed.entityRef,
      failed.environment,
      'succeeded',
    );
    if (!lastGood || lastGood.version === failed.version) {
      return;
    }
    try {
      const { deployment } = await this.request({
        entity,
        entityRef: failed.entityRef,
        environment: failed.environment,
        targetId: failed.targetId,
        version: lastGood.version,
        kind: 'rollback',
        rollbackOf: failed.id,
        rollbackTo: lastGood.id,
        requestedBy: SYSTEM_REQUESTER,
        reason: `Automatic rollback: deployment #${failed.id} failed its health check`,
        skipApproval: true,
      });
      await this.deps.events.systemAction(
        'deployment-auto-rollback',
        deployment,
        {
          failedDeploymentId: failed.id,
        },
      );
      await this.deps.events.rolledBackAutomatically(
        deployment,
        failed,
        entity,
      );
    } catch (error) {
      this.deps.logger.warn(
        `Automatic rollback after deployment #${failed.id} was not started: ${error}`,
      );
    }
  }
}

/** The entity's own health check URL, else the configured template. */
function healthCheckUrlOf(
  entity: Entity,
  environment: string,
  templates: Record<string, string>,
): string | undefined {
  const environments = readEnvironments(entity);
  const annotated = environments.ok
    ? environments.environments.find(e => e.name === environment)
        ?.healthCheckUrl
    : undefined;
  const template = templates[environment];
  return (
    annotated ??
    template
      ?.replaceAll('{name}', encodeURIComponent(entity.metadata.name))
      .replaceAll(
        '{namespace}',
        encodeURIComponent(entity.metadata.namespace ?? 'default'),
      )
  );
}

function describeActive(active: Deployment): string {
  const what = active.kind === 'rollback' ? 'Rollback' : 'Deployment';
  return `${what} #${active.id} of ${active.version} to ${
    active.environment
  } is ${active.status.replace('_', ' ')}, requested by ${
    active.requestedBy
  }; wait for it to finish or cancel it`;
}

function assertSameRequest(
  existing: Deployment,
  input: DeploymentRequestInput,
): Deployment {
  if (
    existing.environment !== input.environment ||
    existing.version !== input.version ||
    existing.kind !== input.kind ||
    existing.requestedBy !== input.requestedBy
  ) {
    throw new InputError(
      `Idempotency-Key was already used for deployment #${existing.id} with a different request`,
    );
  }
  return existing;
}
