/**
 * What the engine stores to follow a rollout, possibly on another backend
 * replica after a restart. It names the objects and what was set; it never
 * carries credentials, which stay in config.
 */
export interface RolloutHandle {
  cluster: string;
  namespace: string;
  deployment: string;
  container: string;
  /** The image this rollout set; another image means someone else deployed since. */
  image: string;
  /** `metadata.generation` after the change; the controller must observe at least this. */
  generation: number;
}

const HANDLE_VERSION = 1;

export function encodeRolloutHandle(handle: RolloutHandle): string {
  return JSON.stringify({ v: HANDLE_VERSION, ...handle });
}

export function decodeRolloutHandle(text: string): RolloutHandle {
  let parsed: Record<string, unknown> | undefined;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const strings = ['cluster', 'namespace', 'deployment', 'container', 'image'];
  if (
    !parsed ||
    parsed.v !== HANDLE_VERSION ||
    strings.some(key => typeof parsed![key] !== 'string') ||
    typeof parsed.generation !== 'number'
  ) {
    throw new Error(
      `"${text.slice(
        0,
        200,
      )}" is not a rollout handle of the Ownops Kubernetes module`,
    );
  }
  const { v: _version, ...handle } = parsed;
  return handle as unknown as RolloutHandle;
}
