import { InputError } from '@backstage/errors';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputProblems, describeUnsafeRelativePath } from '../input/safeInput';
import { CatalogInfoOwnership } from '../catalogInfo/catalogInfo';
import { buildOwnerTagSet, OwnerTagSet } from '../tagSet';
import { OwnopsScaffolderConfig } from '../config';
import { FileSet, readTextFiles } from '../tagging';
import { promises as fs } from 'node:fs';
import type { z as zodV3 } from 'zod/v3';

type Zod = typeof zodV3;
import { dirname, relative, sep } from 'node:path';

/** Where a template keeps what must carry owner tags. Shared by stamp and verify. */
export const layoutInputSchema = {
  entityRef: (z: Zod) =>
    z.string().describe('The new component, from ownops:tags:resolve'),
  ownerRef: (z: Zod) =>
    z.string().describe('The owning group, from ownops:tags:resolve'),
  costCenter: (z: Zod) =>
    z.string().describe('The cost center, from ownops:tags:resolve'),
  environments: (z: Zod) =>
    z.array(z.string()).describe('The environments, from ownops:tags:resolve'),
  deployTarget: (z: Zod) =>
    z.string().describe('The deploy target, from ownops:tags:resolve'),
  terraformDirs: (z: Zod) =>
    z
      .array(z.string())
      .optional()
      .describe('Folders with Terraform/OpenTofu files (default: [infra])'),
  kubernetesDirs: (z: Zod) =>
    z
      .array(z.string())
      .optional()
      .describe(
        'Folders with Kubernetes manifests, one sub-folder per environment when there are several (default: [k8s])',
      ),
  catalogInfoPath: (z: Zod) =>
    z
      .string()
      .optional()
      .describe('The catalog entry to stamp (default: catalog-info.yaml)'),
};

export interface LayoutInput {
  entityRef: string;
  ownerRef: string;
  costCenter: string;
  environments: string[];
  deployTarget: string;
  terraformDirs?: string[];
  kubernetesDirs?: string[];
  catalogInfoPath?: string;
}

export interface ResolvedLayout {
  tagSet: OwnerTagSet;
  ownership: CatalogInfoOwnership;
  terraformDirs: string[];
  kubernetesDirs: string[];
  catalogInfoPath: string;
}

/** Validates the paths and the owner tags before any file is read or written. */
export function resolveLayout(
  input: LayoutInput,
  config: OwnopsScaffolderConfig,
): ResolvedLayout {
  const terraformDirs = input.terraformDirs ?? ['infra'];
  const kubernetesDirs = input.kubernetesDirs ?? ['k8s'];
  const catalogInfoPath = input.catalogInfoPath ?? 'catalog-info.yaml';
  const problems = new InputProblems();
  terraformDirs.forEach((dir, i) => {
    const problem = describeUnsafeRelativePath(dir);
    if (problem) problems.add(`terraformDirs[${i}]`, problem);
  });
  kubernetesDirs.forEach((dir, i) => {
    const problem = describeUnsafeRelativePath(dir);
    if (problem) problems.add(`kubernetesDirs[${i}]`, problem);
  });
  const catalogProblem = describeUnsafeRelativePath(catalogInfoPath);
  if (catalogProblem) problems.add('catalogInfoPath', catalogProblem);
  problems.throwIfAny('Invalid template input');

  const tagSet = buildOwnerTagSet(input, config.tagKeys);
  return {
    tagSet,
    ownership: {
      entityRef: input.entityRef,
      ownerRef: input.ownerRef,
      costCenter: input.costCenter,
      environments: tagSet.environments,
      deployTarget: input.deployTarget,
    },
    terraformDirs,
    kubernetesDirs,
    catalogInfoPath,
  };
}

export async function readDirs(
  workspacePath: string,
  dirs: string[],
  extensions: string[],
): Promise<FileSet> {
  const files: FileSet = {};
  for (const dir of dirs) {
    Object.assign(files, await readTextFiles(workspacePath, dir, extensions));
  }
  return files;
}

/**
 * The environment a manifest belongs to: the first folder below its
 * Kubernetes folder when that is an environment, or the only environment.
 */
export function environmentOfManifest(
  file: string,
  kubernetesDir: string,
  environments: string[],
): string {
  const below = relative(kubernetesDir, file).split(sep);
  if (below.length > 1 && environments.includes(below[0])) {
    return below[0];
  }
  if (environments.length === 1) {
    return environments[0];
  }
  throw new InputError(
    `${file}: cannot tell its environment; with several environments put each manifest under ${kubernetesDir}/<environment>/ (${environments.join(
      ', ',
    )})`,
  );
}

export async function readManifests(
  workspacePath: string,
  layout: ResolvedLayout,
): Promise<Array<{ file: string; source: string; environment: string }>> {
  const manifests = [];
  for (const dir of layout.kubernetesDirs) {
    const files = await readTextFiles(workspacePath, dir, ['.yaml', '.yml']);
    for (const [file, source] of Object.entries(files)) {
      manifests.push({
        file,
        source,
        environment: environmentOfManifest(
          file,
          dir,
          layout.tagSet.environments,
        ),
      });
    }
  }
  return manifests;
}

export async function readCatalogInfo(
  workspacePath: string,
  catalogInfoPath: string,
): Promise<string> {
  const path = resolveSafeChildPath(workspacePath, catalogInfoPath);
  const stat = await fs.lstat(path).catch(() => undefined);
  if (!stat || !stat.isFile()) {
    throw new InputError(
      `${catalogInfoPath} is missing from the generated files; the template must describe the new component there`,
    );
  }
  return fs.readFile(path, 'utf8');
}

/** Writes every file only after all of them were computed. */
export async function writeFiles(workspacePath: string, files: FileSet) {
  for (const [file, content] of Object.entries(files)) {
    const path = resolveSafeChildPath(workspacePath, file);
    await fs.mkdir(dirname(path), { recursive: true });
    await fs.writeFile(path, content, 'utf8');
  }
}
