/**
 * One read shared by every caller for a while: the first call starts it,
 * calls within `ttlMs` get the same promise (also while it is in flight),
 * and a failed read is dropped at once so the next call tries again.
 */
export class ReusedRead<T> {
  private current?: { expires: number; value: Promise<T> };

  constructor(
    private readonly options: {
      ttlMs: number;
      now?: () => number;
    },
  ) {}

  get(read: () => Promise<T>): Promise<T> {
    const now = this.options.now?.() ?? Date.now();
    if (this.current && this.current.expires > now) {
      return this.current.value;
    }
    const value = read();
    const entry = { expires: now + this.options.ttlMs, value };
    this.current = entry;
    value.catch(() => {
      if (this.current === entry) this.current = undefined;
    });
    return value;
  }
}
