import { useApi } from '@backstage/core-plugin-api';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  TextField,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  Deployment,
  describeInvalidVersion,
  EnvironmentState,
  MAX_REASON_LENGTH,
} from '@ownops/backstage-plugin-common';
import { useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { ownopsApiRef } from '../../api';
import { DeploymentProgress } from '../DeploymentProgress';
import { errorMessage } from '../format';

function newIdempotencyKey(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random()}`;
}

/** Asks for a version, then deploys it and shows the live progress. */
export function DeployDialog(props: {
  entityRef: string;
  entityName: string;
  environment: EnvironmentState;
  onClose: () => void;
}) {
  const { entityRef, entityName, environment, onClose } = props;
  const api = useApi(ownopsApiRef);
  const idempotencyKey = useMemo(newIdempotencyKey, []);
  const [version, setVersion] = useState<string>();
  const [reason, setReason] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<Error>();
  const [deployment, setDeployment] = useState<Deployment>();

  const versions = useAsync(
    () => api.listVersions(entityRef, environment.name),
    [api, entityRef, environment.name],
  );
  const listed = versions.value?.listed ?? false;
  const suggested = versions.value?.versions.find(
    v => v.version !== environment.current?.version,
  )?.version;
  const chosen = version ?? (listed ? suggested ?? '' : '');
  const versionProblem = chosen ? describeInvalidVersion(chosen) : undefined;
  const reasonProblem =
    reason.length > MAX_REASON_LENGTH
      ? `At most ${MAX_REASON_LENGTH} characters`
      : undefined;

  const submit = async () => {
    setSubmitting(true);
    setError(undefined);
    try {
      setDeployment(
        await api.createDeployment(
          entityRef,
          {
            environment: environment.name,
            version: chosen,
            ...(reason.trim() && { reason: reason.trim() }),
          },
          { idempotencyKey },
        ),
      );
    } catch (e) {
      setError(e as Error);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="md">
      <DialogTitle>
        Deploy {entityName} to {environment.name}
      </DialogTitle>
      <DialogContent>
        {deployment ? (
          <DeploymentProgress deployment={deployment} />
        ) : (
          <>
            {environment.protected && (
              <Alert severity="info" style={{ marginBottom: 16 }}>
                {capitalize(environment.name)} is protected: this deployment
                waits for approval by someone other than you.
              </Alert>
            )}
            <Typography variant="body2" paragraph>
              Now running:{' '}
              <strong>
                {environment.current?.version ?? 'never deployed'}
              </strong>
            </Typography>
            {versions.error && (
              <Alert severity="warning" style={{ marginBottom: 16 }}>
                Could not list versions ({versions.error.message}); type the
                version instead.
              </Alert>
            )}
            {listed ? (
              <TextField
                select
                fullWidth
                id="ownops-deploy-version"
                margin="normal"
                label="Version"
                value={chosen}
                onChange={e => setVersion(e.target.value)}
              >
                {versions.value!.versions.map(v => (
                  <MenuItem key={v.version} value={v.version}>
                    {v.version}
                    {v.description ? ` — ${v.description}` : ''}
                    {v.version === environment.current?.version
                      ? ' (current)'
                      : ''}
                  </MenuItem>
                ))}
              </TextField>
            ) : (
              <TextField
                fullWidth
                id="ownops-deploy-version"
                margin="normal"
                label="Version"
                disabled={versions.loading}
                value={chosen}
                onChange={e => setVersion(e.target.value)}
                error={!!versionProblem}
                helperText={
                  versionProblem ?? 'A tag, semantic version or commit SHA'
                }
              />
            )}
            <TextField
              fullWidth
              id="ownops-deploy-reason"
              margin="normal"
              label="Reason"
              placeholder="Why this deploy? (optional)"
              value={reason}
              onChange={e => setReason(e.target.value)}
              error={!!reasonProblem}
              helperText={reasonProblem}
            />
          </>
        )}
        {error && (
          <Alert severity="error" role="alert" style={{ marginTop: 16 }}>
            {errorMessage(error)}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
        {!deployment && (
          <Button
            color="primary"
            variant="contained"
            onClick={submit}
            disabled={
              submitting || !chosen || !!versionProblem || !!reasonProblem
            }
          >
            Deploy
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}

function capitalize(text: string) {
  return text.charAt(0).toLocaleUpperCase('en-US') + text.slice(1);
}
