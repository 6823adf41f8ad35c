import {
  nextShift,
  rotationProblems,
  RotationSpec,
  shiftAt,
} from './rotationShifts';

const weekly: RotationSpec = {
  members: ['user:default/alice', 'user:default/bob', 'user:default/carol'],
  startDate: '2026-03-23',
  handoffTime: '09:00',
  timeZone: 'Europe/Berlin',
  lengthDays: 7,
};

const iso = (date: Date) => date.toISOString();

describe('rotation shifts', () => {
  it('hands off weekly at 09:00 local time, through the spring DST change', () => {
    // 2026-03-23 09:00 CET is 08:00Z; Europe/Berlin moves to CEST on 2026-03-29.
    const first = shiftAt(weekly, new Date('2026-03-23T08:00:00Z'));
    expect(first.member).toBe('user:default/alice');
    expect(iso(first.start)).toBe('2026-03-23T08:00:00.000Z');
    expect(iso(first.end)).toBe('2026-03-30T07:00:00.000Z'); // 09:00 CEST
    // A minute before the hand-off, still Alice; at it, Bob.
    expect(shiftAt(weekly, new Date('2026-03-30T06:59:00Z')).member).toBe(
      'user:default/alice',
    );
    const second = shiftAt(weekly, new Date('2026-03-30T07:00:00Z'));
    expect(second.member).toBe('user:default/bob');
    expect(second.end.getTime() - second.start.getTime()).toBe(7 * 86_400_000);
  });

  it('keeps the local hand-off time through the autumn DST change', () => {
    // Europe/Berlin returns to CET on 2026-10-25.
    const shift = shiftAt(weekly, new Date('2026-10-24T12:00:00Z'));
    expect(iso(shift.start)).toBe('2026-10-19T07:00:00.000Z'); // 09:00 CEST
    expect(iso(shift.end)).toBe('2026-10-26T08:00:00.000Z'); // 09:00 CET
    expect(shift.end.getTime() - shift.start.getTime()).toBe(
      7 * 86_400_000 + 3_600_000,
    );
  });

  it('cycles through the members, and runs backwards before the start', () => {
    // 30 weeks after the start: turn 30, 30 mod 3 = 0.
    const later = shiftAt(weekly, new Date('2026-10-20T12:00:00Z'));
    expect(later.turn).toBe(30);
    expect(later.member).toBe('user:default/alice');
    expect(nextShift(weekly, new Date('2026-10-20T12:00:00Z')).member).toBe(
      'user:default/bob',
    );
    const before = shiftAt(weekly, new Date('2026-03-20T12:00:00Z'));
    expect(before.turn).toBe(-1);
    expect(before.member).toBe('user:default/carol');
    expect(iso(before.end)).toBe('2026-03-23T08:00:00.000Z');
  });

  it('works in time zones on either side of UTC and across the date line', () => {
    const daily = (timeZone: string): RotationSpec => ({
      members: ['a', 'b'],
      startDate: '2026-11-01',
      handoffTime: '00:00',
      timeZone,
      lengthDays: 1,
    });
    // New York leaves DST on 2026-11-01 at 02:00 local: that day has 25 hours.
    const ny = shiftAt(
      daily('America/New_York'),
      new Date('2026-11-01T12:00:00Z'),
    );
    expect(iso(ny.start)).toBe('2026-11-01T04:00:00.000Z');
    expect(iso(ny.end)).toBe('2026-11-02T05:00:00.000Z');
    const auckland = shiftAt(
      daily('Pacific/Auckland'),
      new Date('2026-11-01T12:00:00Z'),
    );
    // 2026-11-01T12:00Z is already 2 November in Auckland (UTC+13).
    expect(auckland.member).toBe('b');
    expect(iso(auckland.start)).toBe('2026-11-01T11:00:00.000Z');
  });

  it('moves a hand-off that falls in the spring-forward gap', () => {
    const spec: RotationSpec = {
      members: ['a', 'b'],
      startDate: '2026-03-28',
      handoffTime: '02:30',
      timeZone: 'Europe/Berlin',
      lengthDays: 1,
    };
    // 02:30 does not exist on 2026-03-29 in Berlin; the hand-off is 03:30 CEST.
    const shift = shiftAt(spec, new Date('2026-03-29T12:00:00Z'));
    expect(shift.member).toBe('b');
    expect(iso(shift.start)).toBe('2026-03-29T01:30:00.000Z');
  });

  it('names every problem of an invalid rotation', () => {
    const bad: RotationSpec = {
      members: [],
      startDate: '2026-02-30',
      handoffTime: '25:00',
      timeZone: 'Mars/Olympus',
      lengthDays: 0,
    };
    const problems = rotationProblems(bad);
    expect(problems).toEqual([
      'members must name at least one person',
      expect.stringContaining('startDate'),
      expect.stringContaining('handoffTime'),
      expect.stringContaining('timeZone'),
      expect.stringContaining('lengthDays'),
    ]);
    expect(() => shiftAt(bad, new Date())).toThrow(TypeError);
  });
});
