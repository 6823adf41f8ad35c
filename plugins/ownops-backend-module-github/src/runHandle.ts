import { InputError } from '@backstage/errors';
import type { GithubRepo } from './api/GithubApi';
import { isGithubName } from './entityRepository';

/** A workflow run, everything needed to find it again: no secret. */
export interface RunReference extends GithubRepo {
  runId: number;
}

const HANDLE_PATTERN =
  /^https:\/\/([A-Za-z0-9.-]+(?::\d+)?)\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)\/actions\/runs\/(\d+)$/;

/**
 * The external handle of a deployment: the run's page,
 * `https://<host>/<owner>/<repo>/actions/runs/<id>`, readable by people and
 * enough for any replica to poll the run after a restart.
 */
export function encodeRunHandle(run: RunReference): string {
  return `https://${run.host}/${run.owner}/${run.repo}/actions/runs/${run.runId}`;
}

export function decodeRunHandle(handle: string): RunReference {
  const match = HANDLE_PATTERN.exec(handle.trim());
  if (!match || !isGithubName(match[2]) || !isGithubName(match[3])) {
    throw new InputError(
      `"${handle}" is not the handle of a GitHub Actions run (https://<host>/<owner>/<repo>/actions/runs/<id>)`,
    );
  }
  const [, host, owner, repo, runId] = match;
  return { host, owner, repo, runId: Number(runId) };
}
