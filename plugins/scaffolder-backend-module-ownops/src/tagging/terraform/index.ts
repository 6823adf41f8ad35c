export { stampTerraform } from './stamp';
export type { TerraformStampOptions } from './stamp';
export { verifyTerraform } from './verify';
