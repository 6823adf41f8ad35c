import { InputError } from '@backstage/errors';
import { promises as fs } from 'node:fs';
import { Language, Node, Parser } from 'web-tree-sitter';
import {
  HclAttribute,
  HclBlock,
  HclBody,
  HclExpression,
  HclFile,
  HclObjectElement,
} from './model';

let parserPromise: Promise<Parser> | undefined;

async function createParser(): Promise<Parser> {
  await Parser.init();
  // Bytes rather than a path: loading by path uses a dynamic import, which
  // not every runtime (e.g. Jest without VM modules) supports.
  const wasm = await fs.readFile(
    require.resolve(
      '@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm',
    ),
  );
  const language = await Language.load(new Uint8Array(wasm));
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

/** The Terraform parser, loaded once; a failed load is retried next time. */
function loadParser(): Promise<Parser> {
  if (!parserPromise) {
    const loading = createParser();
    parserPromise = loading;
    loading.catch(() => {
      if (parserPromise === loading) parserPromise = undefined;
    });
  }
  return parserPromise;
}

/**
 * Parses a Terraform/OpenTofu (or .tfvars) file into a plain model.
 * Throws an InputError naming the file and line of the first syntax error.
 */
export async function parseHcl(file: string, source: string): Promise<HclFile> {
  const parser = await loadParser();
  const tree = parser.parse(source);
  if (!tree) {
    throw new InputError(`${file}: could not be parsed as Terraform`);
  }
  try {
    const root = tree.rootNode;
    if (root.hasError) {
      throw syntaxError(file, source, firstError(root) ?? root);
    }
    const body = root.namedChildren.find(child => child?.type === 'body');
    return { file, source, ...(body ? toBody(body) : emptyBody()) };
  } finally {
    tree.delete();
  }
}

function firstError(node: Node): Node | undefined {
  if (node.isError || node.isMissing) {
    return node;
  }
  for (const child of node.children) {
    if (child && (child.hasError || child.isMissing)) {
      const found = firstError(child);
      if (found) return found;
    }
  }
  return undefined;
}

/** Tokens whose absence is worth naming; other missing nodes are parser guesses. */
const CLOSING_TOKENS = new Set(['}', ')', ']', '"']);

function syntaxError(file: string, source: string, node: Node): InputError {
  const line = node.startPosition.row + 1;
  if (node.isMissing && CLOSING_TOKENS.has(node.type)) {
    return new InputError(
      `${file}: Terraform syntax error on line ${line}: missing ${JSON.stringify(
        node.type,
      )}`,
    );
  }
  const lineEnd = source.indexOf('\n', node.startIndex);
  const rest = source.slice(
    node.startIndex,
    lineEnd < 0 ? source.length : lineEnd,
  );
  const near = (node.endIndex > node.startIndex ? node.text : rest)
    .split('\n')[0]
    .trim()
    .slice(0, 40);
  return new InputError(
    `${file}: Terraform syntax error on line ${line}${
      near ? ` near ${JSON.stringify(near)}` : ''
    }`,
  );
}

function emptyBody(): HclBody {
  return { attributes: [], blocks: [] };
}

function named(node: Node): Node[] {
  return node.namedChildren.filter(
    (child): child is Node => child !== null && child.type !== 'comment',
  );
}

function span(node: Node) {
  return { start: node.startIndex, end: node.endIndex };
}

function toBody(node: Node): HclBody {
  const body = emptyBody();
  for (const child of named(node)) {
    if (child.type === 'attribute') {
      body.attributes.push(toAttribute(child));
    } else if (child.type === 'block') {
      body.blocks.push(toBlock(child));
    }
  }
  return body;
}

function toAttribute(node: Node): HclAttribute {
  const [name, value] = named(node);
  return { name: name.text, span: span(node), value: toExpression(value) };
}

function toBlock(node: Node): HclBlock {
  const children = named(node);
  const labels: string[] = [];
  let openBrace = -1;
  let closeBrace = -1;
  let body = emptyBody();
  for (const child of children.slice(1)) {
    if (child.type === 'string_lit') {
      labels.push(decodeStringLit(child));
    } else if (child.type === 'identifier') {
      labels.push(child.text);
    } else if (child.type === 'block_start') {
      openBrace = child.startIndex;
    } else if (child.type === 'block_end') {
      closeBrace = child.startIndex;
    } else if (child.type === 'body') {
      body = toBody(child);
    }
  }
  return {
    type: children[0].text,
    labels,
    span: span(node),
    openBrace,
    closeBrace,
    ...body,
  };
}

function toExpression(node: Node): HclExpression {
  const children = named(node);
  const only = children.length === 1 ? children[0] : undefined;
  if (only?.type === 'collection_value') {
    const collection = named(only)[0];
    if (collection?.type === 'object') {
      return toObject(collection);
    }
    return { kind: 'literal', span: span(node) };
  }
  if (only?.type === 'literal_value') {
    return { kind: 'literal', span: span(node) };
  }
  if (only?.type === 'function_call') {
    return toCall(only);
  }
  return { kind: 'other', span: span(node) };
}

function toObject(node: Node): HclExpression {
  const elements: HclObjectElement[] = [];
  for (const child of named(node)) {
    if (child.type !== 'object_elem') continue;
    const key = child.childForFieldName('key');
    const value = child.childForFieldName('val');
    if (!key || !value) continue;
    elements.push({
      key: staticKey(key),
      span: span(child),
      keySpan: span(key),
      value: toExpression(value),
    });
  }
  return {
    kind: 'object',
    span: span(node),
    elements,
    hasComments: node.namedChildren.some(child => child?.type === 'comment'),
  };
}

function toCall(node: Node): HclExpression {
  const args = node.namedChildren.find(
    child => child?.type === 'function_arguments',
  );
  const openParen = node.children.find(child => child?.type === '(');
  const closeParen = node.children.find(child => child?.type === ')');
  return {
    kind: 'call',
    span: span(node),
    name: openParen
      ? node.text.slice(0, openParen.startIndex - node.startIndex).trim()
      : node.text,
    args: args
      ? named(args)
          .filter(arg => arg.type === 'expression')
          .map(toExpression)
      : [],
    closeParen: closeParen ? closeParen.startIndex : node.endIndex - 1,
  };
}

/** An object key written as an identifier or a plain quoted string. */
function staticKey(node: Node): string | undefined {
  const children = named(node);
  if (children.length !== 1) return undefined;
  const [child] = children;
  if (child.type === 'variable_expr' && named(child).length === 1) {
    return child.text;
  }
  if (child.type === 'literal_value') {
    const string = named(child)[0];
    if (string?.type === 'string_lit') return decodeStringLit(string);
  }
  return undefined;
}

const ESCAPES: Record<string, string> = {
  n: '\n',
  r: '\r',
  t: '\t',
  '"': '"',
  '\\': '\\',
};

function decodeStringLit(node: Node): string {
  const raw = node.namedChildren
    .filter(child => child?.type === 'template_literal')
    .map(child => child!.text)
    .join('');
  return raw
    .replace(/\\(.)/g, (escape, char: string) => ESCAPES[char] ?? escape)
    .replace(/\$\$\{/g, () => '${')
    .replace(/%%\{/g, () => '%{');
}
