export {
  DeploymentDialog,
  EnvironmentSummary,
  ReasonField,
  reasonProblem,
  useDeploymentSubmission,
} from './DeploymentDialog';
