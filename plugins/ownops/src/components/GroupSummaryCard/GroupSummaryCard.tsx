import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
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
  GroupCost,
  GroupDeployments,
  GroupSummary,
} from '@ownops/backstage-plugin-common';
import useAsync from 'react-use/esm/useAsync';
import { ownopsApiRef } from '../../api';
import { formatCost } from '../cost/money';
import {
  BudgetStateChip,
  OnCallNow,
  SummarySectionView,
} from '../OwnopsSummaryCard/SummarySectionView';

function Deploys(props: { deployments: GroupDeployments }) {
  const { deployments } = props;
  return (
    <Box display="flex" style={{ gap: 24 }}>
      <Typography variant="body2" data-testid="ownops-group-deploys-week">
        Deploys this week: <strong>{deployments.deploymentsThisWeek}</strong>
      </Typography>
      <Typography variant="body2" data-testid="ownops-group-deploys-failed">
        Failed: <strong>{deployments.failedDeploymentsThisWeek}</strong>
      </Typography>
    </Box>
  );
}

function Cost(props: { cost: GroupCost }) {
  const { cost } = props;
  return (
    <>
      {cost.currencies.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No cost this month ({cost.month})
        </Typography>
      ) : (
        cost.currencies.map(currency => (
          <Typography
            key={currency.currency}
            variant="body2"
            data-testid="ownops-group-cost-currency"
          >
            <strong>
              {formatCost(currency.monthToDate, currency.currency)}
            </strong>{' '}
            this month
            {currency.groupBudget
              ? ` of ${formatCost(
                  currency.groupBudget,
                  currency.currency,
                )} group budget`
              : ''}
            {currency.componentBudgets
              ? `; services ${formatCost(
                  currency.componentsMonthToDate ?? '0',
                  currency.currency,
                )} of ${formatCost(
                  currency.componentBudgets,
                  currency.currency,
                )} (${currency.componentsWithBudget} with a budget)`
              : ''}
          </Typography>
        ))
      )}
      {cost.groupBudgetStatus && (
        <Box mt={0.5}>
          <BudgetStateChip state={cost.groupBudgetStatus.state} />
        </Box>
      )}
      {cost.componentsUnreadable.length > 0 && (
        <Typography variant="caption" color="textSecondary" component="p">
          Budgets you may not read: {cost.componentsUnreadable.join(', ')}
        </Typography>
      )}
    </>
  );
}

function Services(props: { summary: GroupSummary }) {
  const { summary } = props;
  const perService = new Map(
    summary.deployments.status === 'ok'
      ? summary.deployments.data.perService.map(row => [row.entityRef, row])
      : [],
  );
  if (summary.services.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        This group owns no components
      </Typography>
    );
  }
  return (
    <Table
      size="small"
      aria-label="Services"
      data-testid="ownops-group-summary-services"
    >
      <TableHead>
        <TableRow>
          <TableCell>Service</TableCell>
          <TableCell align="right">Deploys this week</TableCell>
          <TableCell align="right">Failed</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {summary.services.map(service => {
          const row = perService.get(service.entityRef);
          return (
            <TableRow key={service.entityRef}>
              <TableCell>
                <EntityRefLink
                  entityRef={service.entityRef}
                  title={service.title}
                />
              </TableCell>
              <TableCell align="right">{row ? row.deployments : '—'}</TableCell>
              <TableCell align="right">{row ? row.failed : '—'}</TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

/** The sections of a group summary, each with its own error. */
export function GroupSummaryView(props: { summary: GroupSummary }) {
  const { summary } = props;
  return (
    <>
      <SummarySectionView
        title="Deploys"
        testId="ownops-group-summary-deploys"
        section={summary.deployments}
      >
        {data => <Deploys deployments={data} />}
      </SummarySectionView>
      <SummarySectionView
        title="Cost this month"
        testId="ownops-group-summary-cost"
        section={summary.cost}
      >
        {data => <Cost cost={data} />}
      </SummarySectionView>
      <SummarySectionView
        title="On call now"
        testId="ownops-group-summary-oncall"
        section={summary.oncall}
      >
        {data => <OnCallNow oncall={data} />}
      </SummarySectionView>
      <Typography variant="subtitle2" component="h3" gutterBottom>
        Services ({summary.entities})
      </Typography>
      <Services summary={summary} />
    </>
  );
}

/**
 * Group page card "Ownops": deploys this week, cost per currency against
 * the budgets, who is on call now, and the group's services.
 */
export function GroupSummaryCard() {
  const { entity } = useEntity();
  const api = useApi(ownopsApiRef);
  const groupRef = stringifyEntityRef(entity);
  const state = useAsync(() => api.getGroupSummary(groupRef), [api, groupRef]);
  let content;
  if (state.loading) {
    content = <Progress />;
  } else if (state.error) {
    content = <ResponseErrorPanel error={state.error} />;
  } else if (state.value) {
    content = <GroupSummaryView summary={state.value} />;
  }
  return (
    <InfoCard title="Ownops">
      <div data-testid="ownops-group-summary-card">{content}</div>
    </InfoCard>
  );
}
