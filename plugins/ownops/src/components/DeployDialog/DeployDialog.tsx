import { useApi } from '@backstage/core-plugin-api';
import { MenuItem, TextField } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  describeInvalidVersion,
  EnvironmentState,
} from '@ownops/backstage-plugin-common';
import { useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { ownopsApiRef } from '../../api';
import {
  DeploymentDialog,
  EnvironmentSummary,
  ReasonField,
  reasonProblem,
  useDeploymentSubmission,
} from '../DeploymentDialog';
import { DeployPreflight } from './DeployPreflight';

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
  // A retry of the same request reuses its key, so the backend returns the
  // deployment it already accepted instead of starting a second one; a
  // changed request gets a new key.
  const lastRequest = useRef<{ body: string; key: string }>();
  const idempotencyKeyFor = (body: object) => {
    const serialized = JSON.stringify(body);
    if (lastRequest.current?.body !== serialized) {
      lastRequest.current = { body: serialized, key: newIdempotencyKey() };
    }
    return lastRequest.current.key;
  };
  const [version, setVersion] = useState<string>();
  const [reason, setReason] = useState('');
  const { submit, submitting, error, deployment } = useDeploymentSubmission();

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

  return (
    <DeploymentDialog
      title={`Deploy ${entityName} to ${environment.name}`}
      confirmLabel="Deploy"
      confirmDisabled={
        submitting || !chosen || !!versionProblem || !!reasonProblem(reason)
      }
      onConfirm={() => {
        const request = {
          environment: environment.name,
          version: chosen,
          ...(reason.trim() && { reason: reason.trim() }),
        };
        const idempotencyKey = idempotencyKeyFor(request);
        submit(() =>
          api.createDeployment(entityRef, request, { idempotencyKey }),
        );
      }}
      onClose={onClose}
      deployment={deployment}
      error={error}
    >
      <EnvironmentSummary environment={environment} action="deployment" />
      {versions.error && (
        <Alert severity="warning" style={{ marginBottom: 16 }}>
          Could not list versions ({versions.error.message}); type the version
          instead.
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
              {v.version === environment.current?.version ? ' (current)' : ''}
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
          helperText={versionProblem ?? 'A tag, semantic version or commit SHA'}
        />
      )}
      <ReasonField
        id="ownops-deploy-reason"
        placeholder="Why this deploy? (optional)"
        value={reason}
        onChange={setReason}
      />
      <DeployPreflight entityRef={entityRef} />
    </DeploymentDialog>
  );
}
