import { ENVIRONMENT_NAME_PATTERN } from '@ownops/backstage-plugin-common';
import { InputError } from '@backstage/errors';
import { FileSet } from '../fileSet';
import {
  applyEdits,
  insertIntoBlock,
  renderTagsAttribute,
  stampTagExpression,
  TagEntry,
  TextEdit,
} from '../hcl/edit';
import { findAttribute, findBlocks, HclBlock } from '../hcl/model';
import {
  appendBlocks,
  ENVIRONMENT_VARIABLE,
  renderAwsProvider,
  renderEnvironmentVariable,
  stampEnvironmentFiles,
  TAGS_FILE_NAME,
} from './generated';
import { directoryOf, readInventory, TerraformResource } from './inventory';
import {
  AZURERM_TAGGABLE_TYPES,
  isAwsResource,
  isAzurermResource,
} from './resourceTypes';

export interface TerraformStampOptions {
  /** Entity, owner and cost center tags, key → literal value. */
  tags: Record<string, string>;
  /** The key of the environment tag, e.g. `environment`. */
  environmentKey: string;
  /** At least one environment; with several the tag is `var.environment`. */
  environments: string[];
}

/**
 * Stamps the owner tags into the .tf files: aws provider default_tags,
 * azurerm tags, and any literal tags/labels map. Returns the files that
 * changed or were added, with their full content; the rest of each file is
 * kept exactly as it was.
 */
export async function stampTerraform(
  files: FileSet,
  options: TerraformStampOptions,
): Promise<FileSet> {
  const entries = tagEntries(options);
  const inventory = await readInventory(files);
  if (inventory.files.length === 0) {
    return {};
  }

  const edits = new Map<string, TextEdit[]>();
  const addEdits = (file: string, more: TextEdit[] = []) => {
    edits.set(file, [...(edits.get(file) ?? []), ...more]);
  };
  for (const provider of inventory.providers) {
    if (provider.name === 'aws') {
      addEdits(
        provider.file.file,
        stampAwsProvider(provider.file.source, provider.block, entries),
      );
    }
  }
  for (const resource of inventory.resources) {
    addEdits(resource.file.file, stampResource(resource, entries));
  }

  const result: FileSet = {};
  for (const file of inventory.files) {
    const stamped = applyEdits(file.source, edits.get(file.file) ?? []);
    if (stamped !== file.source) result[file.file] = stamped;
  }

  const folder = directoryOf(inventory.files[0].file);
  const tagsFile = folder ? `${folder}/${TAGS_FILE_NAME}` : TAGS_FILE_NAME;
  const blocks: string[] = [];
  const needsAwsProvider =
    inventory.resources.some(resource => isAwsResource(resource.type)) &&
    !inventory.providers.some(
      provider => provider.name === 'aws' && provider.alias === undefined,
    );
  if (needsAwsProvider) {
    blocks.push(renderAwsProvider(entries));
  }
  const { environments } = options;
  if (
    environments.length > 1 &&
    !inventory.variables.has(ENVIRONMENT_VARIABLE)
  ) {
    blocks.push(renderEnvironmentVariable(environments));
  }
  if (blocks.length > 0) {
    result[tagsFile] = appendBlocks(
      result[tagsFile] ?? files[tagsFile],
      blocks,
    );
  }
  if (environments.length > 1) {
    Object.assign(
      result,
      await stampEnvironmentFiles(files, folder, environments),
    );
  }
  return result;
}

function tagEntries(options: TerraformStampOptions): TagEntry[] {
  const { tags, environmentKey, environments } = options;
  if (!environmentKey) {
    throw new InputError('The environment tag key must not be empty');
  }
  if (environments.length === 0) {
    throw new InputError('At least one environment is required');
  }
  if (new Set(environments).size !== environments.length) {
    throw new InputError(`Environments repeat: ${environments.join(', ')}`);
  }
  for (const environment of environments) {
    if (!ENVIRONMENT_NAME_PATTERN.test(environment)) {
      throw new InputError(
        `${JSON.stringify(environment)} is not a valid environment name`,
      );
    }
  }
  const entries: TagEntry[] = Object.entries(tags)
    .filter(([key]) => key !== environmentKey)
    .map(([key, value]) => ({ key, value: { literal: value } }));
  entries.push({
    key: environmentKey,
    value:
      environments.length === 1
        ? { literal: environments[0] }
        : { expression: `var.${ENVIRONMENT_VARIABLE}` },
  });
  return entries;
}

/** Adds or merges `default_tags { tags = { … } }`. */
function stampAwsProvider(
  source: string,
  provider: HclBlock,
  entries: TagEntry[],
): TextEdit[] {
  const defaults = findBlocks(provider, 'default_tags');
  if (defaults.length === 0) {
    return [
      insertIntoBlock(source, provider, [
        'default_tags {',
        ...renderTagsAttribute(entries).map(line => `  ${line}`),
        '}',
      ]),
    ];
  }
  return defaults.flatMap(block => {
    const tags = findAttribute(block, 'tags');
    if (!tags) {
      return [insertIntoBlock(source, block, renderTagsAttribute(entries))];
    }
    return (
      stampTagExpression(source, tags.value, entries, { wrap: true }) ?? []
    );
  });
}

function stampResource(
  resource: TerraformResource,
  entries: TagEntry[],
): TextEdit[] {
  const { source } = resource.file;
  const { block, type } = resource;
  const tags = findAttribute(block, 'tags');
  if (isAwsResource(type)) {
    // Covered by default_tags; resource tags override them, so keep ours there too.
    return tags
      ? stampTagExpression(source, tags.value, entries, { wrap: false }) ?? []
      : [];
  }
  if (isAzurermResource(type)) {
    if (tags) {
      return (
        stampTagExpression(source, tags.value, entries, { wrap: true }) ?? []
      );
    }
    return AZURERM_TAGGABLE_TYPES.has(type)
      ? [insertIntoBlock(source, block, renderTagsAttribute(entries))]
      : [];
  }
  return ['tags', 'labels'].flatMap(name => {
    const attribute = findAttribute(block, name);
    return attribute
      ? stampTagExpression(source, attribute.value, entries, { wrap: false }) ??
          []
      : [];
  });
}
