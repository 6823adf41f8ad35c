import {
  DeployLogSink,
  DeployResult,
  DeployStatus,
  DeployTarget,
} from '@ownops/backstage-plugin-node';
import {
  containsSecret,
  Redact,
  redactError,
  redactStrings,
} from './redactSecrets';

/**
 * The target with every text it hands to Ownops cleaned of configured
 * secrets: deploy log lines, failure reasons, status messages, versions,
 * history and error messages. An external handle that carries a secret is
 * refused, since it is stored and shown as it is.
 */
export function redactingDeployTarget(
  target: DeployTarget,
  redact: Redact,
): DeployTarget {
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw redactError(error, redact);
    }
  };
  const sink = (log: DeployLogSink): DeployLogSink => ({
    info: message => log.info(redact(message)),
    error: message => log.error(redact(message)),
  });
  const result = (outcome: DeployResult): DeployResult => {
    if (
      outcome.externalHandle &&
      containsSecret(redact, outcome.externalHandle)
    ) {
      return {
        state: 'failed',
        reason: `Deploy target "${target.id}" returned an external handle that contains a configured secret; it was not stored, and the deployment cannot be followed`,
      };
    }
    return outcome.state === 'failed'
      ? { ...outcome, reason: redact(outcome.reason) }
      : outcome;
  };
  const status = (answer: DeployStatus): DeployStatus => {
    if (answer.state === 'failed') {
      return { ...answer, reason: redact(answer.reason) };
    }
    if (answer.state === 'running' && answer.message) {
      return { ...answer, message: redact(answer.message) };
    }
    return answer;
  };
  const { rollback, cancel, listVersions, listHistory, checkEntity } = target;
  return {
    id: target.id,
    title: target.title,
    type: target.type,
    deploy: (request, context) =>
      guard(async () =>
        result(
          await target.deploy(request, { ...context, log: sink(context.log) }),
        ),
      ),
    ...(checkEntity && {
      checkEntity: (entity, environment) => {
        const problem = checkEntity.call(target, entity, environment);
        return problem === undefined ? undefined : redact(problem);
      },
    }),
    ...(rollback && {
      rollback: (request, context) =>
        guard(async () =>
          result(
            await rollback.call(target, request, {
              ...context,
              log: sink(context.log),
            }),
          ),
        ),
    }),
    ...(cancel && {
      cancel: (handle, context) =>
        guard(() =>
          cancel.call(target, handle, { ...context, log: sink(context.log) }),
        ),
    }),
    ...(target.status && {
      status: (handle, context) =>
        guard(async () => status(await target.status!(handle, context))),
    }),
    ...(listVersions && {
      listVersions: (entity, environment, context) =>
        guard(async () =>
          (await listVersions.call(target, entity, environment, context)).map(
            version => redactStrings(version, redact),
          ),
        ),
    }),
    ...(listHistory && {
      listHistory: (entity, environment, context) =>
        guard(async () =>
          (await listHistory.call(target, entity, environment, context)).map(
            deployment => redactStrings(deployment, redact),
          ),
        ),
    }),
  };
}
