import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  ANNOTATION_ONCALL_ROTATION,
  ANNOTATION_ONCALL_START,
  OnCallOverride,
} from '@ownops/backstage-plugin-common';
import {
  OnCallProvider,
  OnCallReport,
  OnCallShift,
  personOfCatalogUser,
} from '@ownops/backstage-plugin-node';
import { OnCallOverrideStore } from '../../database/OnCallOverrideStore';
import { ReusedReads } from '../../lib/ReusedReads';
import { RotationDefaults } from '../config';
import { GroupMembers } from '../GroupMembers';
import { rotationProblems, RotationSpec, shiftAt } from './rotationShifts';

const DAY_MS = 86_400_000;
/**
 * Default reuse of a group and its members, in milliseconds: a minute, well
 * below the time the catalog takes to pick up a changed group.
 */
export const DEFAULT_TEAM_TTL_MS = 60_000;
const MAX_CACHED_TEAMS = 5_000;
const ROTATION_FORMAT = /^(\d{1,3})d(?:\s+(\S+)(?:\s+(\S+))?)?$/;

/**
 * Thrown by the rotation provider when the entity's group has no members:
 * the rotation does not apply after all.
 */
export class NoRotationError extends Error {
  name = 'NoRotationError';
}

/**
 * The group whose members take turns for the entity: a group itself, or
 * the group that owns a component (`spec.owner`). Undefined otherwise.
 */
