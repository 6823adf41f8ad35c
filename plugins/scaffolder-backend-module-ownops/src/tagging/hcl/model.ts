/**
 * A plain, read-only view of the parts of an HCL file that tagging needs,
 * with the source positions (string offsets) of each part so edits can be
 * spliced in without touching anything else. Built from the tree-sitter CST,
 * so it holds no WebAssembly memory.
 */

export interface Span {
  /** Offset of the first character. */
  start: number;
  /** Offset just past the last character. */
  end: number;
}

export interface HclObjectElement {
  /** The key when it is an identifier or a plain quoted string. */
  key?: string;
  span: Span;
  keySpan: Span;
  value: HclExpression;
}

export type HclExpression =
  | {
      kind: 'object';
      span: Span;
      elements: HclObjectElement[];
      /** Whether a comment sits between the braces. */
      hasComments: boolean;
    }
  | {
      kind: 'call';
      span: Span;
      name: string;
      args: HclExpression[];
      /** Offset of the closing parenthesis. */
      closeParen: number;
    }
  /** A tuple, or a literal string, number, bool or null. */
  | { kind: 'literal'; span: Span }
  /** Anything else: references, conditionals, for expressions, templates. */
  | { kind: 'other'; span: Span };

export interface HclAttribute {
  name: string;
  span: Span;
  value: HclExpression;
}

export interface HclBody {
  attributes: HclAttribute[];
  blocks: HclBlock[];
}

export interface HclBlock extends HclBody {
  type: string;
  labels: string[];
  span: Span;
  /** Offset of `{`. */
  openBrace: number;
  /** Offset of `}`. */
  closeBrace: number;
}

export interface HclFile extends HclBody {
  file: string;
  source: string;
}

export function findAttribute(
  body: HclBody,
  name: string,
): HclAttribute | undefined {
  return body.attributes.find(attribute => attribute.name === name);
}

export function findBlocks(body: HclBody, type: string): HclBlock[] {
  return body.blocks.filter(block => block.type === type);
}

/** The value of a literal string attribute such as `alias = "east"`. */
export function stringAttribute(
  source: string,
  body: HclBody,
  name: string,
): string | undefined {
  const attribute = findAttribute(body, name);
  if (!attribute || attribute.value.kind !== 'literal') {
    return undefined;
  }
  const text = source.slice(
    attribute.value.span.start,
    attribute.value.span.end,
  );
  return text.startsWith('"') && text.endsWith('"') && !text.includes('\\')
    ? text.slice(1, -1)
    : undefined;
}

/** The source text of an expression. */
export function textOf(source: string, span: Span): string {
  return source.slice(span.start, span.end);
}
