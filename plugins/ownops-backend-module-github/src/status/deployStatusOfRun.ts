import { DeployStatus } from '@ownops/backstage-plugin-node';
import type { WorkflowRun } from '../dispatch/findDispatchedRun';

/**
 * What a workflow run means for the deployment. Only `success` succeeds;
 * every other conclusion (failure, cancelled, timed_out, action_required,
 * startup_failure, stale, and also neutral and skipped, where nothing says
 * the deploy happened) fails it with the conclusion and the run's page.
 */
export function deployStatusOfRun(run: WorkflowRun): DeployStatus {
  const name = `Workflow run #${run.run_number ?? run.id}`;
  if (run.status !== 'completed') {
    const status = run.status ?? 'queued';
    return {
      state: 'running',
      message:
        status === 'waiting'
          ? `${name} waiting: a protected environment needs a reviewer's approval at ${run.html_url}`
          : `${name} ${status}`,
    };
  }
  if (run.conclusion === 'success') {
    return { state: 'succeeded' };
  }
  return {
    state: 'failed',
    reason: `${name} concluded ${run.conclusion ?? 'without a conclusion'}: ${
      run.html_url
    }`,
  };
}
