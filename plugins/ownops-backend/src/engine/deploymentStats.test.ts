import { Deployment } from '@ownops/backstage-plugin-common';
import { computeDeploymentStats } from './deploymentStats';

function finished(
  environment: string,
  status: 'succeeded' | 'failed',
  finishedAt: string,
): Deployment {
  return {
    id: 1,
    entityRef: 'component:default/a',
    environment,
    version: '1',
    kind: 'deploy',
    status,
    targetId: 't',
    requestedBy: 'user:default/a',
    cancelRequested: false,
    createdAt: finishedAt,
    finishedAt,
  };
}

describe('computeDeploymentStats', () => {
  it('computes frequency, change failure rate and time to restore per environment', () => {
    const stats = computeDeploymentStats(
      ['staging', 'production'],
      [
        finished('staging', 'succeeded', '2026-11-01T10:00:00Z'),
        finished('staging', 'failed', '2026-11-02T10:00:00Z'),
        finished('staging', 'failed', '2026-11-02T11:00:00Z'),
        finished('staging', 'succeeded', '2026-11-02T12:00:00Z'),
        finished('staging', 'failed', '2026-11-03T10:00:00Z'),
        finished('staging', 'succeeded', '2026-11-03T10:30:00Z'),
      ],
      10,
    );
    expect(stats[0]).toEqual({
      environment: 'staging',
      windowDays: 10,
      deployments: 6,
      succeeded: 3,
      failed: 3,
      deploymentFrequencyPerDay: 0.3,
      changeFailureRate: 0.5,
      // (2h from the first failure of the streak + 30 min) / 2
      meanTimeToRestoreMs: ((2 * 60 + 30) * 60_000) / 2,
    });
    expect(stats[1]).toEqual({
      environment: 'production',
      windowDays: 10,
      deployments: 0,
      succeeded: 0,
      failed: 0,
      deploymentFrequencyPerDay: 0,
      changeFailureRate: null,
      meanTimeToRestoreMs: null,
    });
  });

  it('does not count an unrestored failure as restored', () => {
    const [stats] = computeDeploymentStats(
      ['staging'],
      [finished('staging', 'failed', '2026-11-02T10:00:00Z')],
      7,
    );
    expect(stats.meanTimeToRestoreMs).toBeNull();
    expect(stats.changeFailureRate).toBe(1);
  });
});
