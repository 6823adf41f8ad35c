import { InputError, ServiceUnavailableError } from '@backstage/errors';
import { GithubRepoClient } from '../api/GithubRepoClient';
import { GithubCall } from '../api/explainGithubError';
import { RunLookupOptions, findDispatchedRun } from './findDispatchedRun';

export interface DispatchRequest {
  workflow: string;
  /** Branch or tag; the repository's default branch when absent. */
  ref?: string;
  inputs: Record<string, string>;
  signal: AbortSignal;
  lookup: RunLookupOptions;
  /** Progress for the deploy log. */
  log(message: string): void;
}

export interface DispatchedRun {
  runId: number;
  htmlUrl: string;
  ref: string;
}

interface DispatchRunDetails {
  workflow_run_id: number;
  run_url?: string;
  html_url?: string;
}

/**
 * Starts a `workflow_dispatch` run and returns which run it is. GitHub
 * returns the run with `return_run_details` (200); GitHub Enterprise Server
 * releases that predate it answer 204 or refuse the flag (422), and then the
 * run is looked up among the workflow's runs (see findDispatchedRun).
 *
 * The POST is not repeated after a 5xx or a timeout: GitHub may have started
 * the run anyway, and a second dispatch would deploy twice.
 */
export async function dispatchWorkflow(
  client: GithubRepoClient,
  request: DispatchRequest,
): Promise<DispatchedRun> {
  const ref = request.ref ?? (await defaultBranchOf(client, request.signal));
  const call: GithubCall = {
    action: `dispatch workflow ${request.workflow} on ${ref}`,
    permission: 'actions: write',
    notFound: `workflow ${request.workflow} was not found in ${client.slug} (or ref ${ref} does not exist)`,
    invalid: `check that ref ${ref} exists, that ${
      request.workflow
    } has a workflow_dispatch trigger on it, and that it declares the inputs ${Object.keys(
      request.inputs,
    ).join(' and ')}`,
    unanswered: `The workflow may have started anyway: look at ${client.webUrl(
      `/actions/workflows/${request.workflow}`,
    )} before deploying again`,
  };
  const path = `/actions/workflows/${encodeURIComponent(
    request.workflow,
  )}/dispatches`;
  const body = { ref, inputs: request.inputs };
  const startedAt = Date.now();
  let response: Response;
  try {
    response = await client.send(path, call, {
      method: 'POST',
      body: { ...body, return_run_details: true },
      signal: request.signal,
    });
  } catch (error) {
    if (
      !(error instanceof InputError && /return_run_details/.test(error.message))
    ) {
      throw error;
    }
    request.log(
      'This GitHub does not know return_run_details; dispatching without it',
    );
    response = await client.send(path, call, {
      method: 'POST',
      body,
      signal: request.signal,
    });
  }
  if (response.status === 200) {
    const details = (await response.json().catch(() => undefined)) as
      | DispatchRunDetails
      | undefined;
    if (typeof details?.workflow_run_id === 'number') {
      return {
        runId: details.workflow_run_id,
        htmlUrl:
          details.html_url ??
          client.webUrl(`/actions/runs/${details.workflow_run_id}`),
        ref,
      };
    }
  }
  request.log(
    `GitHub accepted the dispatch without naming the run; looking for it among the runs of ${request.workflow} on ${ref}`,
  );
  const run = await findDispatchedRun(client, {
    workflow: request.workflow,
    ref,
    dispatchedAt: serverTimeOf(response) ?? startedAt,
    signal: request.signal,
    options: request.lookup,
  });
  return { runId: run.id, htmlUrl: run.html_url, ref };
}

async function defaultBranchOf(
  client: GithubRepoClient,
  signal: AbortSignal,
): Promise<string> {
  const repository = await client.get<{ default_branch?: string }>(
    '',
    {
      action: 'read the repository',
      permission: 'metadata: read',
      notFound: `repository ${client.slug} was not found`,
    },
    { signal, shape: { default_branch: 'string?' } },
  );
  if (!repository.default_branch) {
    throw new ServiceUnavailableError(
      `GitHub did not say which branch is the default of ${client.slug}; set ref on the deploy target`,
    );
  }
  return repository.default_branch;
}

/** GitHub's own clock from the `Date` header, so a skewed local clock does not hide the run. */
function serverTimeOf(response: Response): number | undefined {
  const date = Date.parse(response.headers.get('date') ?? '');
  return Number.isNaN(date) ? undefined : date;
}
