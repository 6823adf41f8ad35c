/**
 * Throws at start-up when two providers of one kind (cost sources, on-call
 * providers) share an id, naming it; returns the list unchanged otherwise.
 */
export function assertUniqueIds<T extends { id: string }>(
  items: T[],
  what: string,
  hint?: string,
): T[] {
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.id)) {
      throw new Error(
        `Two Ownops ${what} have the id "${item.id}"; ids must be unique${
          hint ? ` (${hint})` : ''
        }`,
      );
    }
    seen.add(item.id);
  }
  return items;
}
