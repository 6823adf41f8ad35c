import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  CatalogPeople,
  OnCallProvider,
  OnCallReport,
  OnCallShift,
  TtlCache,
} from '@ownops/backstage-plugin-node';
import { OpsgenieApi, OpsgenieSchedule } from './OpsgenieApi';
import {
  periodAt,
  periodStartingAt,
  UserPeriod,
  userPeriodsOf,
} from './shiftsFromTimeline';

/**
 * The Opsgenie team whose schedule is on call for the entity.
 *
 * @public
 */
export const ANNOTATION_OPSGENIE_TEAM = 'opsgenie.com/team';

/**
 * An Opsgenie schedule (name or id) that is on call for the entity; wins
 * over `opsgenie.com/team`.
 *
 * @public
 */
export const ANNOTATION_OPSGENIE_SCHEDULE = 'ownops.io/opsgenie-schedule';

const SCHEDULES_CACHE_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

/**
 * Who is on call for an entity with `opsgenie.com/team` (the team's enabled
 * schedule) or `ownops.io/opsgenie-schedule`: the schedule's on-call users
 * now, when their turn started and ends, and who takes over, from the
 * schedule's final timeline.
 */
export class OpsgenieOnCallProvider implements OnCallProvider {
  readonly id = 'opsgenie';
  private readonly schedules = new TtlCache<OpsgenieSchedule[]>(
    SCHEDULES_CACHE_MS,
  );

  constructor(
    private readonly options: { api: OpsgenieApi; people: CatalogPeople },
  ) {}

  appliesTo(entity: Entity): boolean {
    return (
      !!annotation(entity, ANNOTATION_OPSGENIE_SCHEDULE) ||
      !!annotation(entity, ANNOTATION_OPSGENIE_TEAM)
    );
  }

  async getOnCall(
    entity: Entity,
    { at, signal }: { at: Date; signal?: AbortSignal },
  ): Promise<OnCallReport> {
    const { api } = this.options;
    const schedule = await this.scheduleOf(entity, signal);
    const t = at.getTime();
    const [onCalls, timeline] = await Promise.all([
      api.getOnCalls(schedule, at, signal),
      // From a week back, so turns that began before `at` keep their start.
      api.getTimeline(schedule, new Date(t - 7 * DAY_MS), 3, signal),
    ]);
    const periods = userPeriodsOf(timeline);
    const usernames = recipientsOf(onCalls.onCallRecipients);
    const current = usernames.map(username => ({
      username,
      period: periodAt(periods, username, t),
    }));
    const handoff = Math.min(...current.map(c => c.period?.end ?? Infinity));
    const next = Number.isFinite(handoff)
      ? periodStartingAt(periods, handoff)
      : undefined;

    const people = await this.options.people.resolve(
      [...usernames, ...(next ? [next.username] : [])].map(email => ({
        name: email,
        email,
      })),
    );
    // Someone on call without a user period (a team or escalation in the
    // rotation) is on call from `at`, until unknown.
    const now = current
      .map(({ username, period }, i) =>
        shiftOf(period ?? { username, start: t, order: 0 }, people[i]),
      )
      // The soonest hand-off first: its end is when the next person takes over.
      .sort((a, b) => endMs(a) - endMs(b) || 0);
    return {
      now,
      ...(next ? { next: shiftOf(next, people[usernames.length]) } : {}),
    };
  }

  private async scheduleOf(
    entity: Entity,
    signal?: AbortSignal,
  ): Promise<OpsgenieSchedule> {
    const entityRef = stringifyEntityRef(entity);
    const named = annotation(entity, ANNOTATION_OPSGENIE_SCHEDULE);
    const team = annotation(entity, ANNOTATION_OPSGENIE_TEAM);
    if (!named && !team) {
      throw new InputError(
        `${entityRef} has no ${ANNOTATION_OPSGENIE_TEAM} or ${ANNOTATION_OPSGENIE_SCHEDULE} annotation; add the name of its Opsgenie team`,
      );
    }
    const schedules = await this.listSchedules(signal);
    if (named) {
      const schedule = schedules.find(
        s => s.id === named || sameName(s.name, named),
      );
      if (!schedule) {
        throw new NotFoundError(
          `Opsgenie has no schedule "${named}" (${ANNOTATION_OPSGENIE_SCHEDULE} on ${entityRef}); give the name or id of a schedule the API key can read`,
        );
      }
      return schedule;
    }
    const owned = schedules
      .filter(s => s.enabled !== false && sameName(s.ownerTeam?.name, team!))
      .sort((a, b) => a.name.localeCompare(b.name, 'en'));
    if (owned.length === 0) {
      throw new NotFoundError(
        `Opsgenie team "${team}" (${ANNOTATION_OPSGENIE_TEAM} on ${entityRef}) owns no enabled schedule; check the team name, or name the schedule with ${ANNOTATION_OPSGENIE_SCHEDULE}`,
      );
    }
    // Several: the first by name; ownops.io/opsgenie-schedule picks another.
    return owned[0];
  }

  private async listSchedules(signal?: AbortSignal) {
    const cached = this.schedules.get('all');
    if (cached) return cached;
    const schedules = await this.options.api.listSchedules(signal);
    this.schedules.set('all', schedules);
    return schedules;
  }
}

function shiftOf(
  period: UserPeriod,
  person: OnCallShift['person'],
): OnCallShift {
  return {
    person,
    start: new Date(period.start).toISOString(),
    ...(period.end !== undefined
      ? { end: new Date(period.end).toISOString() }
      : {}),
    escalationLevel: 1,
  };
}

/** When the shift ends; open-ended shifts last. */
function endMs(shift: OnCallShift): number {
  return shift.end ? Date.parse(shift.end) : Number.POSITIVE_INFINITY;
}

function annotation(entity: Entity, key: string): string | undefined {
  return entity.metadata.annotations?.[key]?.trim() || undefined;
}

function sameName(a: string | undefined, b: string): boolean {
  return (
    a !== undefined &&
    a.toLocaleLowerCase('en-US') === b.toLocaleLowerCase('en-US')
  );
}

/** Each on-call user once, lower-cased, in Opsgenie's order. */
function recipientsOf(recipients: string[] | undefined): string[] {
  return [
    ...new Set(
      (recipients ?? [])
        .filter(r => typeof r === 'string' && r.trim())
        .map(r => r.trim().toLocaleLowerCase('en-US')),
    ),
  ];
}
