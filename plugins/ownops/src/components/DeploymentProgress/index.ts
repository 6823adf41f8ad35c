export { DeploymentProgress } from './DeploymentProgress';
