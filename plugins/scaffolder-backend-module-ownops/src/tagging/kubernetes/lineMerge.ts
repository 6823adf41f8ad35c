/**
 * Carries a change made to one rendering of a text over to another text that
 * is mostly the same, line by line: used to apply what the YAML library
 * changed in its re-rendering of a manifest to the manifest as it was
 * written, so lines we did not change keep their exact formatting.
 */

/** Lines longer than this are not merged (the LCS table would be too big). */
const MAX_LINES = 3000;

function splitLines(text: string): string[] {
  return text.split(/(?<=\n)/);
}

/**
 * For each line of `a`, the index of the line of `b` it is matched with;
 * with `pairChangedLines`, also lines in equal-length runs between matches.
 */
function matchLines(
  a: string[],
  b: string[],
  pairChangedLines: boolean,
): Array<number | undefined> {
  const width = b.length + 1;
  const table = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i * width + j] =
        a[i] === b[j]
          ? table[(i + 1) * width + j + 1] + 1
          : Math.max(table[(i + 1) * width + j], table[i * width + j + 1]);
    }
  }
  const matches: Array<number | undefined> = new Array(a.length);
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      matches[i++] = j++;
    } else if (table[(i + 1) * width + j] >= table[i * width + j + 1]) {
      i++;
    } else {
      j++;
    }
  }
  return pairChangedLines ? pairGaps(matches, b.length) : matches;
}

/**
 * Between two matched lines, unmatched runs of equal length on both sides are
 * the same lines written differently (such as a comment's spacing): pair them
 * up in order.
 */
function pairGaps(
  matches: Array<number | undefined>,
  bLength: number,
): Array<number | undefined> {
  let i = 0;
  let previous = -1;
  while (i <= matches.length) {
    if (i < matches.length && matches[i] === undefined) {
      i++;
      continue;
    }
    const next = i < matches.length ? matches[i]! : bLength;
    let gapStart = i - 1;
    while (gapStart >= 0 && matches[gapStart] === undefined) gapStart--;
    const aGap = i - gapStart - 1;
    if (aGap > 0 && aGap === next - previous - 1) {
      for (let k = 1; k <= aGap; k++) matches[gapStart + k] = previous + k;
    }
    previous = next;
    i++;
  }
  return matches;
}

/**
 * Applies the line changes from `before` to `after` onto `original`.
 * Returns undefined when a removed line cannot be found in `original`.
 */
export function carryOverLineChanges(
  original: string,
  before: string,
  after: string,
): string | undefined {
  const source = splitLines(original);
  const base = splitLines(before);
  const changed = splitLines(after);
  if (Math.max(source.length, base.length, changed.length) > MAX_LINES) {
    return undefined;
  }
  // The source may be written differently from how the library renders it;
  // the library's two renderings differ only where something changed.
  const baseToSource = matchLines(base, source, true);
  const baseToChanged = matchLines(base, changed, false);

  const removed = new Set<number>();
  const changedToBase = new Map<number, number>();
  for (let i = 0; i < base.length; i++) {
    const inChanged = baseToChanged[i];
    if (inChanged !== undefined) {
      changedToBase.set(inChanged, i);
      continue;
    }
    const inSource = baseToSource[i];
    if (inSource === undefined) return undefined;
    removed.add(inSource);
  }

  // Each added line goes after the source line of the closest kept line before it.
  const insertions = new Map<number, string[]>();
  let anchor = -1;
  for (let j = 0; j < changed.length; j++) {
    const inBase = changedToBase.get(j);
    if (inBase !== undefined) {
      anchor = baseToSource[inBase] ?? anchor;
      continue;
    }
    const lines = insertions.get(anchor) ?? [];
    lines.push(changed[j]);
    insertions.set(anchor, lines);
  }

  let result = '';
  const insert = (index: number) => {
    const lines = insertions.get(index);
    if (!lines) return;
    if (result !== '' && !result.endsWith('\n')) result += '\n';
    result += lines.join('');
  };
  insert(-1);
  source.forEach((line, index) => {
    if (!removed.has(index)) result += line;
    insert(index);
  });
  return result;
}
