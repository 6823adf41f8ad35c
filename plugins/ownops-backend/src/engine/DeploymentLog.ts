import { LoggerService } from '@backstage/backend-plugin-api';
import { DeployLogSink } from '@ownops/backstage-plugin-node';
import { DeploymentStore, NewLogLine } from '../database/DeploymentStore';

const MAX_LINE_LENGTH = 4000;
const FLUSH_DELAY_MS = 200;
const FLUSH_BATCH = 100;
// Control characters other than tab would garble the UI and terminal logs.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/**
 * Collects a deployment's log lines and writes them in batches, keeping at
 * most `maxLines` (the last kept line says how many were dropped).
 */
export class DeploymentLog implements DeployLogSink {
  private nextSeq = 1;
  private buffer: NewLogLine[] = [];
  private dropped = 0;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: DeploymentStore,
    private readonly deploymentId: number,
    private readonly maxLines: number,
    private readonly logger: LoggerService,
    firstSeq = 1,
  ) {
    this.nextSeq = firstSeq;
  }

  info(message: string) {
    this.push('stdout', message);
  }

  error(message: string) {
    this.push('stderr', message);
  }

  system(message: string) {
    this.push('system', message);
  }

  /** Writes everything buffered, then notes how many lines were dropped. */
  async close(): Promise<void> {
    if (this.dropped > 0) {
      this.buffer.push({
        stream: 'system',
        message: `… ${this.dropped} more log lines were dropped (limit ${this.maxLines})`,
        timestamp: new Date(),
      });
      this.dropped = 0;
    }
    await this.flush();
  }

  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const lines = this.buffer;
    this.buffer = [];
    if (lines.length > 0) {
      const firstSeq = this.nextSeq;
      this.nextSeq += lines.length;
      this.writing = this.writing.then(() =>
        this.store
          .appendLogs(this.deploymentId, firstSeq, lines)
          .catch(error =>
            this.logger.warn(
              `Could not store log lines of deployment ${this.deploymentId}: ${error}`,
            ),
          ),
      );
    }
    return this.writing;
  }

  private push(stream: NewLogLine['stream'], message: string) {
    const kept = this.nextSeq - 1 + this.buffer.length;
    // Keep one slot for the "dropped" notice.
    if (kept >= this.maxLines - 1) {
      this.dropped += 1;
      return;
    }
    const clean = message.replace(CONTROL_CHARACTERS, '');
    this.buffer.push({
      stream,
      message:
        clean.length > MAX_LINE_LENGTH
          ? `${clean.slice(0, MAX_LINE_LENGTH)}…`
          : clean,
      timestamp: new Date(),
    });
    if (this.buffer.length >= FLUSH_BATCH) {
      this.flush();
    } else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), FLUSH_DELAY_MS);
      this.timer.unref?.();
    }
  }
}
