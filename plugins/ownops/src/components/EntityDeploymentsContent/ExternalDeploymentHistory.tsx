import { InfoCard, Link, Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Box, Chip, Typography } from '@material-ui/core';
import {
  ExternalDeployment,
  ExternalDeploymentList,
} from '@ownops/backstage-plugin-common';
import useAsync from 'react-use/esm/useAsync';
import { ownopsApiRef } from '../../api';
import { errorMessage, relativeTime } from '../format';

type EnvironmentHistory = {
  environment: string;
  list?: ExternalDeploymentList;
  error?: unknown;
};

const STATUS_COLORS: Record<
  ExternalDeployment['status'],
  'primary' | 'secondary' | 'default'
> = {
  succeeded: 'primary',
  failed: 'secondary',
  running: 'default',
  inactive: 'default',
  unknown: 'default',
};

const columns: TableColumn<ExternalDeployment>[] = [
  {
    title: 'Version',
    field: 'version',
    render: row => (
      <Typography variant="body2" style={{ fontFamily: 'monospace' }}>
        {row.version}
      </Typography>
    ),
  },
  {
    title: 'Status',
    field: 'status',
    render: row => (
      <Chip
        size="small"
        label={row.status}
        color={STATUS_COLORS[row.status]}
        variant={row.status === 'inactive' ? 'outlined' : 'default'}
      />
    ),
  },
  {
    title: 'Started',
    field: 'startedAt',
    render: row => (row.startedAt ? relativeTime(row.startedAt) : '—'),
  },
  { title: 'By', field: 'initiatedBy', emptyValue: '—' },
  { title: 'Id', field: 'id' },
  {
    title: '',
    field: 'url',
    render: row => (row.url ? <Link to={row.url}>Open</Link> : null),
  },
];

/**
 * What each environment's deploy target records itself (GitHub deployments,
 * Argo CD history, ReplicaSet revisions), including deploys made outside
 * Ownops. Hidden when no target of the entity keeps a history.
 */
export function ExternalDeploymentHistory(props: {
  entityRef: string;
  environments: string[];
}) {
  const { entityRef, environments } = props;
  const api = useApi(ownopsApiRef);
  const { value: histories } = useAsync(
    () =>
      Promise.all(
        environments.map(async (environment): Promise<EnvironmentHistory> => {
          try {
            return {
              environment,
              list: await api.listExternalDeployments(entityRef, environment),
            };
          } catch (error) {
            return { environment, error };
          }
        }),
      ),
    [api, entityRef, environments.join(',')],
  );
  const shown = (histories ?? []).filter(
    history => history.error || history.list?.available,
  );
  if (shown.length === 0) {
    return null;
  }
  return (
    <InfoCard
      title="Recorded by the deploy targets"
      subheader="The targets' own history, including deploys made outside Ownops"
    >
      {shown.map(({ environment, list, error }) => (
        <Box
          key={environment}
          mb={2}
          aria-label={`Target history for ${environment}`}
          role="region"
        >
          {error ? (
            <Typography color="error" variant="body2">
              {environment}: could not read the target's history:{' '}
              {errorMessage(error)}
            </Typography>
          ) : (
            <Table
              title={`${environment} · ${list!.targetId}${
                list!.targetType ? ` (${list!.targetType})` : ''
              }`}
              options={{ paging: false, search: false, padding: 'dense' }}
              columns={columns}
              data={list!.deployments}
              emptyContent={
                <Box p={2}>
                  <Typography variant="body2">
                    {list!.targetId} has no deployments of this entity to{' '}
                    {environment} on record.
                  </Typography>
                </Box>
              }
            />
          )}
        </Box>
      ))}
    </InfoCard>
  );
}
