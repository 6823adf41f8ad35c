import { backoffDelay, retryDelayFromHeaders } from './retryDelay';

const now = Date.parse('2026-11-27T10:00:00Z');

describe('retryDelayFromHeaders', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(
      retryDelayFromHeaders(new Headers({ 'retry-after': '7' }), now),
    ).toBe(7000);
    expect(
      retryDelayFromHeaders(
        new Headers({ 'retry-after': 'Fri, 27 Nov 2026 10:00:30 GMT' }),
        now,
      ),
    ).toBe(30_000);
    expect(
      retryDelayFromHeaders(
        new Headers({ 'retry-after': 'Fri, 27 Nov 2026 09:00:00 GMT' }),
        now,
      ),
    ).toBe(0);
  });

  it("reads PagerDuty's RateLimit-Reset seconds", () => {
    expect(
      retryDelayFromHeaders(new Headers({ 'ratelimit-reset': '12' }), now),
    ).toBe(12_000);
  });

  it("reads GitHub's X-RateLimit-Reset epoch only when the limit is used up", () => {
    const reset = String(now / 1000 + 45);
    expect(
      retryDelayFromHeaders(
        new Headers({
          'x-ratelimit-reset': reset,
          'x-ratelimit-remaining': '0',
        }),
        now,
      ),
    ).toBe(45_000);
    expect(
      retryDelayFromHeaders(
        new Headers({
          'x-ratelimit-reset': reset,
          'x-ratelimit-remaining': '12',
        }),
        now,
      ),
    ).toBeUndefined();
  });

  it('says nothing for absent or unreadable headers', () => {
    expect(retryDelayFromHeaders(new Headers(), now)).toBeUndefined();
    expect(
      retryDelayFromHeaders(new Headers({ 'retry-after': 'soon' }), now),
    ).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  it('doubles up to the cap, with jitter in the upper half', () => {
    expect(backoffDelay(0, 500, 30_000, () => 0)).toBe(250);
    expect(backoffDelay(0, 500, 30_000, () => 1)).toBe(500);
    expect(backoffDelay(3, 500, 30_000, () => 1)).toBe(4000);
    expect(backoffDelay(10, 500, 30_000, () => 1)).toBe(30_000);
  });
});
