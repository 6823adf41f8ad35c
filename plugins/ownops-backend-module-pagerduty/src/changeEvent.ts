import { parseEntityRef } from '@backstage/catalog-model';
import { Deployment } from '@ownops/backstage-plugin-common';

const MAX_SUMMARY = 1024;

/** PagerDuty Events API v2 change event, without its routing key. */
export interface ChangeEventBody {
  payload: {
    summary: string;
    timestamp: string;
    source: string;
    custom_details: Record<string, string | number>;
  };
  links: Array<{ href: string; text: string }>;
}

/**
 * Whether PagerDuty should hear about the deployment: not when it was
 * cancelled before it ever ran (Ownops does not report those either).
 */
export function deploymentRan(deployment: Deployment): boolean {
  return deployment.status !== 'cancelled' || !!deployment.startedAt;
}

/** The change event that reports a finished deployment. */
export function changeEventOf(
  deployment: Deployment,
  appBaseUrl: string,
): ChangeEventBody {
  const ref = parseEntityRef(deployment.entityRef);
  const action =
    deployment.kind === 'rollback'
      ? `Rolled back ${ref.name} to ${deployment.version} in ${deployment.environment}`
      : `Deployed ${ref.name} ${deployment.version} to ${deployment.environment}`;
  const summary = `${action} (${deployment.status})`;
  const page = `${appBaseUrl.replace(/\/+$/, '')}/catalog/${encodeURIComponent(
    ref.namespace,
  )}/${encodeURIComponent(
    ref.kind.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(ref.name)}/deployments`;
  return {
    payload: {
      summary:
        summary.length > MAX_SUMMARY
          ? `${summary.slice(0, MAX_SUMMARY - 1)}…`
          : summary,
      timestamp: deployment.finishedAt ?? new Date().toISOString(),
      source: 'Ownops',
      custom_details: {
        entityRef: deployment.entityRef,
        environment: deployment.environment,
        version: deployment.version,
        kind: deployment.kind,
        status: deployment.status,
        requestedBy: deployment.requestedBy,
        deploymentId: deployment.id,
        ...(deployment.failureReason
          ? { failureReason: deployment.failureReason }
          : {}),
      },
    },
    links: [{ href: page, text: `Deployment #${deployment.id} in Backstage` }],
  };
}
