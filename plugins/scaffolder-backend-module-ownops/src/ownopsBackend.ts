import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
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
