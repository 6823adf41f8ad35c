import { compareStrings, FileSet } from '../fileSet';
import { parseHcl } from '../hcl/parser';
import {
  HclBlock,
  HclFile,
  stringAttribute,
  textOf,
  findAttribute,
} from '../hcl/model';

export interface TerraformResource {
  file: HclFile;
  block: HclBlock;
  type: string;
  /** `<type>.<name>` */
  address: string;
  /** The alias from `provider = aws.<alias>`, if any. */
  providerAlias?: string;
}

export interface TerraformProvider {
  file: HclFile;
  block: HclBlock;
  name: string;
  alias?: string;
}

export interface TerraformInventory {
  files: HclFile[];
  resources: TerraformResource[];
  providers: TerraformProvider[];
  variables: Set<string>;
}

export function isTerraformFile(path: string): boolean {
  return path.endsWith('.tf');
}

export function directoryOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** Shallowest folder first, then by path: the root module before its modules. */
export function compareModulePaths(a: string, b: string): number {
  const depth = (path: string) => path.split('/').length;
  return depth(a) - depth(b) || compareStrings(a, b);
}

/** Parses every .tf file and lists its providers, resources and variables. */
export async function readInventory(
  files: FileSet,
): Promise<TerraformInventory> {
  const paths = Object.keys(files)
    .filter(isTerraformFile)
    .sort(compareModulePaths);
  const inventory: TerraformInventory = {
    files: [],
    resources: [],
    providers: [],
    variables: new Set(),
  };
  for (const path of paths) {
    const file = await parseHcl(path, files[path]);
    inventory.files.push(file);
    for (const block of file.blocks) {
      const [first, second] = block.labels;
      if (block.type === 'resource' && first && second) {
        inventory.resources.push({
          file,
          block,
          type: first,
          address: `${first}.${second}`,
          providerAlias: providerAlias(file, block),
        });
      } else if (block.type === 'provider' && first) {
        inventory.providers.push({
          file,
          block,
          name: first,
          alias: stringAttribute(file.source, block, 'alias'),
        });
      } else if (block.type === 'variable' && first) {
        inventory.variables.add(first);
      }
    }
  }
  return inventory;
}

function providerAlias(file: HclFile, block: HclBlock): string | undefined {
  const attribute = findAttribute(block, 'provider');
  if (!attribute) return undefined;
  const [, alias] = textOf(file.source, attribute.value.span).trim().split('.');
  return alias || undefined;
}

/**
 * The provider blocks that configure a resource: those with its name and
 * alias, preferring the ones in the resource's own folder.
 */
export function providersFor(
  inventory: TerraformInventory,
  resource: TerraformResource,
  name: string,
): TerraformProvider[] {
  const matching = inventory.providers.filter(
    provider =>
      provider.name === name && provider.alias === resource.providerAlias,
  );
  const folder = directoryOf(resource.file.file);
  const local = matching.filter(
    provider => directoryOf(provider.file.file) === folder,
  );
  return local.length > 0 ? local : matching;
}
