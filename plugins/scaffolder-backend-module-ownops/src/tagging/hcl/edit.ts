import {
  HclBlock,
  HclExpression,
  HclObjectElement,
  Span,
  textOf,
} from './model';

/** Replace `source.slice(start, end)` with `text`. */
export interface TextEdit extends Span {
  text: string;
}

/** A tag value: a literal string, or an HCL expression such as `var.environment`. */
export type TagValue = { literal: string } | { expression: string };

export interface TagEntry {
  key: string;
  value: TagValue;
}

const INDENT = '  ';

/** Applies non-overlapping edits; everything outside them is kept as is. */
export function applyEdits(source: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let result = '';
  let position = 0;
  for (const edit of sorted) {
    if (edit.start < position) {
      throw new Error(
        `Overlapping edits at offset ${edit.start}; this is a bug in the tag stamper`,
      );
    }
    result += source.slice(position, edit.start) + edit.text;
    position = edit.end;
  }
  return result + source.slice(position);
}

export function renderString(value: string): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, () => '%%{');
  return `"${escaped}"`;
}

const KEYWORDS = new Set(['true', 'false', 'null', 'for', 'in', 'if']);

/** An object key: bare when it is a plain identifier, quoted otherwise (e.g. `"cost-center"`). */
export function renderKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) && !KEYWORDS.has(key)
    ? key
    : renderString(key);
}

export function renderValue(value: TagValue): string {
  return 'literal' in value ? renderString(value.literal) : value.expression;
}

/** The leading whitespace of the line that holds `offset`. */
export function lineIndent(source: string, offset: number): string {
  const lineStart = source.lastIndexOf('\n', offset - 1) + 1;
  let end = lineStart;
  while (source[end] === ' ' || source[end] === '\t') end++;
  return source.slice(lineStart, end);
}

/** The offset just past the last non-whitespace character in [from, to). */
function endOfContent(source: string, from: number, to: number): number {
  let position = to;
  while (position > from && /\s/.test(source[position - 1])) position--;
  return position;
}

/** `key = value` lines with aligned `=`, as `terraform fmt` writes them. */
function renderElements(
  pairs: Array<[key: string, value: string]>,
  indent: string,
  minWidth = 0,
): string[] {
  const width = Math.max(minWidth, ...pairs.map(([key]) => key.length));
  return pairs.map(
    ([key, value]) => `${indent}${key.padEnd(width)} = ${value}`,
  );
}

function renderedPairs(entries: TagEntry[]): Array<[string, string]> {
  return entries.map(entry => [renderKey(entry.key), renderValue(entry.value)]);
}

/** A multi-line object literal whose closing brace is indented by `indent`. */
export function renderObject(entries: TagEntry[], indent: string): string {
  const lines = renderElements(renderedPairs(entries), indent + INDENT);
  return `{\n${lines.join('\n')}\n${indent}}`;
}

/** `tags = { … }` as lines relative to the enclosing block's body. */
export function renderTagsAttribute(entries: TagEntry[]): string[] {
  return `tags = ${renderObject(entries, '')}`.split('\n');
}

/** Width of an element's key up to its `=`, for aligning new keys with it. */
function keyWidth(source: string, element: HclObjectElement): number {
  let separator = element.keySpan.end;
  while (source[separator] === ' ' || source[separator] === '\t') separator++;
  return separator - element.keySpan.start - 1;
}

