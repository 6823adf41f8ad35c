export { DeploymentStatusChip } from './DeploymentStatusChip';
