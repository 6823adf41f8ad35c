import { useApi } from '@backstage/core-plugin-api';
import { MenuItem, TextField } from '@material-ui/core';
import { EnvironmentState } from '@ownops/backstage-plugin-common';
import { useState } from 'react';
import { ownopsApiRef } from '../../api';
import {
  DeploymentDialog,
  EnvironmentSummary,
  ReasonField,
  reasonProblem,
  useDeploymentSubmission,
} from '../DeploymentDialog';
import { relativeTime, shortUser } from '../format';

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
  const { submit, submitting, error, deployment } = useDeploymentSubmission();

  return (
    <DeploymentDialog
      title={`Roll back ${entityName} in ${environment.name}`}
      confirmLabel="Roll back"
      confirmDisabled={
        submitting || targetId === undefined || !!reasonProblem(reason)
      }
      onConfirm={() =>
        submit(() =>
          api.rollbackTo(
            targetId!,
            reason.trim() ? { reason: reason.trim() } : {},
          ),
        )
      }
      onClose={onClose}
      deployment={deployment}
      error={error}
    >
      <EnvironmentSummary environment={environment} action="rollback" />
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
      <ReasonField
        id="ownops-rollback-reason"
        placeholder="Why roll back? (optional)"
        value={reason}
        onChange={setReason}
      />
    </DeploymentDialog>
  );
}
