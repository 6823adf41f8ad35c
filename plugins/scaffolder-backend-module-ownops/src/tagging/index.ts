/**
 * Stamping and verifying owner tags in generated Terraform/OpenTofu and
 * Kubernetes manifests. Pure functions over file contents, apart from
 * {@link readTextFiles}.
 */
export type { FileSet } from './fileSet';
export { formatTagProblems } from './problems';
export type { TagProblem } from './problems';
export { stampTerraform, verifyTerraform } from './terraform';
export type { TerraformStampOptions } from './terraform';
export {
  stampKubernetesManifest,
  verifyKubernetesManifest,
} from './kubernetes';
export type { KubernetesStampOptions } from './kubernetes';
export { readTextFiles } from './workspace';
