import {
  InfoCard,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  TextField,
} from '@material-ui/core';
import {
  Deployment,
  DEPLOYMENT_STATUSES,
  DeploymentStatus,
  ownopsDeploymentApprovePermission,
} from '@ownops/backstage-plugin-common';
import { useCallback, useEffect, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { ownopsApiRef } from '../../api';
import { useDeploymentSignal } from '../../hooks/useDeploymentSignal';
import { ApprovalActions } from '../ApprovalActions';
import { DeploymentProgress } from '../DeploymentProgress';
import { DeploymentStatusChip } from '../DeploymentStatusChip';
import { humanDuration, relativeTime, shortUser, statusLabel } from '../format';

const PAGE_SIZE = 25;

/** Every deployment of the entity, newest first, filterable, with logs. */
export function DeploymentHistory(props: {
  entityRef: string;
  environments: string[];
}) {
  const { entityRef } = props;
  const api = useApi(ownopsApiRef);
  const identityApi = useApi(identityApiRef);
  const identity = useAsync(
    () => identityApi.getBackstageIdentity(),
    [identityApi],
  );
  const canApprove = usePermission({
    permission: ownopsDeploymentApprovePermission,
    resourceRef: entityRef,
  });
  const [environment, setEnvironment] = useState('');
  const [status, setStatus] = useState<DeploymentStatus | ''>('');
  const [items, setItems] = useState<Deployment[]>([]);
  const [nextCursor, setNextCursor] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error>();
  const [logsOf, setLogsOf] = useState<Deployment>();

  const load = useCallback(
    async (cursor?: string) => {
      setLoading(true);
      try {
        const page = await api.listDeployments(entityRef, {
          environment: environment || undefined,
          status: status || undefined,
          limit: PAGE_SIZE,
          cursor,
        });
        setItems(previous =>
          cursor ? [...previous, ...page.items] : page.items,
        );
        setNextCursor(page.nextCursor);
        setError(undefined);
      } catch (e) {
        setError(e as Error);
      } finally {
        setLoading(false);
      }
    },
    [api, entityRef, environment, status],
  );

  useEffect(() => {
    load();
  }, [load]);
  useDeploymentSignal(entityRef, () => load());

  const columns: TableColumn<Deployment>[] = [
    { title: '#', field: 'id', width: '60px' },
    { title: 'Environment', field: 'environment' },
    { title: 'Version', field: 'version' },
    {
      title: 'Kind',
      render: d =>
        d.kind === 'rollback'
          ? `rollback${d.rollbackOf ? ` of #${d.rollbackOf}` : ''}`
          : 'deploy',
    },
    {
      title: 'Status',
      render: d => (
        <>
          <DeploymentStatusChip status={d.status} />
          {d.failureReason && (
            <Box fontSize="0.75rem" color="text.secondary">
              {d.failureReason}
            </Box>
          )}
        </>
      ),
    },
    { title: 'Requested by', render: d => shortUser(d.requestedBy) },
    {
      title: 'Approved by',
      render: d => (d.approvedBy ? shortUser(d.approvedBy) : '—'),
    },
    { title: 'Reason', render: d => d.reason ?? '—' },
    { title: 'Created', render: d => relativeTime(d.createdAt) },
    { title: 'Duration', render: d => humanDuration(d.durationMs) },
    {
      title: '',
      render: d => (
        <Box display="flex" style={{ gap: 8 }}>
          <Button
            size="small"
            aria-label={`Logs of deployment #${d.id}`}
            onClick={() => setLogsOf(d)}
          >
            Logs
          </Button>
          {d.status === 'awaiting_approval' && (
            <ApprovalActions
              deployment={d}
              userEntityRef={identity.value?.userEntityRef}
              permission={canApprove}
              onChange={() => load()}
            />
          )}
        </Box>
      ),
    },
  ];

  return (
    <InfoCard title="History">
      <Box display="flex" style={{ gap: 16 }} mb={2}>
        <TextField
          select
          size="small"
          id="ownops-history-environment"
          label="Environment"
          value={environment}
          onChange={e => setEnvironment(e.target.value)}
          style={{ minWidth: 160 }}
        >
          <MenuItem value="">All</MenuItem>
          {props.environments.map(name => (
            <MenuItem key={name} value={name}>
              {name}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          size="small"
          id="ownops-history-status"
          label="Status"
          value={status}
          onChange={e => setStatus(e.target.value as DeploymentStatus | '')}
          style={{ minWidth: 160 }}
        >
          <MenuItem value="">All</MenuItem>
          {DEPLOYMENT_STATUSES.map(s => (
            <MenuItem key={s} value={s}>
              {statusLabel(s)}
            </MenuItem>
          ))}
        </TextField>
      </Box>
      {error && <ResponseErrorPanel error={error} />}
      <Table<Deployment>
        isLoading={loading && items.length === 0}
        options={{
          paging: false,
          search: false,
          toolbar: false,
          padding: 'dense',
        }}
        columns={columns}
        data={items}
        emptyContent={<Box p={2}>No deployments match these filters yet.</Box>}
      />
      {nextCursor && (
        <Box mt={2} display="flex" justifyContent="center">
          <Button disabled={loading} onClick={() => load(nextCursor)}>
            Load more
          </Button>
        </Box>
      )}
      {logsOf && (
        <Dialog
          open
          onClose={() => setLogsOf(undefined)}
          fullWidth
          maxWidth="md"
        >
          <DialogTitle>Deployment #{logsOf.id}</DialogTitle>
          <DialogContent>
            <DeploymentProgress deployment={logsOf} />
          </DialogContent>
          <DialogActions>
            <Button onClick={() => setLogsOf(undefined)}>Close</Button>
          </DialogActions>
        </Dialog>
      )}
    </InfoCard>
  );
}
