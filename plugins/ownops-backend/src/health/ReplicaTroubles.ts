/** A failure this replica recovered from, or is still retrying. */
export interface Trouble {
  at: string;
  operation: string;
  message: string;
}

const KEPT = 20;

/**
 * The recent troubles of this replica (a dropped database connection, a
 * failed heartbeat), newest first. Kept in memory: they must be recordable
 * while the database is unreachable, so each replica reports its own.
 */
export class ReplicaTroubles {
  private readonly recent: Trouble[] = [];

  record(operation: string, error: unknown, now = new Date()) {
    this.recent.unshift({
      at: now.toISOString(),
      operation,
      message: error instanceof Error ? error.message : String(error),
    });
    this.recent.length = Math.min(this.recent.length, KEPT);
  }

  list(): Trouble[] {
    return [...this.recent];
  }
}