export function rotationGroupRef(entity: Entity): string | undefined {
  const kind = entity.kind.toLocaleLowerCase('en-US');
  if (kind === 'group') {
    return stringifyEntityRef(entity).toLocaleLowerCase('en-US');
  }
  if (kind !== 'component') return undefined;
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  if (typeof owner !== 'string' || !owner) return undefined;
  try {
    const ref = parseEntityRef(owner, {
      defaultKind: 'group',
      defaultNamespace: entity.metadata.namespace ?? 'default',
    });
    return ref.kind.toLocaleLowerCase('en-US') === 'group'
      ? stringifyEntityRef(ref).toLocaleLowerCase('en-US')
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The rotation settings of a group: the configured defaults, overridden by
 * its `ownops.io/oncall-rotation` (`<n>d [HH:mm [zone]]`) and
 * `ownops.io/oncall-start` (`YYYY-MM-DD`) annotations. Throws an
 * `InputError` naming the annotation when one is invalid.
 */
export function rotationSettingsOf(
  group: Entity,
  defaults: RotationDefaults,
): RotationDefaults {
  const settings = { ...defaults };
  const annotations = group.metadata.annotations ?? {};
  const groupRef = stringifyEntityRef(group);
  const rotation = annotations[ANNOTATION_ONCALL_ROTATION];
  if (rotation !== undefined) {
    const match = ROTATION_FORMAT.exec(rotation.trim());
    if (!match) {
      throw new InputError(
        `Invalid ${ANNOTATION_ONCALL_ROTATION} annotation on ${groupRef}: "${rotation}" is not "<days>d [HH:mm [time zone]]", for example "7d 09:00 Europe/Berlin"`,
      );
    }
    settings.lengthDays = Number(match[1]);
    if (match[2]) settings.handoffTime = match[2];
    if (match[3]) settings.timeZone = match[3];
    const problems = rotationProblems({ ...settings, members: ['x'] });
    if (problems.length > 0) {
      throw new InputError(
        `Invalid ${ANNOTATION_ONCALL_ROTATION} annotation on ${groupRef}: ${problems.join(
          '; ',
        )}`,
      );
    }
  }
  const start = annotations[ANNOTATION_ONCALL_START];
  if (start !== undefined) {
    settings.startDate = start.trim();
    const problems = rotationProblems({ ...settings, members: ['x'] });
    if (problems.length > 0) {
      throw new InputError(
        `Invalid ${ANNOTATION_ONCALL_START} annotation on ${groupRef}: ${problems.join(
          '; ',
        )}`,
      );
    }
  }
  return settings;
}

interface Segment {
  userRef: string;
  start: number;
  end: number;
}

/**
 * Who is on call at `t`: an override covering `t`, or the rotation's
 * member, cut short by the overrides before and after it.
 */
export function segmentAt(
  spec: RotationSpec,
  overrides: Array<Pick<OnCallOverride, 'userRef' | 'start' | 'end'>>,
  t: number,
): Segment {
  const spans = overrides.map(o => ({
    userRef: o.userRef,
    start: Date.parse(o.start),
    end: Date.parse(o.end),
  }));
  const covering = spans.find(o => o.start <= t && t < o.end);
  if (covering) return covering;
  const shift = shiftAt(spec, new Date(t));
  let start = shift.start.getTime();
  let end = shift.end.getTime();
  for (const o of spans) {
    if (o.end <= t && o.end > start) start = o.end;
    if (o.start > t && o.start < end) end = o.start;
  }
  return { userRef: shift.member, start, end };
}

/**
 * The built-in `rotation` on-call provider: the owning group's members take
 * turns (see `rotationShifts`); stored overrides replace the rotation's
 * person for their span.
 */
export class RotationOnCallProvider implements OnCallProvider {
  readonly id = 'rotation';
  private readonly teams?: ReusedReads<string, Team>;

  constructor(
    private readonly options: {
      members: GroupMembers;
      overrides: OnCallOverrideStore;
      defaults: RotationDefaults;
      /**
       * How long a group and its members, read from the catalog with the
       * plugin's own credentials, are reused (default
       * {@link DEFAULT_TEAM_TTL_MS}; 0 reads them on every call). Each
       * summary and on-call read needs them; without reuse that is a
       * catalog request per read.
       */
      teamTtlMs?: number;
      now?: () => number;
    },
  ) {
    const ttlMs = options.teamTtlMs ?? DEFAULT_TEAM_TTL_MS;
    if (ttlMs > 0) {
      this.teams = new ReusedReads({
        ttlMs,
        maxEntries: MAX_CACHED_TEAMS,
        now: options.now,
      });
    }
  }

  appliesTo(entity: Entity): boolean {
    return rotationGroupRef(entity) !== undefined;
  }

  async getOnCall(
    entity: Entity,
    { at, signal }: { at: Date; signal?: AbortSignal },
  ): Promise<OnCallReport> {
    const groupRef = rotationGroupRef(entity);
    if (!groupRef)
      throw new NoRotationError(`No group for ${stringifyEntityRef(entity)}`);
    const { overrides, defaults } = this.options;
    const { group, users } = await this.teamOf(groupRef, entity);
    signal?.throwIfAborted();
    if (!group || users.length === 0) {
      throw new NoRotationError(`${groupRef} has no members in the catalog`);
    }
    const settings = rotationSettingsOf(group, defaults);
    const people = new Map(
      users.map(user => {
        const person = personOfCatalogUser(user);
        return [person.userEntityRef, person];
      }),
    );
    const spec: RotationSpec = { ...settings, members: [...people.keys()] };
    const t = at.getTime();
    const window = await overrides.list(
      groupRef,
      new Date(t - 32 * DAY_MS),
      new Date(t + (2 * settings.lengthDays + 33) * DAY_MS),
    );
    signal?.throwIfAborted();
    const current = segmentAt(spec, window, t);
    const next = segmentAt(spec, window, current.end);
    const shiftOf = (segment: Segment): OnCallShift => ({
      person: people.get(segment.userRef) ?? {
        userEntityRef: segment.userRef,
        name: parseEntityRef(segment.userRef).name,
      },
      start: new Date(segment.start).toISOString(),
      end: new Date(segment.end).toISOString(),
      escalationLevel: 1,
    });
    return { now: [shiftOf(current)], next: shiftOf(next) };
  }

  /** The group (the entity itself when it is one) and its members. */
  private teamOf(groupRef: string, entity: Entity): Promise<Team> {
    const { members } = this.options;
    const isGroup = entity.kind.toLocaleLowerCase('en-US') === 'group';
    const load = async (): Promise<Team> =>
      isGroup
        ? { group: entity, users: await members.membersOf(entity) }
        : members.teamOf(groupRef);
    if (!this.teams) return load();
    const team = this.teams.get(groupRef, load);
    // A group entity given by the caller is the newer one.
    return isGroup ? team.then(read => ({ ...read, group: entity })) : team;
  }
}

interface Team {
  group: Entity | undefined;
  users: Entity[];
}
