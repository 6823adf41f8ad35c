import { Deployment, IsoDay } from '@ownops/backstage-plugin-common';

/** The succeeded deploys and rollbacks of one day, for a chart marker. */
export interface DeployMarker {
  day: IsoDay;
  /** e.g. `1.2.0` or `1.2.0, rollback to 1.1.0`. */
  label: string;
  deployments: Deployment[];
}

function describe(deployment: Deployment): string {
  return deployment.kind === 'rollback'
    ? `rollback to ${deployment.version}`
    : deployment.version;
}

/**
 * One marker per day with succeeded deployments or rollbacks in
 * `[from, to)`, of `environment` when one is chosen, oldest day first.
 */
export function deployMarkers(
  deployments: Deployment[],
  range: { from: IsoDay; to: IsoDay },
  environment?: string,
): DeployMarker[] {
  const byDay = new Map<IsoDay, Deployment[]>();
  for (const deployment of deployments) {
    if (deployment.status !== 'succeeded') continue;
    if (environment && deployment.environment !== environment) continue;
    const day = (deployment.finishedAt ?? deployment.createdAt).slice(0, 10);
    if (day < range.from || day >= range.to) continue;
    byDay.set(day, [...(byDay.get(day) ?? []), deployment]);
  }
  return [...byDay.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, list]) => {
      const ordered = list
        .slice()
        .sort((a, b) =>
          (a.finishedAt ?? a.createdAt).localeCompare(
            b.finishedAt ?? b.createdAt,
          ),
        );
      return {
        day,
        label: [...new Set(ordered.map(describe))].join(', '),
        deployments: ordered,
      };
    });
}
