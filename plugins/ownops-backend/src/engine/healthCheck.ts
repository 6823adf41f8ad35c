export interface HealthCheckOptions {
  url: string;
  expectedVersion: string;
  timeoutMs: number;
  intervalMs: number;
  signal: AbortSignal;
  log(message: string): void;
}

export type HealthCheckResult =
  | { healthy: true }
  | { healthy: false; reason: string };

const ATTEMPT_TIMEOUT_MS = 5000;

/**
 * Polls `url` until it answers 2xx — and, when the body is JSON with a
 * `version`, reports the expected version — or the timeout passes.
 */
export async function waitForHealthy(
  options: HealthCheckOptions,
): Promise<HealthCheckResult> {
  const deadline = Date.now() + options.timeoutMs;
  let lastProblem = 'no answer';
  options.log(`Health check: waiting for ${options.url}`);
  while (!options.signal.aborted) {
    lastProblem = await probe(options);
    if (lastProblem === '') {
      options.log(`Health check passed: ${options.url}`);
      return { healthy: true };
    }
    if (Date.now() + options.intervalMs > deadline) {
      break;
    }
    await sleep(options.intervalMs, options.signal);
  }
  return {
    healthy: false,
    reason: options.signal.aborted
      ? 'health check interrupted'
      : `health check of ${options.url} failed for ${Math.round(
          options.timeoutMs / 1000,
        )}s: ${lastProblem}`,
  };
}

async function probe(options: HealthCheckOptions): Promise<string> {
  try {
    const response = await fetch(options.url, {
      signal: AbortSignal.any([
        options.signal,
        AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      ]),
      headers: { Accept: 'application/json' },
    });
    const text = await response.text();
    if (!response.ok) {
      return `HTTP ${response.status}`;
    }
    const version = readVersion(text);
    if (version !== undefined && version !== options.expectedVersion) {
      return `reports version ${version}, expected ${options.expectedVersion}`;
    }
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

function readVersion(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body);
    return typeof parsed?.version === 'string' ? parsed.version : undefined;
  } catch {
    return undefined;
  }
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
