import {
  Deployment,
  EnvironmentDeploymentStats,
} from '@ownops/backstage-plugin-common';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * DORA figures per environment from finished deployments (oldest first):
 * deployment frequency, change failure rate and mean time to restore
 * (from the first failure of a streak to the next success).
 */
export function computeDeploymentStats(
  environments: string[],
  finished: Deployment[],
  windowDays: number,
): EnvironmentDeploymentStats[] {
  return environments.map(environment => {
    const rows = finished.filter(d => d.environment === environment);
    let succeeded = 0;
    let failed = 0;
    let failingSince: number | undefined;
    const restoreTimes: number[] = [];
    for (const deployment of rows) {
      const finishedAt = Date.parse(deployment.finishedAt!);
      if (deployment.status === 'succeeded') {
        succeeded += 1;
        if (failingSince !== undefined) {
          restoreTimes.push(finishedAt - failingSince);
          failingSince = undefined;
        }
      } else if (deployment.status === 'failed') {
        failed += 1;
        failingSince ??= finishedAt;
      }
    }
    const total = succeeded + failed;
    return {
      environment,
      windowDays,
      deployments: total,
      succeeded,
      failed,
      deploymentFrequencyPerDay: succeeded / windowDays,
      changeFailureRate: total === 0 ? null : failed / total,
      meanTimeToRestoreMs:
        restoreTimes.length === 0
          ? null
          : restoreTimes.reduce((a, b) => a + b, 0) / restoreTimes.length,
    };
  });
}

export function windowStart(now: Date, windowDays: number): Date {
  return new Date(now.getTime() - windowDays * DAY_MS);
}
