import { Progress } from '@backstage/core-components';
import { Box, Typography } from '@material-ui/core';
import { useEffect } from 'react';
import { useOwnerLookup } from '../../hooks/useOwnerLookup';
import { useOwnerTagsPolicy } from '../../hooks/useOwnerTagsPolicy';
import {
  ownerTagsFieldNames,
  parseOwnerRef,
  readOwnerTagsFormInput,
  ResolvedOwnerTags,
  resolveFormOwnerTags,
} from '../../lib/ownerTags';
import { OwnerTagsProblems, OwnerTagsTable } from '../OwnerTagsTable';
import { OwnerTagsFieldProps, OwnerTagsFieldValue } from './schema';

const DEFAULT_DESCRIPTION =
  'Every resource created for this service carries these tags, so its cost is found again by owner and cost center. They follow from the name, owner, cost center and environments above.';

/** JSON with sorted keys, to compare values regardless of key order. */
function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : v,
  );
}

/** The field's value: only what resolved cleanly; the actions recompute it. */
export function ownerTagsFieldValue(
  resolved: ResolvedOwnerTags,
): OwnerTagsFieldValue {
  return resolved.tags
    ? { costCenter: resolved.costCenter, tags: resolved.tags }
    : { tags: {} };
}

/**
 * Scaffolder field `OwnopsOwnerTags`: shows, while the form is filled, the
 * owner tags every resource of the new service will carry per environment,
 * and what would make the run refuse them.
 */
export function OwnerTagsField(props: OwnerTagsFieldProps) {
  const { formContext, uiSchema, schema, formData, onChange, idSchema } = props;
  const fields = ownerTagsFieldNames(uiSchema?.['ui:options']);
  const policy = useOwnerTagsPolicy();
  const input = readOwnerTagsFormInput(formContext?.formData, fields);
  const ownerRef = parseOwnerRef(input.owner, fields.ownerField).ref;
  const owner = useOwnerLookup(ownerRef);
  // Pure and cheap: recomputed on every change of the form.
  const resolved = resolveFormOwnerTags(input, owner.value, policy, fields);

  const value = stableStringify(ownerTagsFieldValue(resolved));
  const current = stableStringify(formData ?? null);
  useEffect(() => {
    if (current !== value) {
      onChange(JSON.parse(value));
    }
  }, [current, value, onChange]);

  const titleId = `${idSchema?.$id ?? 'ownerTags'}-title`;
  return (
    <Box
      component="section"
      aria-labelledby={titleId}
      data-testid="ownops-owner-tags-field"
      my={2}
    >
      <Typography variant="h6" id={titleId}>
        {schema?.title ?? 'Owner tags'}
      </Typography>
      <Typography variant="body2" color="textSecondary" paragraph>
        {schema?.description ?? DEFAULT_DESCRIPTION}
      </Typography>
      {owner.loading ? (
        <Progress />
      ) : (
        <>
          {(resolved.ownerRef || resolved.costCenter) && (
            <Typography variant="body2" component="div">
              {resolved.ownerRef && (
                <div>
                  Owner: <strong>{resolved.ownerRef}</strong>
                </div>
              )}
              {resolved.costCenter && (
                <div>
                  Cost center:{' '}
                  <strong data-testid="owner-tags-cost-center">
                    {resolved.costCenter}
                  </strong>{' '}
                  (from {resolved.costCenterSource})
                </div>
              )}
            </Typography>
          )}
          <OwnerTagsProblems problems={resolved.problems} />
          {resolved.tags && (
            <OwnerTagsTable
              tags={resolved.tags}
              keys={policy.keys}
              label="Owner tags per environment"
            />
          )}
        </>
      )}
    </Box>
  );
}
