import { Box, Chip, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  BudgetStatus,
  SummaryOnCall,
  SummarySection,
} from '@ownops/backstage-plugin-common';
import { ReactNode } from 'react';
import { relativeTime } from '../format';

/**
 * One section of a summary: a heading, then the section's data, or its own
 * error (or "did not answer in time") inline, so one failing section never
 * hides the others.
 */
export function SummarySectionView<T>(props: {
  title: string;
  testId: string;
  section: SummarySection<T>;
  children: (data: T) => ReactNode;
}) {
  const { section } = props;
  return (
    <Box component="section" mb={2} data-testid={props.testId}>
      <Typography variant="subtitle2" component="h3" gutterBottom>
        {props.title}
      </Typography>
      {section.status === 'ok' ? (
        props.children(section.data)
      ) : (
        <Alert
          severity={section.status === 'timeout' ? 'warning' : 'error'}
          data-testid={`${props.testId}-${section.status}`}
        >
          {section.status === 'timeout'
            ? `Did not answer in time: ${section.error}`
            : section.error}
        </Alert>
      )}
    </Box>
  );
}

const budgetLabels: Record<BudgetStatus['state'], string> = {
  ok: 'within budget',
  'at-risk': 'at risk',
  over: 'over budget',
};

/** The budget state as a small chip. */
export function BudgetStateChip(props: { state: BudgetStatus['state'] }) {
  const { state } = props;
  let color: 'default' | 'primary' | 'secondary' = 'default';
  if (state === 'over') {
    color = 'secondary';
  } else if (state === 'ok') {
    color = 'primary';
  }
  return (
    <Chip
      size="small"
      color={color}
      variant={state === 'at-risk' ? 'outlined' : 'default'}
      label={budgetLabels[state]}
      data-testid="ownops-summary-budget-state"
    />
  );
}

/** Who is on call now (and next) from an on-call section. */
export function OnCallNow(props: { oncall: SummaryOnCall }) {
  const { oncall } = props;
  if (!oncall.provider) {
    return (
      <Typography variant="body2" color="textSecondary">
        No on-call rotation is set up
      </Typography>
    );
  }
  return (
    <>
      {oncall.now.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          Nobody is on call now
        </Typography>
      ) : (
        oncall.now.map(shift => (
          <Typography
            key={`${shift.escalationLevel}-${shift.person.name}`}
            variant="body2"
            data-testid="ownops-summary-oncall-person"
          >
            <strong>{shift.person.name}</strong>
            {shift.person.email ? ` (${shift.person.email})` : ''}
            {oncall.now.length > 1 ? ` · level ${shift.escalationLevel}` : ''}
          </Typography>
        ))
      )}
      {oncall.next && (
        <Typography variant="caption" color="textSecondary" component="p">
          Next: {oncall.next.person.name}
          {oncall.handoffAt ? ` ${relativeTime(oncall.handoffAt)}` : ''}
        </Typography>
      )}
      {oncall.url && (
        <Typography variant="caption" component="p">
          <a href={oncall.url} target="_blank" rel="noopener noreferrer">
            Open in {oncall.provider}
          </a>
        </Typography>
      )}
    </>
  );
}
