import { useApi } from '@backstage/core-plugin-api';
import { Box, makeStyles, Typography } from '@material-ui/core';
import { Deployment, DeploymentLogLine } from '@ownops/backstage-plugin-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ownopsApiRef } from '../../api';
import { useDeploymentSignal } from '../../hooks/useDeploymentSignal';
import { useInterval } from '../../hooks/useInterval';
import { DeploymentStatusChip } from '../DeploymentStatusChip';
import { humanDuration, isFinished } from '../format';

const POLL_MS = 1000;

const useStyles = makeStyles(theme => ({
  log: {
    fontFamily: 'monospace',
    fontSize: '0.8rem',
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
    background: theme.palette.background.default,
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    padding: theme.spacing(1),
    maxHeight: 320,
    overflowY: 'auto',
    margin: 0,
  },
  stderr: { color: theme.palette.error.main },
  system: { color: theme.palette.text.secondary, fontStyle: 'italic' },
}));

/**
 * Live status and logs of one deployment: polls while it runs and refreshes
 * at once when the backend signals a change.
 */
export function DeploymentProgress(props: {
  deployment: Deployment;
  onFinished?: (deployment: Deployment) => void;
}) {
  const classes = useStyles();
  const api = useApi(ownopsApiRef);
  const [deployment, setDeployment] = useState(props.deployment);
  const [lines, setLines] = useState<DeploymentLogLine[]>([]);
  const [error, setError] = useState<Error>();
  const lastSeq = useRef(0);
  const logsDone = useRef(false);
  const logRef = useRef<HTMLPreElement>(null);
  const finished = isFinished(deployment.status);
  const { onFinished } = props;
  const streamClass: Record<DeploymentLogLine['stream'], string | undefined> = {
    stdout: undefined,
    stderr: classes.stderr,
    system: classes.system,
  };

  const refresh = useCallback(async () => {
    try {
      const [latest, logs] = await Promise.all([
        api.getDeployment(props.deployment.id),
        logsDone.current
          ? undefined
          : api.getDeploymentLogs(props.deployment.id, {
              after: lastSeq.current,
            }),
      ]);
      if (logs && logs.lines.length > 0) {
        lastSeq.current = logs.lines[logs.lines.length - 1].seq;
        setLines(previous => [...previous, ...logs.lines]);
      }
      if (logs?.finished) {
        logsDone.current = true;
      }
      setDeployment(latest);
      setError(undefined);
    } catch (e) {
      setError(e as Error);
    }
  }, [api, props.deployment.id]);

  useEffect(() => {
    refresh();
  }, [refresh]);
  useInterval(refresh, finished && logsDone.current ? undefined : POLL_MS);
  useDeploymentSignal(props.deployment.entityRef, signal => {
    if (signal.deploymentId === props.deployment.id) {
      refresh();
    }
  });

  useEffect(() => {
    if (finished) {
      onFinished?.(deployment);
    }
  }, [finished, deployment, onFinished]);

  useEffect(() => {
    logRef.current?.scrollTo?.({ top: logRef.current.scrollHeight });
  }, [lines]);

  return (
    <Box>
      <Box display="flex" alignItems="center" mb={1} style={{ gap: 16 }}>
        <Typography variant="body2">
          #{deployment.id}{' '}
          {deployment.kind === 'rollback' ? 'rollback to' : 'deploy of'}{' '}
          <strong>{deployment.version}</strong> to {deployment.environment}
        </Typography>
        <span aria-label="Deployment status" role="status">
          <DeploymentStatusChip status={deployment.status} />
        </span>
        {deployment.durationMs !== undefined && (
          <Typography variant="caption">
            {humanDuration(deployment.durationMs)}
          </Typography>
        )}
      </Box>
      {deployment.status === 'awaiting_approval' && (
        <Typography variant="body2" paragraph>
          Waiting for approval by someone other than you.
        </Typography>
      )}
      {deployment.failureReason && (
        <Typography variant="body2" color="error" paragraph>
          {deployment.failureReason}
        </Typography>
      )}
      {error && (
        <Typography variant="body2" color="error" paragraph>
          Could not refresh the deployment: {error.message}
        </Typography>
      )}
      <pre
        ref={logRef}
        className={classes.log}
        role="log"
        aria-label="Deployment logs"
      >
        {lines.length === 0
          ? 'No output yet'
          : lines.map(line => (
              <div key={line.seq} className={streamClass[line.stream]}>
                {line.message}
              </div>
            ))}
      </pre>
    </Box>
  );
}
