import { ServiceUnavailableError } from '@backstage/errors';
import {
  ProviderHttpClient,
  ResponseShape,
  shapeProblem,
} from '@ownops/backstage-plugin-node';
import type { GithubRepo } from './GithubApi';
import { GithubCall, explainGithubError } from './explainGithubError';

/** Pages followed at most, whatever the `Link` header says. */
const MAX_PAGES = 10;

/**
 * Calls the REST API of one repository: GitHub's headers, the token, errors
 * that say what to check, and `Link` header paging that stays on the API host.
 */
export class GithubRepoClient {
  readonly repo: GithubRepo;
  private readonly client: ProviderHttpClient;
  private readonly apiBaseUrl: string;
  private readonly headers: Record<string, string>;

  constructor(options: {
    client: ProviderHttpClient;
    repo: GithubRepo;
    apiBaseUrl: string;
    token: string;
  }) {
    this.client = options.client;
    this.repo = options.repo;
    this.apiBaseUrl = options.apiBaseUrl;
    this.headers = {
      authorization: `Bearer ${options.token}`,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
    };
  }

  /** `owner/repo`, for messages. */
  get slug(): string {
    return `${this.repo.owner}/${this.repo.repo}`;
  }

  /** A URL in the repository's web UI on its host. */
  webUrl(path: string): string {
    return `https://${this.repo.host}/${this.slug}${path}`;
  }

  /**
   * GETs `/repos/{owner}/{repo}<path>` and parses the JSON answer, checking
   * it has the `shape` when one is given.
   */
  async get<T>(
    path: string,
    call: GithubCall,
    options: {
      signal: AbortSignal;
      query?: Record<string, string>;
      shape?: ResponseShape;
    },
  ): Promise<T> {
    const response = await this.send(path, call, options);
    const body = await this.parse<T>(response, call);
    const problem = options.shape && shapeProblem(body, options.shape);
    if (problem) {
      // Like a page that is not JSON: something between Ownops and GitHub
      // answered, or GitHub changed; a later attempt may read it.
      throw new ServiceUnavailableError(
        this.client.redact(
          `GitHub answered ${call.action} in ${this.slug} with a body Ownops does not understand: ${problem}`,
        ),
      );
    }
    return body;
  }

  /** Sends a request to `/repos/{owner}/{repo}<path>` and returns the successful answer. */
  async send(
    path: string,
    call: GithubCall,
    options: {
      signal: AbortSignal;
      method?: string;
      body?: unknown;
      query?: Record<string, string>;
    },
  ): Promise<Response> {
    return this.fetch(this.urlOf(path, options.query), call, options);
  }

  /** Every item of a paged list, following `Link: rel="next"`, up to `max` items. */
  async paginate<T>(
    path: string,
    call: GithubCall,
    options: {
      signal: AbortSignal;
      max: number;
      query?: Record<string, string>;
    },
  ): Promise<T[]> {
    const items: T[] = [];
    let url: string | undefined = this.urlOf(path, {
      ...options.query,
      per_page: String(Math.min(100, options.max)),
    });
    for (let page = 0; url && page < MAX_PAGES; page++) {
      const response = await this.fetch(url, call, options);
      const batch = await this.parse<T[]>(response, call);
      if (!Array.isArray(batch)) {
        throw new ServiceUnavailableError(
          `GitHub answered ${call.action} in ${this.slug} with something other than a list`,
        );
      }
      items.push(...batch);
      if (items.length >= options.max) {
        return items.slice(0, options.max);
      }
      url = this.nextPageOf(response);
    }
    return items;
  }

  private async fetch(
    url: string,
    call: GithubCall,
    options: { signal: AbortSignal; method?: string; body?: unknown },
  ): Promise<Response> {
    const hasBody = options.body !== undefined;
    try {
      return await this.client.request(url, {
        method: options.method ?? 'GET',
        signal: options.signal,
        headers: hasBody
          ? { ...this.headers, 'content-type': 'application/json' }
          : this.headers,
        body: hasBody ? JSON.stringify(options.body) : undefined,
      });
    } catch (error) {
      throw explainGithubError(error, call, this.repo, options.signal);
    }
  }

  private async parse<T>(response: Response, call: GithubCall): Promise<T> {
    const text = await response.text();
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ServiceUnavailableError(
        `GitHub answered ${call.action} in ${
          this.slug
        } with a body that is not JSON: ${JSON.stringify(
          this.client.redact(text.slice(0, 120)),
        )}`,
      );
    }
  }

  private urlOf(path: string, query?: Record<string, string>): string {
    const url = new URL(
      `${this.apiBaseUrl}/repos/${encodeURIComponent(
        this.repo.owner,
      )}/${encodeURIComponent(this.repo.repo)}${path}`,
    );
    for (const [key, value] of Object.entries(query ?? {})) {
      url.searchParams.set(key, value);
    }
    return url.toString();
  }

  /** The next page's URL, only when it is on the API's own origin. */
  private nextPageOf(response: Response): string | undefined {
    const link = response.headers.get('link');
    const next = link
      ?.split(',')
      .map(part => /<([^>]+)>\s*;\s*rel="?next"?/.exec(part.trim()))
      .find(Boolean)?.[1];
    if (!next) {
      return undefined;
    }
    try {
      const url = new URL(next);
      return url.origin === new URL(this.apiBaseUrl).origin
        ? url.toString()
        : undefined;
    } catch {
      return undefined;
    }
  }
}
