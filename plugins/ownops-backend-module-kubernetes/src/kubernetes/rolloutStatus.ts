import { DeployStatus } from '@ownops/backstage-plugin-node';
import { Deployment } from './types';

/** The reason the Deployment controller gives when a rollout stops progressing. */
const PROGRESS_DEADLINE_EXCEEDED = 'ProgressDeadlineExceeded';

/**
 * Where a Deployment's rollout stands, decided as `kubectl rollout status`
 * decides it: first the controller must have observed the latest spec, then
 * a passed progress deadline fails it, then every replica must be updated,
 * old replicas gone and updated replicas available.
 */
export function rolloutStatus(deployment: Deployment): DeployStatus {
  const name = deployment.metadata.name;
  const status = deployment.status ?? {};
  if (
    (deployment.metadata.generation ?? 0) > (status.observedGeneration ?? 0)
  ) {
    return {
      state: 'running',
      message: `Waiting for the rollout of Deployment "${name}" to be observed`,
    };
  }
  const progressing = status.conditions?.find(c => c.type === 'Progressing');
  if (progressing?.reason === PROGRESS_DEADLINE_EXCEEDED) {
    const deadline = deployment.spec.progressDeadlineSeconds ?? 600;
    return {
      state: 'failed',
      reason: `Deployment "${name}" exceeded its progress deadline (spec.progressDeadlineSeconds: ${deadline} s)${
        progressing.message ? `: ${progressing.message}` : ''
      }. Look at its pods (kubectl describe deployment ${name}) for image pull errors, crashes or failing readiness probes`,
    };
  }
  const desired = deployment.spec.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const replicas = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  if (updated < desired) {
    return {
      state: 'running',
      message: `Deployment "${name}": ${updated} of ${desired} new replicas updated`,
    };
  }
  if (replicas > updated) {
    return {
      state: 'running',
      message: `Deployment "${name}": ${
        replicas - updated
      } old replicas pending termination`,
    };
  }
  if (available < updated) {
    return {
      state: 'running',
      message: `Deployment "${name}": ${available} of ${updated} updated replicas available`,
    };
  }
  return { state: 'succeeded' };
}
