/**
 * One section of a summary: its data, or why it is missing.
 */
export type SectionResult<T> =
  | { status: 'ok'; data: T }
  | { status: 'error'; error: string }
  | { status: 'timeout'; error: string };

/** How to load one section, and how to check what it returned. */
export interface SectionLoader<T> {
  load(signal: AbortSignal): Promise<T>;
  /** Returns a problem when the data is malformed, undefined when it is fine. */
  validate?(data: T): string | undefined;
}

/**
 * Loads every section concurrently, each with its own deadline. A section
 * that throws, returns malformed data or misses its deadline yields its
 * error beside the others' data; the whole never fails. A late section is
 * told to stop through its abort signal and its eventual result is ignored.
 */
export async function resolveSections<
  L extends Record<string, SectionLoader<any>>,
>(
  loaders: L,
  options: { timeoutMs: number },
): Promise<{
  [K in keyof L]: SectionResult<
    L[K] extends SectionLoader<infer T> ? T : never
  >;
}> {
  const entries = await Promise.all(
    Object.entries(loaders).map(async ([name, loader]) => [
      name,
      await resolveSection(name, loader, options.timeoutMs),
    ]),
  );
  return Object.fromEntries(entries);
}

async function resolveSection<T>(
  name: string,
  loader: SectionLoader<T>,
  timeoutMs: number,
): Promise<SectionResult<T>> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<SectionResult<T>>(resolve => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({
        status: 'timeout',
        error: `${name} did not answer within ${timeoutMs} ms`,
      });
    }, timeoutMs);
  });
  const work = (async (): Promise<SectionResult<T>> => {
    try {
      const data = await loader.load(controller.signal);
      const problem = loader.validate?.(data);
      return problem
        ? {
            status: 'error',
            error: `${name} returned malformed data: ${problem}`,
          }
        : { status: 'ok', data };
    } catch (error) {
      return {
        status: 'error',
        error: `${name} failed: ${(error as Error)?.message ?? String(error)}`,
      };
    }
  })();
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
