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
  EnvironmentState,
  MAX_REASON_LENGTH,
} from '@ownops/backstage-plugin-common';
import { useState } from 'react';
import { ownopsApiRef } from '../../api';
import { DeploymentProgress } from '../DeploymentProgress';
import { errorMessage, relativeTime, shortUser } from '../format';

/** Picks an earlier successful deployment and restores its version. */
export function RollbackDialog(props: {
  entityName: string;
  environment: EnvironmentState;
  onClose: () => void;
}) {
  const { entityName, environment, onClose } = props;
  const api = useApi(ownopsApiRef);
  const candidates = environment.rollbackCandidates;
  const [targetId, setTargetId] = useState<number | undefined>(
    candidates[0]?.id,
  );
  const [reason, setReason] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<Error>();
  const [deployment, setDeployment] = useState<Deployment>();

  const submit = async () => {
    if (targetId === undefined) {
      return;
    }
    setSubmitting(true);
    setError(undefined);
    try {
      setDeployment(
        await api.rollbackTo(
          targetId,
          reason.trim() ? { reason: reason.trim() } : {},
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
        Roll back {entityName} in {environment.name}
      </DialogTitle>
      <DialogContent>
        {deployment ? (
          <DeploymentProgress deployment={deployment} />
        ) : (
          <>
            <Typography variant="body2" paragraph>
              Now running:{' '}
              <strong>
                {environment.current?.version ?? 'never deployed'}
              </strong>
            </Typography>
            {environment.protected && (
              <Alert severity="info" style={{ marginBottom: 16 }}>
                {environment.name} is protected: this rollback waits for
                approval by someone other than you.
              </Alert>
            )}
            <TextField
              select
              fullWidth
              id="ownops-rollback-version"
              margin="normal"
              label="Restore version"
              value={targetId ?? ''}
              onChange={e => setTargetId(Number(e.target.value))}
            >
              {candidates.map(candidate => (
                <MenuItem key={candidate.id} value={candidate.id}>
                  {candidate.version} — deployed{' '}
                  {relativeTime(candidate.finishedAt ?? candidate.createdAt)} by{' '}
                  {shortUser(candidate.requestedBy)} (#{candidate.id})
                </MenuItem>
              ))}
            </TextField>
            <TextField
              fullWidth
              id="ownops-rollback-reason"
              margin="normal"
              label="Reason"
              placeholder="Why roll back? (optional)"
              value={reason}
              onChange={e => setReason(e.target.value)}
              error={reason.length > MAX_REASON_LENGTH}
              helperText={
                reason.length > MAX_REASON_LENGTH
                  ? `At most ${MAX_REASON_LENGTH} characters`
                  : undefined
              }
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
              submitting ||
              targetId === undefined ||
              reason.length > MAX_REASON_LENGTH
            }
          >
            Roll back
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
