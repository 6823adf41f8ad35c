import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  TextField,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  Deployment,
  EnvironmentState,
  MAX_REASON_LENGTH,
} from '@ownops/backstage-plugin-common';
import { ReactNode, useState } from 'react';
import { DeploymentProgress } from '../DeploymentProgress';
import { errorMessage } from '../format';

/**
 * Submits a deployment request once at a time and keeps its outcome: the
 * deployment to follow, or the error to show.
 */
export function useDeploymentSubmission() {
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<Error>();
  const [deployment, setDeployment] = useState<Deployment>();
  const submit = async (request: () => Promise<Deployment>) => {
    setSubmitting(true);
    setError(undefined);
    try {
      setDeployment(await request());
    } catch (e) {
      setError(e as Error);
    } finally {
      setSubmitting(false);
    }
  };
  return { submit, submitting, error, deployment };
}

export function reasonProblem(reason: string): string | undefined {
  return reason.length > MAX_REASON_LENGTH
    ? `At most ${MAX_REASON_LENGTH} characters`
    : undefined;
}

/** The optional "why" of a deploy or rollback. */
export function ReasonField(props: {
  id: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
}) {
  const problem = reasonProblem(props.value);
  return (
    <TextField
      fullWidth
      id={props.id}
      margin="normal"
      label="Reason"
      placeholder={props.placeholder}
      value={props.value}
      onChange={e => props.onChange(e.target.value)}
      error={!!problem}
      helperText={problem}
    />
  );
}

/** What runs now in the environment, and whether someone must approve. */
export function EnvironmentSummary(props: {
  environment: EnvironmentState;
  action: 'deployment' | 'rollback';
}) {
  const { environment } = props;
  const name = environment.name;
  return (
    <>
      {environment.protected && (
        <Alert severity="info" style={{ marginBottom: 16 }}>
          {name.charAt(0).toLocaleUpperCase('en-US') + name.slice(1)} is
          protected: this {props.action} waits for approval by someone other
          than you.
        </Alert>
      )}
      <Typography variant="body2" paragraph>
        Now running:{' '}
        <strong>{environment.current?.version ?? 'never deployed'}</strong>
      </Typography>
    </>
  );
}

/**
 * A deploy or rollback dialog: the form until the request is accepted, then
 * the deployment's live progress; errors from the backend in between.
 */
export function DeploymentDialog(props: {
  title: string;
  confirmLabel: string;
  confirmDisabled: boolean;
  onConfirm: () => void;
  onClose: () => void;
  deployment?: Deployment;
  error?: Error;
  children: ReactNode;
}) {
  const { deployment, error } = props;
  return (
    <Dialog open onClose={props.onClose} fullWidth maxWidth="md">
      <DialogTitle>{props.title}</DialogTitle>
      <DialogContent>
        {deployment ? (
          <DeploymentProgress deployment={deployment} />
        ) : (
          props.children
        )}
        {error && (
          <Alert severity="error" role="alert" style={{ marginTop: 16 }}>
            {errorMessage(error)}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Close</Button>
        {!deployment && (
          <Button
            color="primary"
            variant="contained"
            onClick={props.onConfirm}
            disabled={props.confirmDisabled}
          >
            {props.confirmLabel}
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
