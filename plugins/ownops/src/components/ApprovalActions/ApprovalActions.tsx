import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { Button, Tooltip } from '@material-ui/core';
import { Deployment } from '@ownops/backstage-plugin-common';
import { useState } from 'react';
import { ownopsApiRef } from '../../api';
import { errorMessage } from '../format';

/**
 * Approve and Cancel for a deployment awaiting approval. The requester may
 * cancel but never approve their own deployment.
 */
export function ApprovalActions(props: {
  deployment: Deployment;
  userEntityRef?: string;
  permission: { loading: boolean; allowed: boolean };
  onChange: () => void;
}) {
  const { deployment, userEntityRef, permission, onChange } = props;
  const api = useApi(ownopsApiRef);
  const alertApi = useApi(alertApiRef);
  const [busy, setBusy] = useState(false);
  const isRequester = userEntityRef === deployment.requestedBy;

  let approveReason: string | undefined;
  if (permission.loading) {
    approveReason = 'Checking your permissions…';
  } else if (!permission.allowed) {
    approveReason = 'Only the owners of this entity can approve deployments';
  } else if (isRequester) {
    approveReason = 'Needs approval by someone other than the requester';
  }
  const cancelReason =
    isRequester || permission.allowed
      ? undefined
      : 'Only the requester or the owners can cancel';

  const act = async (action: 'approve' | 'cancel') => {
    setBusy(true);
    try {
      if (action === 'approve') {
        await api.approveDeployment(deployment.id);
      } else {
        await api.cancelDeployment(deployment.id);
      }
      onChange();
    } catch (error) {
      alertApi.post({ message: errorMessage(error), severity: 'error' });
    } finally {
      setBusy(false);
    }
  };

  const button = (
    label: string,
    action: 'approve' | 'cancel',
    reason: string | undefined,
  ) => {
    const element = (
      <Button
        size="small"
        variant="outlined"
        aria-label={`${label} deployment #${deployment.id}`}
        disabled={busy || !!reason}
        onClick={() => act(action)}
      >
        {label}
      </Button>
    );
    return reason ? (
      <Tooltip title={reason}>
        <span>{element}</span>
      </Tooltip>
    ) : (
      element
    );
  };

  return (
    <>
      {button('Approve', 'approve', approveReason)}
      {button('Cancel', 'cancel', cancelReason)}
    </>
  );
}
