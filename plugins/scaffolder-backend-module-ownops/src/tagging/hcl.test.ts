import { InputError } from '@backstage/errors';
import {
  applyEdits,
  insertIntoBlock,
  renderKey,
  renderString,
  renderTagsAttribute,
  stampTagExpression,
  TagEntry,
} from './hcl/edit';
import { findAttribute } from './hcl/model';
import { parseHcl } from './hcl/parser';

const ENTRIES: TagEntry[] = [
  { key: 'owner', value: { literal: 'group.default.team-a' } },
  { key: 'cost-center', value: { literal: 'cc-1' } },
  { key: 'environment', value: { expression: 'var.environment' } },
];

/** Stamps ENTRIES into the `tags` attribute of the only block in `source`. */
async function stampTags(source: string, wrap = false) {
  const file = await parseHcl('test.tf', source);
  const tags = findAttribute(file.blocks[0], 'tags')!;
  const edits = stampTagExpression(source, tags.value, ENTRIES, { wrap });
  return edits && applyEdits(source, edits);
}

describe('parseHcl', () => {
  it('reads blocks, labels, attributes and object keys', async () => {
    const source = `resource aws_s3_bucket "b" {
  tags = { Name = "x", "cost-center" = "y", "say \\"hi\\"" = 1, (var.k) = 2 }
}
`;
    const file = await parseHcl('main.tf', source);
    expect(file.blocks.map(b => [b.type, b.labels])).toEqual([
      ['resource', ['aws_s3_bucket', 'b']],
    ]);
    const tags = findAttribute(file.blocks[0], 'tags')!;
    expect(tags.value.kind).toBe('object');
    if (tags.value.kind !== 'object') return;
    expect(tags.value.elements.map(e => e.key)).toEqual([
      'Name',
      'cost-center',
      'say "hi"',
      undefined,
    ]);
    expect(source[file.blocks[0].openBrace]).toBe('{');
    expect(source[file.blocks[0].closeBrace]).toBe('}');
  });

  it('keeps offsets right after non-ASCII text', async () => {
    const source = '# café ✓ 😀\nresource "a_b" "c" {\n  tags = {}\n}\n';
    const file = await parseHcl('main.tf', source);
    const tags = findAttribute(file.blocks[0], 'tags')!;
    expect(source.slice(tags.span.start, tags.span.end)).toBe('tags = {}');
  });

  it('names the file and line of a syntax error', async () => {
    const source =
      'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n  tags = = {}\n}\n';
    const error = await parseHcl('infra/broken.tf', source).catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      'infra/broken.tf: Terraform syntax error on line 3 near "= {}"',
    );
  });

  it('names the line of a missing closing brace', async () => {
    const source =
      'resource "aws_s3_bucket" "b" {\n  tags = {\n    a = "b"\n}\n';
    await expect(parseHcl('infra/open.tf', source)).rejects.toThrow(
      'infra/open.tf: Terraform syntax error on line 5: missing "}"',
    );
  });
});

describe('rendering', () => {
  it('quotes keys that are not plain identifiers', () => {
    expect(renderKey('owner')).toBe('owner');
    expect(renderKey('cost-center')).toBe('"cost-center"');
    expect(renderKey('kubernetes.io/name')).toBe('"kubernetes.io/name"');
    expect(renderKey('null')).toBe('"null"');
  });

  it('escapes strings, including template sequences', () => {
    expect(renderString('a"b\\c ${x} %{y}\n')).toBe(
      '"a\\"b\\\\c $${x} %%{y}\\n"',
    );
  });

  it('aligns the equals signs of a new tags attribute', () => {
    expect(renderTagsAttribute(ENTRIES)).toEqual([
      'tags = {',
      '  owner         = "group.default.team-a"',
      '  "cost-center" = "cc-1"',
      '  environment   = var.environment',
      '}',
    ]);
  });
});

