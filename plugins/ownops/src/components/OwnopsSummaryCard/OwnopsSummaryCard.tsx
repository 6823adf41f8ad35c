import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  Box,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import {
  EntitySummary,
  SummaryCost,
  SummaryEnvironment,
} from '@ownops/backstage-plugin-common';
import useAsync from 'react-use/esm/useAsync';
import { ownopsApiRef } from '../../api';
import { formatCost } from '../cost/money';
import { DeploymentStatusChip } from '../DeploymentStatusChip';
import { relativeTime, shortUser } from '../format';
import {
  BudgetStateChip,
  OnCallNow,
  SummarySectionView,
} from './SummarySectionView';

function Deployments(props: { environments: SummaryEnvironment[] }) {
  if (props.environments.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        Not deployed by Ownops
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label="Environments">
      <TableHead>
        <TableRow>
          <TableCell>Environment</TableCell>
          <TableCell>Current version</TableCell>
          <TableCell>Last deploy</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.environments.map(environment => {
          const last = environment.lastDeployment;
          return (
            <TableRow key={environment.environment}>
              <TableCell>{environment.environment}</TableCell>
              <TableCell>{environment.currentVersion ?? 'none'}</TableCell>
              <TableCell>
                {last ? (
                  <>
                    <DeploymentStatusChip status={last.status} />{' '}
                    <Typography variant="caption" color="textSecondary">
                      {last.version}
                      {last.finishedAt
                        ? `, ${relativeTime(last.finishedAt)}`
                        : ''}{' '}
                      by {shortUser(last.requestedBy)}
                    </Typography>
                  </>
                ) : (
                  'never deployed'
                )}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

function Cost(props: { cost: SummaryCost }) {
  const { monthToDate, budgetStatus, month } = props.cost;
  return (
    <>
      <Typography variant="body2" component="div">
        Month to date ({month}):{' '}
        {monthToDate.length === 0
          ? 'no cost yet'
          : monthToDate.map((amount, index) => (
              <span key={amount.currency} data-testid="ownops-summary-mtd">
                {index > 0 ? ', ' : ''}
                <strong>
                  {formatCost(amount.effectiveCost, amount.currency)}
                </strong>
              </span>
            ))}
      </Typography>
      {budgetStatus ? (
        <Box display="flex" alignItems="center" mt={0.5} style={{ gap: 8 }}>
          <Typography variant="body2" component="span">
            Forecast{' '}
            {formatCost(budgetStatus.forecast, budgetStatus.budget.currency)} of{' '}
            {formatCost(
              budgetStatus.budget.amount,
              budgetStatus.budget.currency,
            )}{' '}
            budget ({budgetStatus.percentUsed}% used)
          </Typography>
          <BudgetStateChip state={budgetStatus.state} />
        </Box>
      ) : (
        <Typography variant="body2" color="textSecondary">
          No budget
        </Typography>
      )}
    </>
  );
}

/** The sections of an entity summary, each with its own error. */
export function EntitySummaryView(props: { summary: EntitySummary }) {
  const { summary } = props;
  return (
    <>
      <SummarySectionView
        title="Deployments"
        testId="ownops-summary-deployments"
        section={summary.deployments}
      >
        {data => <Deployments environments={data} />}
      </SummarySectionView>
      <SummarySectionView
        title="Cost this month"
        testId="ownops-summary-cost"
        section={summary.cost}
      >
        {data => <Cost cost={data} />}
      </SummarySectionView>
      <SummarySectionView
        title="On call now"
        testId="ownops-summary-oncall"
        section={summary.oncall}
      >
        {data => <OnCallNow oncall={data} />}
      </SummarySectionView>
    </>
  );
}

/**
 * Entity page card "Ownops": per environment the current version and the
 * last deployment, this month's cost against the budget, and who is on
 * call now.
 */
export function OwnopsSummaryCard() {
  const { entity } = useEntity();
  const api = useApi(ownopsApiRef);
  const entityRef = stringifyEntityRef(entity);
  const state = useAsync(
    () => api.getEntitySummary(entityRef),
    [api, entityRef],
  );
  let content;
  if (state.loading) {
    content = <Progress />;
  } else if (state.error) {
    content = <ResponseErrorPanel error={state.error} />;
  } else if (state.value) {
    content = <EntitySummaryView summary={state.value} />;
  }
  return (
    <InfoCard title="Ownops">
      <div data-testid="ownops-summary-card">{content}</div>
    </InfoCard>
  );
}
