import { OpsgenieTimeline, OpsgenieTimelinePeriod } from './OpsgenieApi';

/** A user's period in the schedule's final timeline, in epoch ms. */
export interface UserPeriod {
  /** The Opsgenie username: the user's email. */
  username: string;
  start: number;
  /** Undefined when the period runs past the end of the timeline read. */
  end?: number;
  order: number;
}

/**
 * The user periods of the final timeline (overrides and forwarding
 * applied), in rotation order. A period cut off by the end of the timeline
 * that was read has no known end.
 */
export function userPeriodsOf(timeline: OpsgenieTimeline): UserPeriod[] {
  const windowEnd = timeline.endDate ? Date.parse(timeline.endDate) : NaN;
  const periods: UserPeriod[] = [];
  for (const [index, rotation] of (
    timeline.finalTimeline?.rotations ?? []
  ).entries()) {
    for (const period of rotation.periods ?? []) {
      const username = usernameOf(period);
      const start = Date.parse(period.startDate);
      const end = Date.parse(period.endDate);
      if (!username || Number.isNaN(start) || Number.isNaN(end)) continue;
      periods.push({
        username,
        start,
        end: end >= windowEnd ? undefined : end,
        order: rotation.order ?? index,
      });
    }
  }
  return periods.sort((a, b) => a.order - b.order || a.start - b.start);
}

/** The user's period that covers `t`, if any. */
export function periodAt(
  periods: UserPeriod[],
  username: string,
  t: number,
): UserPeriod | undefined {
  const name = username.toLocaleLowerCase('en-US');
  return periods.find(
    p =>
      p.username === name && p.start <= t && (p.end === undefined || t < p.end),
  );
}

/** The first period that starts exactly at `t`: who takes over then. */
export function periodStartingAt(
  periods: UserPeriod[],
  t: number,
): UserPeriod | undefined {
  return periods.find(p => p.start === t);
}

function usernameOf(period: OpsgenieTimelinePeriod): string | undefined {
  const recipient = period.recipient;
  if (recipient?.type !== 'user' || !recipient.name) return undefined;
  return recipient.name.toLocaleLowerCase('en-US');
}
