import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';

/**
 * The field's value (for display and audit only; the scaffolder actions
 * recompute the tags) and its `ui:options`.
 */
export const OwnerTagsFieldSchema = makeFieldSchema({
  output: z =>
    z
      .object({
        costCenter: z
          .string()
          .optional()
          .describe('The resolved cost center, when it could be resolved'),
        tags: z
          .record(z.string(), z.record(z.string(), z.string()))
          .describe('The owner tags of each environment, key → value'),
      })
      .describe(
        'The owner tags every resource of the new service will carry, per environment',
      ),
  uiOptions: z =>
    z.object({
      nameField: z
        .string()
        .optional()
        .describe('Form field holding the service name. Defaults to "name"'),
      ownerField: z
        .string()
        .optional()
        .describe('Form field holding the owner group. Defaults to "owner"'),
      costCenterField: z
        .string()
        .optional()
        .describe(
          'Form field holding the optional cost center override. Defaults to "costCenter"',
        ),
      environmentsField: z
        .string()
        .optional()
        .describe(
          'Form field holding the environments. Defaults to "environments"',
        ),
    }),
});

export type OwnerTagsFieldValue = typeof OwnerTagsFieldSchema.TOutput;
export type OwnerTagsFieldProps = typeof OwnerTagsFieldSchema.TProps;

/** The `ui:options` of the field: where its sibling values are in the form. */
export interface OwnerTagsUiOptions {
  nameField?: string;
  ownerField?: string;
  costCenterField?: string;
  environmentsField?: string;
}

/** The `ui:field` name templates use. */
export const OWNER_TAGS_FIELD_NAME = 'OwnopsOwnerTags';
