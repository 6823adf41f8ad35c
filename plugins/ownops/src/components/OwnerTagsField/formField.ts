import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { OwnerTagsField } from './OwnerTagsField';
import { OWNER_TAGS_FIELD_NAME, OwnerTagsFieldSchema } from './schema';
import { validateOwnerTagsField } from './validation';

/** The field for the new frontend system, loaded by the FormFieldBlueprint. */
export const ownerTagsFormField = createFormField({
  name: OWNER_TAGS_FIELD_NAME,
  component: OwnerTagsField,
  validation: validateOwnerTagsField,
  schema: OwnerTagsFieldSchema,
});
