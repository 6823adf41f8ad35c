/** Files by path relative to the workspace root, with their text content. */
export interface FileSet {
  [relativePath: string]: string;
}

/** Code-unit order, the same on every machine (unlike localeCompare). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
