import { findAttribute, findBlocks } from '../hcl/model';
import { FileSet } from '../fileSet';
import { missingKeys, TagProblem } from '../problems';
import {
  providersFor,
  readInventory,
  TerraformInventory,
  TerraformResource,
} from './inventory';
import {
  AZURERM_TAGGABLE_TYPES,
  isAwsResource,
  isAzurermResource,
} from './resourceTypes';
import {
  notLiteralDetail,
  PARTIAL_MERGE_DETAIL,
  tagMapKeys,
  TagMapKeys,
} from './tagMaps';

/**
 * Checks that every taggable resource in the .tf files carries every required
 * key: aws_* through its provider's default_tags and its own tags, azurerm_*
 * (and anything else with a tags/labels map) through that map.
 */
export async function verifyTerraform(
  files: FileSet,
  requiredKeys: string[],
): Promise<TagProblem[]> {
  const inventory = await readInventory(files);
  const problems: TagProblem[] = [];
  for (const resource of inventory.resources) {
    problems.push(...checkResource(inventory, resource, requiredKeys));
  }
  return problems;
}

function checkResource(
  inventory: TerraformInventory,
  resource: TerraformResource,
  requiredKeys: string[],
): TagProblem[] {
  const problem = (missing: string[], detail?: string): TagProblem => ({
    file: resource.file.file,
    resource: resource.address,
    missingKeys: missing,
    ...(detail ? { detail } : {}),
  });
  const keysOf = (name: string): TagMapKeys | undefined => {
    const attribute = findAttribute(resource.block, name);
    return attribute ? tagMapKeys(attribute.value) : undefined;
  };

  if (isAwsResource(resource.type)) {
    const provider = awsProviderKeys(inventory, resource);
    const own = keysOf('tags');
    const present = new Set(provider.keys);
    if (own?.kind === 'map') own.keys.forEach(key => present.add(key));
    const missing = missingKeys(requiredKeys, present);
    if (missing.length === 0) return [];
    let detail = provider.detail;
    if (own?.kind === 'opaque') detail = notLiteralDetail('tags');
    else if (own?.kind === 'map' && own.partial) detail = PARTIAL_MERGE_DETAIL;
    return [problem(missing, detail)];
  }

  const problems: TagProblem[] = [];
  for (const name of ['tags', 'labels']) {
    let keys = keysOf(name);
    if (!keys && name === 'tags' && AZURERM_TAGGABLE_TYPES.has(resource.type)) {
      keys = { kind: 'map', keys: new Set(), partial: false };
    }
    if (
      !keys ||
      (keys.kind === 'notMap' && !isAzurermResource(resource.type))
    ) {
      continue;
    }
    if (keys.kind !== 'map') {
      problems.push(problem([...requiredKeys], notLiteralDetail(name)));
      continue;
    }
    const missing = missingKeys(requiredKeys, keys.keys);
    if (missing.length > 0) {
      problems.push(
        problem(missing, keys.partial ? PARTIAL_MERGE_DETAIL : undefined),
      );
    }
  }
  return problems;
}

/** The keys an aws resource gets from its provider's default_tags. */
function awsProviderKeys(
  inventory: TerraformInventory,
  resource: TerraformResource,
): { keys: Set<string>; detail?: string } {
  const label = resource.providerAlias
    ? `aws.${resource.providerAlias}`
    : 'aws';
  const providers = providersFor(inventory, resource, 'aws');
  if (providers.length === 0) {
    return {
      keys: new Set(),
      detail: `provider ${label} is not configured in these files`,
    };
  }
  // With several candidate blocks, only keys that all of them set count.
  let keys: Set<string> | undefined;
  let detail: string | undefined;
  for (const provider of providers) {
    const providerKeys = new Set<string>();
    for (const defaultTags of findBlocks(provider.block, 'default_tags')) {
      const tags = findAttribute(defaultTags, 'tags');
      const found = tags ? tagMapKeys(tags.value) : undefined;
      if (found?.kind === 'map') {
        found.keys.forEach(key => providerKeys.add(key));
        if (found.partial) detail = PARTIAL_MERGE_DETAIL;
      } else if (found) {
        detail = `default_tags of provider ${label} is not a literal map, so its keys cannot be checked`;
      }
    }
    keys = keys
      ? new Set([...keys].filter(key => providerKeys.has(key)))
      : providerKeys;
  }
  return { keys: keys ?? new Set(), detail };
}
