/**
 * Polls `condition` until it returns a value other than false or undefined,
 * and returns that value; fails naming `what` after `timeoutMs`. Errors
 * thrown by the condition fail at once.
 */
export async function waitFor<T>(
  what: string,
  condition: () => Promise<T | false | undefined>,
  timeoutMs = 60_000,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value !== false && value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise(done => setTimeout(done, intervalMs));
  }
}
