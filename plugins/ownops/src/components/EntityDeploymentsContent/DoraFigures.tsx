import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Grid, MenuItem, TextField, Typography } from '@material-ui/core';
import { EnvironmentDeploymentStats } from '@ownops/backstage-plugin-common';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { ownopsApiRef } from '../../api';
import { useDeploymentSignal } from '../../hooks/useDeploymentSignal';
import { humanDuration } from '../format';

function frequency(stats: EnvironmentDeploymentStats): string {
  const perDay = stats.deploymentFrequencyPerDay;
  if (perDay === 0) return 'none';
  if (perDay >= 1) return `${perDay.toFixed(1)} per day`;
  return `${(perDay * 7).toFixed(1)} per week`;
}

function Figure(props: { label: string; value: string }) {
  return (
    <Grid item xs={12} sm={4}>
      <Typography variant="caption" color="textSecondary">
        {props.label}
      </Typography>
      <Typography variant="h6" aria-label={props.label}>
        {props.value}
      </Typography>
    </Grid>
  );
}

/** Deployment frequency, change failure rate and time to restore per environment. */
export function DoraFigures(props: { entityRef: string }) {
  const api = useApi(ownopsApiRef);
  const [days, setDays] = useState(30);
  const stats = useAsyncRetry(
    () => api.getDeploymentStats(props.entityRef, { days }),
    [api, props.entityRef, days],
  );
  useDeploymentSignal(props.entityRef, () => stats.retry());

  return (
    <InfoCard
      title="Delivery performance"
      subheader="DORA figures from finished deployments"
      action={
        <TextField
          select
          size="small"
          id="ownops-dora-window"
          label="Window"
          value={days}
          onChange={e => setDays(Number(e.target.value))}
        >
          {[7, 30, 90].map(d => (
            <MenuItem key={d} value={d}>
              Last {d} days
            </MenuItem>
          ))}
        </TextField>
      }
    >
      {stats.loading && !stats.value && <Progress />}
      {stats.error && <ResponseErrorPanel error={stats.error} />}
      <Grid container spacing={3}>
        {stats.value?.environments.map(env => (
          <Grid item xs={12} md={6} key={env.environment}>
            <section aria-label={`Figures for ${env.environment}`}>
              <Typography variant="subtitle1">
                <strong>{env.environment}</strong>{' '}
                <Typography component="span" variant="caption">
                  {env.succeeded} succeeded, {env.failed} failed
                </Typography>
              </Typography>
              <Grid container spacing={1}>
                <Figure label="Deployment frequency" value={frequency(env)} />
                <Figure
                  label="Change failure rate"
                  value={
                    env.changeFailureRate === null
                      ? '—'
                      : `${Math.round(env.changeFailureRate * 100)}%`
                  }
                />
                <Figure
                  label="Time to restore"
                  value={humanDuration(env.meanTimeToRestoreMs)}
                />
              </Grid>
            </section>
          </Grid>
        ))}
      </Grid>
    </InfoCard>
  );
}
