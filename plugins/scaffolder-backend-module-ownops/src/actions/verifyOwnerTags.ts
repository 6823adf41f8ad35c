import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { OwnopsScaffolderConfig } from '../config';
import { verifyCatalogInfo } from '../catalogInfo/catalogInfo';
import {
  formatTagProblems,
  TagProblem,
  verifyKubernetesManifest,
  verifyTerraform,
} from '../tagging';
import { assertNoSymlinks } from '../input/assertNoSymlinks';
import {
  layoutInputSchema,
  readCatalogInfo,
  readDirs,
  readManifests,
  resolveLayout,
} from './layout';

export const VERIFY_OWNER_TAGS_ACTION_ID = 'ownops:tags:verify';

const examples = [
  {
    description:
      'Fail the run unless every resource carries every owner tag, before anything is published',
    example: `steps:
  - id: verify
    name: Verify owner tags
    action: ownops:tags:verify
    input:
      entityRef: \${{ steps.tags.output.entityRef }}
      ownerRef: \${{ steps.tags.output.ownerRef }}
      costCenter: \${{ steps.tags.output.costCenter }}
      environments: \${{ steps.tags.output.environments }}
      deployTarget: \${{ steps.tags.output.deployTarget }}`,
  },
];

export function createVerifyOwnerTagsAction(options: {
  config: OwnopsScaffolderConfig;
}) {
  const { config } = options;
  return createTemplateAction({
    id: VERIFY_OWNER_TAGS_ACTION_ID,
    description:
      'Fails the task, listing each file, resource and missing key, unless every taggable resource in the generated Terraform/OpenTofu and Kubernetes manifests carries every owner tag and catalog-info.yaml names the owner',
    examples,
    supportsDryRun: true,
    schema: {
      input: layoutInputSchema,
      output: {
        checkedFiles: z => z.array(z.string()).describe('Files checked'),
      },
    },
    async handler(ctx) {
      const layout = resolveLayout(ctx.input, config);
      const workspace = ctx.workspacePath;
      await assertNoSymlinks(workspace);

      const required = layout.tagSet.requiredKeys;
      const terraform = await readDirs(workspace, layout.terraformDirs, [
        '.tf',
      ]);
      const problems: TagProblem[] = await verifyTerraform(terraform, required);
      const manifests = await readManifests(workspace, layout);
      for (const manifest of manifests) {
        problems.push(
          ...verifyKubernetesManifest(manifest.file, manifest.source, required),
        );
      }
      problems.push(
        ...verifyCatalogInfo(
          layout.catalogInfoPath,
          await readCatalogInfo(workspace, layout.catalogInfoPath),
          layout.ownership,
        ),
      );
      const checkedFiles = [
        ...Object.keys(terraform),
        ...manifests.map(m => m.file),
        layout.catalogInfoPath,
      ].sort();
      if (problems.length > 0) {
        throw new InputError(
          `Owner tags are missing, so nothing was published:\n${formatTagProblems(
            problems,
          )}`,
        );
      }
      ctx.logger.info(
        `Every resource in ${checkedFiles.length} files carries ${required.join(
          ', ',
        )}`,
      );
      ctx.output('checkedFiles', checkedFiles);
    },
  });
}
