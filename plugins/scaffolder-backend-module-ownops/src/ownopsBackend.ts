import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError, ServiceUnavailableError } from '@backstage/errors';
import { OwnopsClient } from '@ownops/backstage-plugin-common';

/**
 * Calls the Ownops backend on behalf of the user who started the template,
 * so its permission policy applies to template runs exactly as to the UI.
 */
export class OwnopsBackendCaller {
  private readonly client: OwnopsClient;

  constructor(
    private readonly deps: { auth: AuthService; discovery: DiscoveryService },
  ) {
    this.client = new OwnopsClient({ discoveryApi: deps.discovery });
  }

  async forUser(credentials: BackstageCredentials) {
    const { token } = await this.deps.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'ownops',
    });
    return { client: this.client, options: { token } };
  }
}

/**
 * `call` to the Ownops backend, with a 5xx answer or no answer at all turned
 * into a 503 that names the backend and `what` was asked, instead of a bare
 * 500 for the template step. Only the status is quoted: an error body may
 * echo what the request carried. The backend's 4xx answers (refusals, bad
 * input) pass through unchanged.
 */
export async function askOwnopsBackend<T>(
  what: string,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ResponseError && error.statusCode < 500) {
      throw error;
    }
    const answer =
      error instanceof ResponseError
        ? `answered ${error.statusCode} ${error.statusText}`
        : `did not answer (${(error as Error)?.message ?? String(error)})`;
    throw new ServiceUnavailableError(
      `Could not ${what}: the Ownops backend ${answer}. Check that its plugin runs (GET /api/ownops/health) and try again.`,
    );
  }
}