describe('stampTagExpression', () => {
  it('adds missing keys to a multi-line object and replaces stale values', async () => {
    expect(
      await stampTags(`resource "x_y" "z" {
  tags = {
    # kept
    Team          = "checkout"
    "cost-center" = "cc-old" # kept too
  }
}
`),
    ).toBe(`resource "x_y" "z" {
  tags = {
    # kept
    Team          = "checkout"
    "cost-center" = "cc-1" # kept too
    owner         = "group.default.team-a"
    environment   = var.environment
  }
}
`);
  });

  it('turns a one-line object into a multi-line one', async () => {
    expect(
      await stampTags(
        'resource "x_y" "z" {\n  tags = { Team = "a", owner = "old" }\n}\n',
      ),
    ).toBe(`resource "x_y" "z" {
  tags = {
    Team          = "a"
    owner         = "group.default.team-a"
    "cost-center" = "cc-1"
    environment   = var.environment
  }
}
`);
  });

  it('fills an empty object', async () => {
    expect(await stampTags('resource "x_y" "z" {\n  tags = {}\n}\n')).toBe(
      `resource "x_y" "z" {
  tags = {
    owner         = "group.default.team-a"
    "cost-center" = "cc-1"
    environment   = var.environment
  }
}
`,
    );
  });

  it('adds after a trailing comma', async () => {
    const stamped = await stampTags(
      'resource "x_y" "z" {\n  tags = {\n    a = "b",\n  }\n}\n',
    );
    expect(stamped).toBe(`resource "x_y" "z" {
  tags = {
    a = "b",
    owner         = "group.default.team-a"
    "cost-center" = "cc-1"
    environment   = var.environment
  }
}
`);
    await expect(parseHcl('t.tf', stamped!)).resolves.toBeDefined();
  });

  it('merges into the last literal argument of merge()', async () => {
    expect(
      await stampTags(
        'resource "x_y" "z" {\n  tags = merge(local.tags, { a = "b" })\n}\n',
      ),
    ).toBe(`resource "x_y" "z" {
  tags = merge(local.tags, {
    a             = "b"
    owner         = "group.default.team-a"
    "cost-center" = "cc-1"
    environment   = var.environment
  })
}
`);
  });

  it('adds a literal argument when merge() ends with an expression', async () => {
    expect(
      await stampTags(
        'resource "x_y" "z" {\n  tags = merge({ owner = "x" }, var.tags)\n}\n',
      ),
    ).toBe(`resource "x_y" "z" {
  tags = merge({ owner = "x" }, var.tags, {
    owner         = "group.default.team-a"
    "cost-center" = "cc-1"
    environment   = var.environment
  })
}
`);
  });

  it('wraps other expressions in merge() only when asked', async () => {
    const source = 'resource "x_y" "z" {\n  tags = var.tags\n}\n';
    expect(await stampTags(source)).toBeUndefined();
    expect(await stampTags(source, true)).toBe(`resource "x_y" "z" {
  tags = merge(var.tags, {
    owner         = "group.default.team-a"
    "cost-center" = "cc-1"
    environment   = var.environment
  })
}
`);
  });

  it('leaves tuples alone', async () => {
    expect(
      await stampTags('resource "x_y" "z" {\n  tags = ["web"]\n}\n', true),
    ).toBeUndefined();
  });
});

describe('insertIntoBlock', () => {
  const lines = ['tags = {', '  a = "b"', '}'];
  const insert = async (source: string) => {
    const file = await parseHcl('t.tf', source);
    return applyEdits(source, [insertIntoBlock(source, file.blocks[0], lines)]);
  };

  it('adds before the closing brace after a blank line', async () => {
    expect(
      await insert('  resource "x" "y" {\n    name = "n" # c\n  }\n'),
    ).toBe(
      '  resource "x" "y" {\n    name = "n" # c\n\n    tags = {\n      a = "b"\n    }\n  }\n',
    );
  });

  it('opens up empty and one-line blocks', async () => {
    expect(await insert('resource "x" "y" {}\n')).toBe(
      'resource "x" "y" {\n  tags = {\n    a = "b"\n  }\n}\n',
    );
    expect(await insert('resource "x" "y" { name = "n" }\n')).toBe(
      'resource "x" "y" {\n  name = "n"\n\n  tags = {\n    a = "b"\n  }\n}\n',
    );
  });
});

describe('applyEdits', () => {
  it('refuses overlapping edits', () => {
    expect(() =>
      applyEdits('abcdef', [
        { start: 1, end: 4, text: 'x' },
        { start: 2, end: 3, text: 'y' },
      ]),
    ).toThrow('Overlapping edits');
  });
});
