import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface RunCommandOptions {
  argv: string[];
  cwd?: string;
  env: Record<string, string>;
  timeoutMs: number;
  signal: AbortSignal;
  onLine(stream: 'stdout' | 'stderr', line: string): void;
}

export type RunCommandResult =
  | { outcome: 'exited'; code: number | null; signal: NodeJS.Signals | null }
  | { outcome: 'timed-out' }
  | { outcome: 'aborted' }
  | { outcome: 'spawn-failed'; error: Error };

const KILL_GRACE_MS = 5000;

/**
 * Runs an argv without a shell, line by line, in its own process group so a
 * timeout or cancellation stops everything it started in the foreground.
 */
export function runCommand(
  options: RunCommandOptions,
): Promise<RunCommandResult> {
  return new Promise(resolve => {
    if (options.signal.aborted) {
      resolve({ outcome: 'aborted' });
      return;
    }
    const child = spawn(options.argv[0], options.argv.slice(1), {
      cwd: options.cwd,
      env: options.env,
      shell: false,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });

    let stopReason: 'timed-out' | 'aborted' | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (reason: 'timed-out' | 'aborted') => {
      if (stopReason || child.exitCode !== null) {
        return;
      }
      stopReason = reason;
      signalGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(
        () => signalGroup(child.pid, 'SIGKILL'),
        KILL_GRACE_MS,
      );
      killTimer.unref();
    };
    const timeout = setTimeout(() => stop('timed-out'), options.timeoutMs);
    const onAbort = () => stop('aborted');
    options.signal.addEventListener('abort', onAbort, { once: true });

    const streamsClosed = Promise.all(
      (['stdout', 'stderr'] as const).map(
        name =>
          new Promise<void>(done => {
            const lines = createInterface({ input: child[name]! });
            lines.on('line', line => options.onLine(name, line));
            lines.on('close', done);
          }),
      ),
    );

    const finish = (result: RunCommandResult) => {
      clearTimeout(timeout);
      if (killTimer) {
        clearTimeout(killTimer);
      }
      options.signal.removeEventListener('abort', onAbort);
      resolve(result);
    };

    child.once('error', error => finish({ outcome: 'spawn-failed', error }));
    child.once('exit', (code, signal) => {
      // Output may still be buffered; wait for it, but not for detached
      // grandchildren that keep the pipes open.
      const grace = new Promise(done => setTimeout(done, 1000).unref());
      Promise.race([streamsClosed, grace]).then(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        if (stopReason) {
          finish({ outcome: stopReason });
        } else {
          finish({ outcome: 'exited', code, signal });
        }
      });
    });
  });
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals) {
  if (pid === undefined) {
    return;
  }
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}
