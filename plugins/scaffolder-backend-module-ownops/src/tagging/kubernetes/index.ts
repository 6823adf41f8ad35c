export { stampKubernetesManifest } from './stamp';
export type { KubernetesStampOptions } from './stamp';
export { verifyKubernetesManifest } from './verify';
