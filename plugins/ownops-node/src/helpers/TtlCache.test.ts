import { TtlCache } from './TtlCache';

describe('TtlCache', () => {
  it('keeps a value until ttlMs after it was set', () => {
    let now = 1_000;
    const cache = new TtlCache<string>(100, () => now);
    cache.set('a', 'alice');
    now = 1_099;
    expect(cache.get('a')).toBe('alice');
    now = 1_100;
    expect(cache.get('a')).toBeUndefined();
  });

  it('keeps null and other falsy values apart from a miss', () => {
    const cache = new TtlCache<string | null | number>(100, () => 0);
    cache.set('none', null);
    cache.set('zero', 0);
    expect(cache.get('none')).toBeNull();
    expect(cache.get('zero')).toBe(0);
    expect(cache.get('other')).toBeUndefined();
  });

  it('starts the time again when a value is set again', () => {
    let now = 0;
    const cache = new TtlCache<string>(100, () => now);
    cache.set('a', 'first');
    now = 90;
    cache.set('a', 'second');
    now = 150;
    expect(cache.get('a')).toBe('second');
  });

  it('stays empty after an expired read until set again', () => {
    let now = 0;
    const cache = new TtlCache<string>(10, () => now);
    cache.set('a', 'alice');
    now = 10;
    expect(cache.get('a')).toBeUndefined();
    now = 0;
    expect(cache.get('a')).toBeUndefined();
  });
});
