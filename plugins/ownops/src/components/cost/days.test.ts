import {
  addDays,
  daysInMonth,
  describeRange,
  eachDay,
  isIsoDay,
  matchPreset,
  nextMonthStart,
  presetRange,
} from './days';

describe('cost day helpers', () => {
  const now = new Date('2026-03-15T23:30:00Z');

  it('does UTC day arithmetic with end-exclusive ranges', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(eachDay('2026-02-27', '2026-03-02')).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
    ]);
    expect(daysInMonth('2028-02')).toBe(29);
    expect(nextMonthStart('2026-12')).toBe('2027-01-01');
    expect(describeRange('2026-11-01', '2026-12-01')).toBe(
      '1 Nov 2026 – 30 Nov 2026 (30 days)',
    );
    expect(isIsoDay('2026-02-30')).toBe(false);
    expect(isIsoDay('2026-02-28')).toBe(true);
  });

  it('turns presets into ranges up to today', () => {
    expect(presetRange('default', now)).toBeUndefined();
    expect(presetRange('last30', now)).toEqual({
      from: '2026-02-14',
      to: '2026-03-16',
    });
    expect(presetRange('last90', now)).toEqual({
      from: '2025-12-16',
      to: '2026-03-16',
    });
    expect(presetRange('thisMonth', now)).toEqual({
      from: '2026-03-01',
      to: '2026-03-16',
    });
    expect(presetRange('previousMonth', now)).toEqual({
      from: '2026-02-01',
      to: '2026-03-01',
    });
    expect(matchPreset({ from: '2026-02-01', to: '2026-03-01' }, now)).toBe(
      'previousMonth',
    );
    expect(matchPreset({}, now)).toBe('default');
    expect(
      matchPreset({ from: '2026-02-02', to: '2026-03-01' }, now),
    ).toBeUndefined();
  });
});
