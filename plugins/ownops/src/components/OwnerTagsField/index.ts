export { OwnerTagsField } from './OwnerTagsField';
export { validateOwnerTagsField } from './validation';
export {
  OWNER_TAGS_FIELD_NAME,
  OwnerTagsFieldSchema,
  type OwnerTagsFieldValue,
  type OwnerTagsUiOptions,
} from './schema';
