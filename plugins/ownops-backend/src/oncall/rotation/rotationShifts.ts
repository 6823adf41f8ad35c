import { DateTime } from 'luxon';

/**
 * A rotation: members take turns of `lengthDays` calendar days, handing off
 * at `handoffTime` local time in `timeZone`, starting with the first member
 * at the hand-off on `startDate`.
 */
export interface RotationSpec {
  /** In turn order, e.g. user entity refs. */
  members: string[];
  /** The first hand-off's local date, `YYYY-MM-DD`. */
  startDate: string;
  /** Local hand-off time, `HH:mm` (24 h). */
  handoffTime: string;
  /** IANA time zone, e.g. `Europe/Berlin`. */
  timeZone: string;
  /** Whole days per turn, at least 1. */
  lengthDays: number;
}

/** One member's turn. */
export interface RotationShift {
  member: string;
  /** Position of the turn since `startDate` (0 is the first). */
  turn: number;
  start: Date;
  end: Date;
}

/**
 * Why a rotation cannot be computed, naming the field; empty when it can.
 */
export function rotationProblems(spec: RotationSpec): string[] {
  const problems: string[] = [];
  if (spec.members.length === 0) {
    problems.push('members must name at least one person');
  }
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(spec.startDate) ||
    !handoffAt(spec, 0).isValid
  ) {
    problems.push(
      `startDate must be a date as YYYY-MM-DD, got "${spec.startDate}"`,
    );
  }
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(spec.handoffTime)) {
    problems.push(
      `handoffTime must be a 24-hour time as HH:mm, got "${spec.handoffTime}"`,
    );
  }
  if (!DateTime.local().setZone(spec.timeZone).isValid) {
    problems.push(
      `timeZone must be an IANA time zone such as Europe/Berlin, got "${spec.timeZone}"`,
    );
  }
  if (
    !Number.isInteger(spec.lengthDays) ||
    spec.lengthDays < 1 ||
    spec.lengthDays > 366
  ) {
    problems.push(
      `lengthDays must be a whole number of days from 1 to 366, got ${spec.lengthDays}`,
    );
  }
  return problems;
}

/**
 * The local hand-off that starts turn `turn`: `startDate` plus
 * `turn × lengthDays` calendar days, at `handoffTime` in the time zone. A
 * calendar day is 23 or 25 hours across a DST change, so hand-offs stay at
 * the same wall-clock time. A hand-off time that does not exist on a
 * spring-forward day moves forward by the gap, as luxon does.
 */
function handoffAt(spec: RotationSpec, turn: number): DateTime {
  return DateTime.fromISO(`${spec.startDate}T${spec.handoffTime}`, {
    zone: spec.timeZone,
  }).plus({ days: turn * spec.lengthDays });
}

function shiftOf(spec: RotationSpec, turn: number): RotationShift {
  const count = spec.members.length;
  return {
    member: spec.members[((turn % count) + count) % count],
    turn,
    start: handoffAt(spec, turn).toJSDate(),
    end: handoffAt(spec, turn + 1).toJSDate(),
  };
}

/**
 * The turn that covers `at`. Before `startDate` the rotation runs backwards
 * as if it had always been in place, so every instant has someone on call.
 * Throws a `TypeError` naming the problems when the spec is invalid.
 */
export function shiftAt(spec: RotationSpec, at: Date): RotationShift {
  const problems = rotationProblems(spec);
  if (problems.length > 0) {
    throw new TypeError(`Invalid rotation: ${problems.join('; ')}`);
  }
  const first = handoffAt(spec, 0).toMillis();
  const turnMs = spec.lengthDays * 86_400_000;
  let turn = Math.floor((at.getTime() - first) / turnMs);
  // DST makes turns an hour longer or shorter: step to the covering turn.
  while (handoffAt(spec, turn).toMillis() > at.getTime()) turn -= 1;
  while (handoffAt(spec, turn + 1).toMillis() <= at.getTime()) turn += 1;
  return shiftOf(spec, turn);
}

/** The turn after the one covering `at`. */
export function nextShift(spec: RotationSpec, at: Date): RotationShift {
  return shiftOf(spec, shiftAt(spec, at).turn + 1);
}
