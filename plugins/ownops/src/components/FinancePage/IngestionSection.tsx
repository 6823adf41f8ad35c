import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  StatusRunning,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { Box, Button, Tooltip, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  CostIngestionRun,
  CostIngestionStatus,
  ownopsCostIngestPermission,
} from '@ownops/backstage-plugin-common';
import { useEffect, useRef, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { ownopsApiRef } from '../../api';
import { useInterval } from '../../hooks/useInterval';
import { formatPercent, isConflict } from '../cost';
import { errorMessage, relativeTime } from '../format';

const POLL_MS = 5000;

type SourceRow = CostIngestionStatus['sources'][number] & { id: string };

function RunStatus(props: { run: CostIngestionRun | null }) {
  const { run } = props;
  if (!run) return <span>never run</span>;
  if (run.status === 'running') return <StatusRunning>running</StatusRunning>;
  if (run.status === 'failed') return <StatusError>failed</StatusError>;
  return <StatusOK>succeeded</StatusOK>;
}

function when(iso: string | undefined): string {
  return iso ? `${iso.replace('T', ' ').slice(0, 19)} UTC` : '—';
}

function describeRuns(runs: CostIngestionRun[]): string {
  if (runs.length === 0) return 'No cost source is configured.';
  return `Started ${runs.length} ${runs.length === 1 ? 'run' : 'runs'}: ${runs
    .map(run => `${run.source} (#${run.id}, ${run.status})`)
    .join(', ')}`;
}

/**
 * The last ingestion run of each cost source, and "Ingest now" for those
 * allowed to start one (`ownops.cost.ingest`).
 */
export function IngestionSection(props: { onIngested: () => void }) {
  const api = useApi(ownopsApiRef);
  const canIngest = usePermission({ permission: ownopsCostIngestPermission });
  const state = useAsyncRetry(() => api.getCostIngestionStatus(), [api]);
  const [starting, setStarting] = useState(false);
  const [result, setResult] = useState<{
    severity: 'success' | 'info' | 'error';
    message: string;
  }>();

  const running = state.value?.sources.some(
    s => s.lastRun?.status === 'running',
  );
  useInterval(() => state.retry(), running ? POLL_MS : undefined);
  const wasRunning = useRef(false);
  const { onIngested } = props;
  useEffect(() => {
    if (wasRunning.current && !running) {
      // A run finished: the figures may have changed.
      onIngested();
    }
    wasRunning.current = !!running;
  }, [running, onIngested]);

  const ingest = async () => {
    setStarting(true);
    setResult(undefined);
    try {
      const { runs } = await api.startCostIngestion();
      setResult({ severity: 'success', message: describeRuns(runs) });
      state.retry();
    } catch (e) {
      setResult({
        severity: isConflict(e) ? 'info' : 'error',
        message: isConflict(e)
          ? `An ingestion is already running: ${errorMessage(e)}`
          : `Could not start the ingestion: ${errorMessage(e)}`,
      });
    } finally {
      setStarting(false);
    }
  };

  let reason: string | undefined;
  if (canIngest.loading) reason = 'Checking your permissions…';
  else if (!canIngest.allowed) {
    reason =
      'Only those allowed to ingest cost (ownops.cost.ingest) can start an ingestion';
  } else if (running) reason = 'An ingestion is running';
  const button = (
    <Button
      variant="contained"
      color="primary"
      disabled={!!reason || starting}
      onClick={ingest}
      data-testid="ownops-finance-ingest-now"
    >
      {starting ? 'Starting…' : 'Ingest now'}
    </Button>
  );

  const columns: TableColumn<SourceRow>[] = [
    {
      title: 'Source',
      field: 'id',
      highlight: true,
      render: row => (
        <>
          {row.id}
          {row.location && (
            <Typography variant="caption" display="block" color="textSecondary">
              {row.location}
            </Typography>
          )}
        </>
      ),
    },
    {
      title: 'Last run',
      field: 'lastRun.status',
      render: row => (
        <>
          <RunStatus run={row.lastRun} />
          {row.lastRun && (
            <Typography variant="caption" display="block" color="textSecondary">
              #{row.lastRun.id}, {row.lastRun.trigger}
              {row.lastRun.requestedBy ? ` by ${row.lastRun.requestedBy}` : ''}
            </Typography>
          )}
        </>
      ),
    },
    {
      title: 'Started',
      field: 'lastRun.startedAt',
      render: row =>
        row.lastRun ? (
          <span title={when(row.lastRun.startedAt)}>
            {relativeTime(row.lastRun.startedAt)}
          </span>
        ) : (
          '—'
        ),
    },
    {
      title: 'Finished',
      field: 'lastRun.finishedAt',
      render: row => when(row.lastRun?.finishedAt),
    },
    {
      title: 'Rows read',
      field: 'lastRun.rowsRead',
      type: 'numeric',
      render: row =>
        row.lastRun ? (
          <>
            {row.lastRun.rowsRead.toLocaleString('en-US')}
            {row.lastRun.unchangedDeliveries ? (
              <Typography
                variant="caption"
                display="block"
                color="textSecondary"
              >
                {row.lastRun.unchangedDeliveries} unchanged{' '}
                {row.lastRun.unchangedDeliveries === 1
                  ? 'delivery'
                  : 'deliveries'}{' '}
                not read again
              </Typography>
            ) : null}
          </>
        ) : (
          '—'
        ),
    },
    {
      title: 'Rejected',
      field: 'lastRun.rowsRejected',
      type: 'numeric',
      render: row => row.lastRun?.rowsRejected.toLocaleString('en-US') ?? '—',
    },
    {
      title: 'Billing periods',
      field: 'lastRun.billingPeriods',
      render: row => row.lastRun?.billingPeriods.join(', ') || '—',
    },
    {
      title: 'Unallocated',
      field: 'lastRun.unallocatedShare',
      sorting: false,
      render: row =>
        row.lastRun?.unallocatedShare
          .map(s => `${formatPercent(s.percent)} ${s.currency}`)
          .join(', ') || '—',
    },
    {
      title: 'Error',
      field: 'lastRun.error',
      sorting: false,
      render: row =>
        row.lastRun?.error ? (
          <Typography variant="body2" color="error" style={{ maxWidth: 360 }}>
            {row.lastRun.error}
          </Typography>
        ) : (
          '—'
        ),
    },
  ];

  let content;
  if (state.loading && !state.value) {
    content = <Progress />;
  } else if (state.error && !state.value) {
    content = <ResponseErrorPanel error={state.error} />;
  } else {
    const rows = (state.value?.sources ?? []).map(s => ({ ...s, id: s.id }));
    const warnings = rows.filter(row => row.warning);
    content = (
      <>
        {warnings.map(row => (
          <Alert
            key={row.id}
            severity="warning"
            data-testid="ownops-finance-ingest-warning"
            style={{ marginBottom: 8 }}
          >
            {row.warning}
          </Alert>
        ))}
        <Table<SourceRow>
          columns={columns}
          data={rows}
          options={{
            paging: false,
            search: false,
            toolbar: false,
            padding: 'dense',
            draggable: false,
          }}
          emptyContent={
            <Box p={2}>
              <Typography variant="body2">
                No cost source is configured (ownops.cost in app-config).
              </Typography>
            </Box>
          }
        />
      </>
    );
  }

  return (
    <div data-testid="ownops-finance-ingestion">
      <InfoCard
        title="Cost ingestion"
        subheader={
          state.value?.schedule
            ? `Scheduled as task ${state.value.schedule}`
            : undefined
        }
        action={
          <Box mt={1} mr={1}>
            {reason && !starting ? (
              <Tooltip title={reason}>
                <span>{button}</span>
              </Tooltip>
            ) : (
              button
            )}
          </Box>
        }
      >
        {reason && !canIngest.loading && !canIngest.allowed && (
          <Typography
            variant="caption"
            color="textSecondary"
            component="p"
            data-testid="ownops-finance-ingest-reason"
          >
            {reason}.
          </Typography>
        )}
        {result && (
          <Alert
            severity={result.severity}
            role="status"
            data-testid="ownops-finance-ingest-result"
            style={{ marginBottom: 8 }}
          >
            {result.message}
          </Alert>
        )}
        {content}
      </InfoCard>
    </div>
  );
}
