import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { DeployTargetPicker } from './DeployTargetPicker';
import {
  DEPLOY_TARGET_PICKER_FIELD_NAME,
  DeployTargetPickerSchema,
} from './schema';
import { validateDeployTargetPicker } from './validation';

/** The field for the new frontend system, loaded by the FormFieldBlueprint. */
export const deployTargetPickerFormField = createFormField({
  name: DEPLOY_TARGET_PICKER_FIELD_NAME,
  component: DeployTargetPicker,
  validation: validateDeployTargetPicker,
  schema: DeployTargetPickerSchema,
});
