import { setTimeout as sleep } from 'node:timers/promises';
import { NotFoundError } from '@backstage/errors';
import { GithubRepoClient } from '../api/GithubRepoClient';
import { optional } from '@ownops/backstage-plugin-node';

export interface RunLookupOptions {
  /** How many times to list the workflow's runs before giving up. */
  attempts: number;
  /** Wait between two listings. */
  intervalMs: number;
  /** Runs already matched to a dispatch by this backend. */
  claimed: ClaimedRuns;
}

export const DEFAULT_RUN_LOOKUP = { attempts: 8, intervalMs: 2_000 };

/** Runs created this long before the dispatch still count: the `Date` header has second precision. */
const CLOCK_SLACK_MS = 5_000;

/** The fields of a workflow run Ownops reads, checked on every answer. */
export const WORKFLOW_RUN_SHAPE = {
  id: 'number',
  run_number: 'number?',
  status: 'string?',
  conclusion: 'string?',
  html_url: 'string',
  created_at: 'string',
} as const;

export interface WorkflowRun {
  id: number;
  run_number?: number;
  status?: string | null;
  conclusion?: string | null;
  html_url: string;
  created_at: string;
  event?: string;
  head_branch?: string | null;
}

/**
 * Finds the run a 204 dispatch started: the newest `workflow_dispatch` run
 * of the workflow on the ref created since the dispatch, that this backend
 * has not already matched to another dispatch.
 *
 * This is a race GitHub's API leaves open: when someone else dispatches the
 * same workflow on the same ref within the same seconds (from the GitHub UI
 * or another Backstage), the other run may be taken. Runs matched here are
 * remembered, so two Ownops dispatches on one backend never share a run.
 * GitHub and GHES releases that return run details do not have this race.
 */
export async function findDispatchedRun(
  client: GithubRepoClient,
  request: {
    workflow: string;
    ref: string;
    dispatchedAt: number;
    signal: AbortSignal;
    options: RunLookupOptions;
  },
): Promise<WorkflowRun> {
  const { options, signal } = request;
  const since = request.dispatchedAt - CLOCK_SLACK_MS;
  const query = {
    event: 'workflow_dispatch',
    branch: request.ref.replace(/^refs\/(heads|tags)\//, ''),
    created: `>=${new Date(since).toISOString().replace(/\.\d{3}Z$/, 'Z')}`,
    per_page: '20',
  };
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    const { workflow_runs: runs = [] } = await client.get<{
      workflow_runs?: WorkflowRun[];
    }>(
      `/actions/workflows/${encodeURIComponent(request.workflow)}/runs`,
      {
        action: `list the runs of workflow ${request.workflow}`,
        permission: 'actions: read',
        notFound: `workflow ${request.workflow} was not found in ${client.slug}`,
      },
      {
        signal,
        query,
        shape: { workflow_runs: optional([WORKFLOW_RUN_SHAPE]) },
      },
    );
    const run = runs
      .filter(
        candidate =>
          Date.parse(candidate.created_at) >= since &&
          !options.claimed.has(candidate.id),
      )
      .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at))[0];
    if (run) {
      options.claimed.add(run.id);
      return run;
    }
    if (attempt < options.attempts) {
      await sleep(options.intervalMs, undefined, { signal });
    }
  }
  throw new NotFoundError(
    `GitHub accepted the dispatch of ${request.workflow} on ${
      request.ref
    } but no new run appeared within ${Math.round(
      (options.attempts * options.intervalMs) / 1000,
    )} s; the workflow may still run: look at ${client.webUrl(
      `/actions/workflows/${request.workflow}`,
    )} before deploying again`,
  );
}

/** The run ids most recently matched to a dispatch, bounded. */
export class ClaimedRuns {
  private readonly ids = new Set<number>();

  constructor(private readonly capacity = 500) {}

  has(id: number): boolean {
    return this.ids.has(id);
  }

  add(id: number): void {
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      this.ids.delete(this.ids.values().next().value!);
    }
  }
}
