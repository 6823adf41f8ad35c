import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
} from '@backstage/core-components';
import { DeploymentStatus } from '@ownops/backstage-plugin-common';
import { statusLabel } from '../format';

const icons: Record<DeploymentStatus, typeof StatusOK> = {
  succeeded: StatusOK,
  failed: StatusError,
  cancelled: StatusAborted,
  running: StatusRunning,
  queued: StatusPending,
  awaiting_approval: StatusPending,
};

/** A deployment status with its icon. */
export function DeploymentStatusChip(props: { status: DeploymentStatus }) {
  const Icon = icons[props.status];
  return <Icon>{statusLabel(props.status)}</Icon>;
}
