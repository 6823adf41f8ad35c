export { DeployTargetPicker } from './DeployTargetPicker';
export { validateDeployTargetPicker } from './validation';
export {
  DEPLOY_TARGET_PICKER_FIELD_NAME,
  DeployTargetPickerSchema,
} from './schema';
