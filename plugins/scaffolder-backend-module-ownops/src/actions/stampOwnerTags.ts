import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { OwnopsScaffolderConfig } from '../config';
import { stampCatalogInfo } from '../catalogInfo/catalogInfo';
import { FileSet, stampKubernetesManifest, stampTerraform } from '../tagging';
import {
  layoutInputSchema,
  readCatalogInfo,
  readDirs,
  readManifests,
  resolveLayout,
  writeFiles,
} from './layout';

export const STAMP_OWNER_TAGS_ACTION_ID = 'ownops:tags:stamp';

const examples = [
  {
    description:
      'Stamp the resolved owner tags into infra/ (Terraform), k8s/ and catalog-info.yaml',
    example: `steps:
  - id: stamp
    name: Stamp owner tags
    action: ownops:tags:stamp
    input:
      entityRef: \${{ steps.tags.output.entityRef }}
      ownerRef: \${{ steps.tags.output.ownerRef }}
      costCenter: \${{ steps.tags.output.costCenter }}
      environments: \${{ steps.tags.output.environments }}
      deployTarget: \${{ steps.tags.output.deployTarget }}
      terraformDirs: [infra]
      kubernetesDirs: [k8s]`,
  },
];

export function createStampOwnerTagsAction(options: {
  config: OwnopsScaffolderConfig;
}) {
  const { config } = options;
  return createTemplateAction({
    id: STAMP_OWNER_TAGS_ACTION_ID,
    description:
      'Stamps owner tags into the generated Terraform/OpenTofu (provider default_tags, resource tags), Kubernetes manifests (labels, pod template labels) and catalog-info.yaml',
    examples,
    supportsDryRun: true,
    schema: {
      input: layoutInputSchema,
      output: {
        stampedFiles: z =>
          z.array(z.string()).describe('Files written or created'),
      },
    },
    async handler(ctx) {
      const layout = resolveLayout(ctx.input, config);
      const { tagSet } = layout;
      const workspace = ctx.workspacePath;

      const changed: FileSet = {};
      // .tfvars too, so existing per-environment variable files are extended, not replaced.
      const terraform = await readDirs(workspace, layout.terraformDirs, [
        '.tf',
        '.tfvars',
      ]);
      if (Object.keys(terraform).length > 0) {
        Object.assign(
          changed,
          await stampTerraform(terraform, {
            tags: tagSet.common,
            environmentKey: tagSet.keys.environment,
            environments: tagSet.environments,
          }),
        );
      }
      for (const manifest of await readManifests(workspace, layout)) {
        const stamped = stampKubernetesManifest(
          manifest.file,
          manifest.source,
          { labels: tagSet.byEnvironment[manifest.environment] },
        );
        if (stamped !== manifest.source) changed[manifest.file] = stamped;
      }
      changed[layout.catalogInfoPath] = stampCatalogInfo(
        layout.catalogInfoPath,
        await readCatalogInfo(workspace, layout.catalogInfoPath),
        layout.ownership,
      );

      await writeFiles(workspace, changed);
      const stampedFiles = Object.keys(changed).sort();
      ctx.logger.info(
        `Stamped owner tags into ${
          stampedFiles.length
        } files: ${stampedFiles.join(', ')}`,
      );
      ctx.output('stampedFiles', stampedFiles);
    },
  });
}
