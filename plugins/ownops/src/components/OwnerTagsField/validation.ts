import { configApiRef } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { readOwnerTagPolicy } from '@ownops/backstage-plugin-common';
import {
  lookUpOwner,
  ownerTagsFieldNames,
  parseOwnerRef,
  readOwnerTagsFormInput,
  resolveFormOwnerTags,
} from '../../lib/ownerTags';
import { OwnerTagsFieldValue, OwnerTagsUiOptions } from './schema';

/**
 * Blocks "Next" and "Create" while the owner tags cannot be resolved. It
 * recomputes everything from the form's other fields and the catalog and
 * ignores the field's own value.
 */
export const validateOwnerTagsField: CustomFieldValidator<
  OwnerTagsFieldValue,
  OwnerTagsUiOptions
> = async (_value, validation, context) => {
  const fields = ownerTagsFieldNames(context.uiSchema?.['ui:options']);
  const catalogApi = context.apiHolder.get(catalogApiRef);
  const configApi = context.apiHolder.get(configApiRef);
  if (!catalogApi || !configApi) {
    validation.addError(
      'Owner tags cannot be checked: the catalog or config API is not available',
    );
    return;
  }
  const input = readOwnerTagsFormInput(context.formData, fields);
  const ownerRef = parseOwnerRef(input.owner, fields.ownerField).ref;
  const owner = ownerRef ? await lookUpOwner(catalogApi, ownerRef) : undefined;
  const resolved = resolveFormOwnerTags(
    input,
    owner,
    readOwnerTagPolicy(configApi),
    fields,
  );
  for (const problem of resolved.problems) {
    validation.addError(problem.message);
  }
};
