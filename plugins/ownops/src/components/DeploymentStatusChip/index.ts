export { DeploymentStatusChip } from "./DeploymentStatusChip";