/** Sets each entry in an object literal: existing keys get our value, missing keys are added. */
export function mergeIntoObject(
  source: string,
  object: Extract<HclExpression, { kind: 'object' }>,
  entries: TagEntry[],
): TextEdit[] {
  const edits: TextEdit[] = [];
  const replaced = new Map<HclObjectElement, string>();
  const added: TagEntry[] = [];
  for (const entry of entries) {
    const value = renderValue(entry.value);
    const matches = object.elements.filter(
      element => element.key === entry.key,
    );
    if (matches.length === 0) {
      added.push(entry);
    }
    for (const element of matches) {
      if (textOf(source, element.value.span) !== value) {
        replaced.set(element, value);
        edits.push({ ...element.value.span, text: value });
      }
    }
  }
  if (added.length === 0) {
    return edits;
  }

  const { start, end } = object.span;
  const indent = lineIndent(source, start);
  const multiLine = source.slice(start, end).includes('\n');
  if (!multiLine && !object.hasComments) {
    // A one-line object becomes a multi-line one, existing elements first.
    const pairs: Array<[string, string]> = object.elements.map(element => [
      textOf(source, element.keySpan),
      replaced.get(element) ?? textOf(source, element.value.span),
    ]);
    pairs.push(...renderedPairs(added));
    const lines = renderElements(pairs, indent + INDENT);
    return [{ start, end, text: `{\n${lines.join('\n')}\n${indent}}` }];
  }

  const last = object.elements[object.elements.length - 1];
  if (!multiLine) {
    const text = renderedPairs(added)
      .map(([key, value]) => `, ${key} = ${value}`)
      .join('');
    const at = last ? last.span.end : start + 1;
    return [
      ...edits,
      { start: at, end: at, text: last ? text : text.slice(2) },
    ];
  }

  const sameLineAsBrace =
    !last || !source.slice(start, last.span.start).includes('\n');
  const elementIndent = sameLineAsBrace
    ? indent + INDENT
    : lineIndent(source, last.span.start);
  const minWidth = Math.max(
    0,
    ...object.elements.map(element => keyWidth(source, element)),
  );
  const lines = renderElements(renderedPairs(added), elementIndent, minWidth);
  const at = endOfContent(source, start + 1, end - 1);
  return [...edits, { start: at, end: at, text: `\n${lines.join('\n')}` }];
}

/**
 * Stamps entries into a tags expression:
 * - an object literal gets the entries merged in;
 * - `merge(…)` gets them merged into its last argument when that is an
 *   object literal, or a new last argument (later arguments win);
 * - with `wrap`, any other map expression becomes `merge(<it>, { … })`.
 * Returns undefined when the expression was left alone.
 */
export function stampTagExpression(
  source: string,
  expression: HclExpression,
  entries: TagEntry[],
  options: { wrap: boolean },
): TextEdit[] | undefined {
  if (expression.kind === 'object') {
    return mergeIntoObject(source, expression, entries);
  }
  if (expression.kind === 'call' && expression.name === 'merge') {
    const last = expression.args[expression.args.length - 1];
    if (last?.kind === 'object') {
      return mergeIntoObject(source, last, entries);
    }
    const at = last ? last.span.end : expression.closeParen;
    const object = renderObject(entries, lineIndent(source, at));
    return [{ start: at, end: at, text: last ? `, ${object}` : object }];
  }
  if (expression.kind === 'literal' || !options.wrap) {
    return undefined;
  }
  const { start, end } = expression.span;
  const object = renderObject(entries, lineIndent(source, start));
  return [
    { start, end, text: `merge(${source.slice(start, end)}, ${object})` },
  ];
}

/**
 * Adds lines (indented relative to the block body) right before the block's
 * closing brace, after a blank line when the block already has content.
 */
export function insertIntoBlock(
  source: string,
  block: HclBlock,
  lines: string[],
): TextEdit {
  const indent = lineIndent(source, block.span.start);
  const rendered = lines
    .map(line => (line ? indent + INDENT + line : line))
    .join('\n');
  const inside = source.slice(block.openBrace + 1, block.closeBrace);
  if (!inside.includes('\n')) {
    const existing = inside.trim();
    return {
      start: block.openBrace + 1,
      end: block.closeBrace,
      text: existing
        ? `\n${indent}${INDENT}${existing}\n\n${rendered}\n${indent}`
        : `\n${rendered}\n${indent}`,
    };
  }
  const at = endOfContent(source, block.openBrace + 1, block.closeBrace);
  return {
    start: at,
    end: at,
    text: at === block.openBrace + 1 ? `\n${rendered}` : `\n\n${rendered}`,
  };
}
