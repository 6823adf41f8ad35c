import { parseHcl } from '../hcl/parser';
import { findAttribute } from '../hcl/model';
import { renderString, renderTagsAttribute, TagEntry } from '../hcl/edit';
import { FileSet } from '../fileSet';

/** The file that receives blocks the stamper has to add. */
export const TAGS_FILE_NAME = 'ownops-tags.tf';

export const ENVIRONMENT_VARIABLE = 'environment';

const TAGS_FILE_HEADER = `# Added by Ownops when it stamped the owner tags. Change the owner, cost
# center or environments in Backstage and stamp again rather than editing here.
`;

function indent(lines: string[], by: string): string[] {
  return lines.map(line => (line ? by + line : line));
}

/** A `provider "aws"` block that only sets the owner tags as default tags. */
export function renderAwsProvider(entries: TagEntry[]): string {
  return [
    '# Every aws_* resource gets the owner tags through the default tags.',
    'provider "aws" {',
    '  default_tags {',
    ...indent(renderTagsAttribute(entries), '    '),
    '  }',
    '}',
  ].join('\n');
}

/** The environment variable, limited to the service's environments. */
export function renderEnvironmentVariable(environments: string[]): string {
  const list = environments.join(', ');
  return [
    `variable "${ENVIRONMENT_VARIABLE}" {`,
    `  description = ${renderString(
      `The environment to deploy (${list}); pick one with -var-file=environments/<environment>.tfvars`,
    )}`,
    '  type        = string',
    '',
    '  validation {',
    `    condition     = contains([${environments
      .map(renderString)
      .join(', ')}], var.${ENVIRONMENT_VARIABLE})`,
    `    error_message = ${renderString(
      `Environment must be one of: ${list}.`,
    )}`,
    '  }',
    '}',
  ].join('\n');
}

/** Appends blocks to the tags file, creating it when needed. */
export function appendBlocks(existing: string | undefined, blocks: string[]) {
  const text = `${blocks.join('\n\n')}\n`;
  if (existing === undefined) return `${TAGS_FILE_HEADER}\n${text}`;
  if (existing.trim() === '') return text;
  return `${existing}${existing.endsWith('\n') ? '' : '\n'}\n${text}`;
}

/**
 * `<folder>/environments/<env>.tfvars` setting the environment variable;
 * existing files that already set it are left alone.
 */
export async function stampEnvironmentFiles(
  files: FileSet,
  folder: string,
  environments: string[],
): Promise<FileSet> {
  const result: FileSet = {};
  for (const environment of environments) {
    const path = `${
      folder ? `${folder}/` : ''
    }environments/${environment}.tfvars`;
    const line = `${ENVIRONMENT_VARIABLE} = ${renderString(environment)}\n`;
    const existing = files[path];
    if (existing === undefined) {
      result[path] = line;
      continue;
    }
    const parsed = await parseHcl(path, existing);
    if (!findAttribute(parsed, ENVIRONMENT_VARIABLE)) {
      const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
      result[path] = `${existing}${separator}${line}`;
    }
  }
  return result;
}
