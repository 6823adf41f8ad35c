import { LoggerService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import {
  ProviderHttpClient,
  ProviderHttpClientOptions,
} from '@ownops/backstage-plugin-node';
import { GithubRepoClient } from './GithubRepoClient';

/** A repository on a GitHub host. */
export interface GithubRepo {
  host: string;
  owner: string;
  repo: string;
}

/** Options of ProviderHttpClient that callers may tune (tests shorten backoffs). */
export type GithubHttpOptions = Pick<
  ProviderHttpClientOptions,
  'maxRetries' | 'retryBaseDelayMs' | 'maxRetryDelayMs' | 'fetch'
>;

export interface GithubApiOptions {
  integrations: ScmIntegrationRegistry;
  credentialsProvider: GithubCredentialsProvider;
  logger: LoggerService;
  http?: GithubHttpOptions;
}

/**
 * Opens clients for repositories on the hosts of `integrations.github`, with
 * that integration's token or GitHub App installation token.
 */
export class GithubApi {
  constructor(private readonly options: GithubApiOptions) {}

  async connect(
    repo: GithubRepo,
    settings: { timeoutMs: number },
  ): Promise<GithubRepoClient> {
    const integration = this.options.integrations.github.byHost(repo.host);
    if (!integration) {
      throw new NotAllowedError(
        `There is no integrations.github entry for ${repo.host}; add one with a token or a GitHub App`,
      );
    }
    const token = await this.tokenFor(repo);
    const client = new ProviderHttpClient({
      provider: 'GitHub',
      timeoutMs: settings.timeoutMs,
      secrets: [token],
      logger: this.options.logger,
      ...this.options.http,
    });
    return new GithubRepoClient({
      client,
      repo,
      apiBaseUrl: apiBaseUrlOf(repo.host, integration.config.apiBaseUrl),
      token,
    });
  }

  private async tokenFor(repo: GithubRepo): Promise<string> {
    const url = `https://${repo.host}/${repo.owner}/${repo.repo}`;
    let token: string | undefined;
    try {
      token = (await this.options.credentialsProvider.getCredentials({ url }))
        .token;
    } catch (error) {
      throw new NotAllowedError(
        `Could not get GitHub credentials for ${url} from integrations.github: ${
          (error as Error).message
        }. With a GitHub App, install it on ${repo.owner}`,
      );
    }
    if (!token) {
      throw new NotAllowedError(
        `integrations.github gives no credentials for ${url}; add a token or a GitHub App installed on ${repo.owner}`,
      );
    }
    return token;
  }
}

/** The REST API root of a host: the configured one, else github.com's or GHES's `/api/v3`. */
export function apiBaseUrlOf(host: string, configured?: string): string {
  if (configured) {
    return configured.replace(/\/+$/, '');
  }
  return host === 'github.com'
    ? 'https://api.github.com'
    : `https://${host}/api/v3`;
}
