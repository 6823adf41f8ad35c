import {
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { ProviderRequestError } from '@ownops/backstage-plugin-node';
import type { GithubRepo } from './GithubApi';

/** What a call to GitHub was for, so a failure can say what to check. */
export interface GithubCall {
  /** What was attempted, after "to": `dispatch workflow deploy.yml`. */
  action: string;
  /** The token permission the call needs: `actions: write`. */
  permission: string;
  /** What a 404 means here: `workflow deploy.yml was not found in o/r`. */
  notFound?: string;
  /** What to check when GitHub refuses the request as invalid (422). */
  invalid?: string;
  /** What to know when no answer or a 5xx came: the request may have taken effect. */
  unanswered?: string;
}

/**
 * Turns a failed call into an error that says what to do: permissions for
 * 401/403, the missing thing for 404, the refused input for 422. Rate limits,
 * 5xx answers and timeouts become a ServiceUnavailableError (worth trying
 * again later); the others will not get better by waiting.
 */
export function explainGithubError(
  error: unknown,
  call: GithubCall,
  repo: GithubRepo,
  signal?: AbortSignal,
): unknown {
  if (signal?.aborted || !(error instanceof ProviderRequestError)) {
    return error;
  }
  const slug = `${repo.owner}/${repo.repo}`;
  const said = error.providerMessage ? ` (${error.providerMessage})` : '';
  if (error.rateLimited) {
    return new ServiceUnavailableError(
      `GitHub rate limit reached while trying to ${call.action} in ${slug}: ${error.message}`,
    );
  }
  switch (error.status) {
    case 401:
      return new NotAllowedError(
        `GitHub rejected the credentials of integrations.github for ${repo.host} when trying to ${call.action} in ${slug}${said}; renew the token or check the GitHub App's key`,
      );
    case 403:
      return new NotAllowedError(
        `GitHub refused to ${call.action} in ${slug}${said}; the token (or GitHub App installation) needs ${call.permission} on ${slug}`,
      );
    case 404:
      return new NotFoundError(
        `${
          call.notFound ?? `GitHub found nothing to ${call.action} in ${slug}`
        }; if it exists, the token cannot see it and needs ${
          call.permission
        } on ${slug}`,
      );
    case 422:
      return new InputError(
        `GitHub refused to ${call.action} in ${slug}${said}${
          call.invalid ? `; ${call.invalid}` : ''
        }`,
      );
    default:
      return new ServiceUnavailableError(
        `Could not ${call.action} in ${slug}: ${error.message}${
          call.unanswered ? `. ${call.unanswered}` : ''
        }`,
      );
  }
}
