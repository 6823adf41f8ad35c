/**
 * Reads shared by every caller for a while, one per key: the first call
 * for a key starts its read, calls within `ttlMs` get the same promise
 * (also while it is in flight), and a failed read is dropped at once so
 * the next call tries again. Beyond `maxEntries` keys the oldest is
 * forgotten.
 */
export class ReusedReads<K, T> {
  private readonly entries = new Map<
    K,
    { expires: number; value: Promise<T> }
  >();

  constructor(
    private readonly options: {
      ttlMs: number;
      maxEntries?: number;
      now?: () => number;
    },
  ) {}

  get(key: K, read: () => Promise<T>): Promise<T> {
    const now = this.options.now?.() ?? Date.now();
    const cached = this.entries.get(key);
    if (cached && cached.expires > now) {
      return cached.value;
    }
    const value = read();
    const entry = { expires: now + this.options.ttlMs, value };
    // Deleted first so the key moves to the end: Map keeps insertion order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    const { maxEntries } = this.options;
    if (maxEntries !== undefined && this.entries.size > maxEntries) {
      this.entries.delete(this.entries.keys().next().value!);
    }
    return value;
  }
}
