import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';

/** The field's value: the id of one of the backend's deploy targets. */
export const DeployTargetPickerSchema = makeFieldSchema({
  output: z =>
    z
      .string()
      .describe(
        'The id of an Ownops deploy target, as listed by GET /api/ownops/deploy-targets',
      ),
});

export type DeployTargetPickerProps = typeof DeployTargetPickerSchema.TProps;

/** The `ui:field` name templates use. */
export const DEPLOY_TARGET_PICKER_FIELD_NAME = 'OwnopsDeployTargetPicker';
