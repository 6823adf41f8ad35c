import { Box, Typography } from '@material-ui/core';
import { CostAmount } from '@ownops/backstage-plugin-common';
import { ReactNode } from 'react';
import { formatCost } from './money';

/**
 * Totals side by side, one per currency: the effective cost large with a
 * caption under it, or the `empty` text when there are none.
 */
export function CostTotals(props: {
  totals: readonly CostAmount[];
  testId: string;
  /** Makes the totals a labelled group for assistive technology. */
  label?: string;
  variant?: 'h5' | 'h6';
  empty: ReactNode;
  caption: (total: CostAmount) => ReactNode;
}) {
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      style={{ gap: 24 }}
      mb={2}
      data-testid={props.testId}
      aria-label={props.label}
      role={props.label ? 'group' : undefined}
    >
      {props.totals.length === 0 ? (
        <Typography variant="body2">{props.empty}</Typography>
      ) : (
        props.totals.map(total => (
          <Box key={total.currency}>
            <Typography variant={props.variant ?? 'h5'} component="div">
              {formatCost(total.effectiveCost, total.currency)}
            </Typography>
            <Typography variant="caption" color="textSecondary">
              {props.caption(total)}
            </Typography>
          </Box>
        ))
      )}
    </Box>
  );
}
