import { useApi } from '@backstage/core-plugin-api';
import { Box, Typography } from '@material-ui/core';
import { EntityOnCall } from '@ownops/backstage-plugin-common';
import useAsync from 'react-use/esm/useAsync';
import { ownopsApiRef } from '../../api';
import { BudgetStateChip } from '../EntityCostContent/MonthPanel';
import { formatCost, formatPercent } from '../cost';
import { errorMessage } from '../format';

function describeOnCall(onCall: EntityOnCall): string {
  if (onCall.provider === null) {
    return 'No on-call rotation applies to this service.';
  }
  const first = onCall.now.filter(
    shift => shift.escalationLevel === onCall.now[0]?.escalationLevel,
  );
  if (first.length === 0) {
    return `Nobody is on call now (${onCall.provider}).`;
  }
  const names = first
    .map(shift =>
      shift.person.email
        ? `${shift.person.name} <${shift.person.email}>`
        : shift.person.name,
    )
    .join(', ');
  return `${names} (${onCall.provider})`;
}

/**
 * Who is on call for the service and its budget, shown before deploying.
 * Neither ever blocks the deploy: the on-call lookup names its failure, and
 * the budget is left out when it cannot be read (e.g. no `ownops.cost.read`).
 */
export function DeployPreflight(props: { entityRef: string }) {
  const { entityRef } = props;
  const api = useApi(ownopsApiRef);
  const onCall = useAsync(
    () => api.getEntityOnCall(entityRef),
    [api, entityRef],
  );
  const budget = useAsync(async () => {
    try {
      return (await api.getEntityCost(entityRef)).budgetStatus;
    } catch {
      return null;
    }
  }, [api, entityRef]);

  let onCallText: string;
  if (onCall.loading) {
    onCallText = 'Looking up who is on call…';
  } else if (onCall.error) {
    onCallText = `Could not look up who is on call (${errorMessage(
      onCall.error,
    )}).`;
  } else {
    onCallText = onCall.value ? describeOnCall(onCall.value) : '—';
  }
  const status = budget.value;

  return (
    <Box mt={2}>
      <Typography variant="body2" data-testid="ownops-deploy-oncall">
        <strong>On call now:</strong> {onCallText}
      </Typography>
      {status && (
        <Box
          display="flex"
          alignItems="center"
          mt={1}
          data-testid="ownops-deploy-budget"
        >
          <Typography variant="body2" component="span">
            <strong>Budget:</strong>{' '}
            {formatCost(status.monthToDate, status.budget.currency)} of{' '}
            {formatCost(status.budget.amount, status.budget.currency)} this
            month ({formatPercent(status.percentUsed)})&nbsp;
          </Typography>
          <BudgetStateChip state={status.state} />
        </Box>
      )}
    </Box>
  );
}
