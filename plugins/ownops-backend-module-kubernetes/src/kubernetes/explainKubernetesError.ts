import { ProviderRequestError } from '@ownops/backstage-plugin-node';

/** What a request was trying to do, for messages and RBAC advice. */
export interface KubernetesAction {
  verb: 'get' | 'list' | 'patch';
  /** Plural resource name in the `apps` API group: `deployments`, `replicasets`. */
  resource: 'deployments' | 'replicasets';
  namespace: string;
}

/** The RBAC rules the module needs, as a platform engineer would write them. */
export const REQUIRED_RBAC_RULES =
  'apiGroups ["apps"], resources ["deployments"], verbs ["get", "list", "patch"]; apiGroups ["apps"], resources ["replicasets"], verbs ["list"]';

/** A failed call to the API server, with the Kubernetes `Status` reason when one came. */
export class KubernetesRequestError extends Error {
  readonly name = 'KubernetesRequestError';
  constructor(
    message: string,
    readonly status?: number,
    readonly reason?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Turns a provider error into one that says what to do: which RBAC rule the
 * service account lacks, or that its token is rejected. Kubernetes answers
 * errors with a `Status` object whose `message` and `reason` are kept.
 */
export function explainKubernetesError(
  error: unknown,
  cluster: string,
  action: KubernetesAction,
): unknown {
  if (!(error instanceof ProviderRequestError) || error.status === undefined) {
    return error;
  }
  const body = error.body as { reason?: unknown } | undefined;
  const reason = typeof body?.reason === 'string' ? body.reason : undefined;
  const said = error.providerMessage ? `: ${error.providerMessage}` : '';
  const what = `${action.verb} ${action.resource} in namespace "${action.namespace}"`;
  let message: string;
  if (error.status === 403 && !error.rateLimited) {
    message = `Kubernetes cluster "${cluster}" does not allow the service account to ${what}${said}. Grant its service account a Role (or ClusterRole) bound in namespace "${action.namespace}" with the rules ${REQUIRED_RBAC_RULES}`;
  } else if (error.status === 401) {
    message = `Kubernetes cluster "${cluster}" rejected the service account token when trying to ${what}${said}. Check that the serviceAccountToken configured for the cluster is valid and not expired`;
  } else {
    message = error.message;
  }
  return new KubernetesRequestError(message, error.status, reason, {
    cause: error,
  });
}
