import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Box, MenuItem, TextField, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { useEffect } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { ownopsApiRef } from '../../api';
import {
  describeDeployTargetProblem,
  describeInvalidDeployTargetId,
  deployTargetLabel,
  initialDeployTarget,
  listFailedMessage,
  NO_DEPLOY_TARGETS_MESSAGE,
} from './deployTargets';
import { DeployTargetPickerProps } from './schema';

/**
 * Scaffolder field `OwnopsDeployTargetPicker`: a select of the deploy targets
 * the Ownops backend reports. It selects the schema default (or the first
 * target) in an untouched form, and falls back to typing the id when the
 * list cannot be loaded.
 */
export function DeployTargetPicker(props: DeployTargetPickerProps) {
  const {
    schema,
    formData,
    onChange,
    onBlur,
    onFocus,
    idSchema,
    rawErrors,
    required,
    disabled,
    readonly,
  } = props;
  const id = idSchema?.$id ?? 'ownops-deploy-target';
  const label = schema?.title ?? 'Deploy target';
  const description = schema?.description;
  const api = useApi(ownopsApiRef);
  const { value, loading, error } = useAsync(
    () => api.listDeployTargets(),
    [api],
  );
  const targets = value?.targets ?? [];

  const initial = value
    ? initialDeployTarget(formData, schema?.default, targets)
    : undefined;
  useEffect(() => {
    if (initial !== undefined) {
      onChange(initial);
    }
  }, [initial, onChange]);

  const hasErrors = (rawErrors?.length ?? 0) > 0;
  const inactive = disabled || readonly;

  if (loading) {
    return (
      <Box my={2}>
        <Typography variant="subtitle2" component="p">
          {label}
        </Typography>
        <Progress aria-label="Loading deploy targets" />
      </Box>
    );
  }

  if (error) {
    // Typing stays possible; only well-formed ids pass, and the run checks
    // the id against the backend.
    const problem = formData
      ? describeInvalidDeployTargetId(formData)
      : undefined;
    return (
      <Box my={1}>
        <Alert severity="warning">
          {listFailedMessage(error)}. Type the target's id instead; it is
          checked when the service is created.
        </Alert>
        <TextField
          id={id}
          fullWidth
          margin="normal"
          label={label}
          value={formData ?? ''}
          required={required}
          disabled={inactive}
          error={!!problem || hasErrors}
          helperText={problem ?? description}
          onChange={e => onChange(e.target.value)}
          onBlur={e => onBlur?.(id, e.target.value)}
          onFocus={e => onFocus?.(id, e.target.value)}
        />
      </Box>
    );
  }

  if (targets.length === 0) {
    return (
      <Box my={1}>
        <Typography variant="subtitle2" component="p">
          {label}
        </Typography>
        <Alert severity="error">{NO_DEPLOY_TARGETS_MESSAGE}</Alert>
      </Box>
    );
  }

  const selected = targets.some(target => target.id === formData)
    ? (formData as string)
    : '';
  // A value that is no target (e.g. from the URL) stays visible as a problem
  // until the user picks one; an empty one is being filled in above.
  const problem = formData
    ? describeDeployTargetProblem(formData, targets)
    : undefined;
  return (
    <TextField
      select
      id={id}
      fullWidth
      margin="normal"
      label={label}
      value={selected}
      required={required}
      disabled={inactive}
      error={!!problem || hasErrors}
      helperText={problem ?? description}
      onChange={e => onChange(e.target.value)}
      onBlur={() => onBlur?.(id, formData)}
      onFocus={() => onFocus?.(id, formData)}
    >
      {targets.map(target => (
        <MenuItem key={target.id} value={target.id}>
          {deployTargetLabel(target)}
        </MenuItem>
      ))}
    </TextField>
  );
}
