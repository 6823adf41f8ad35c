import { TableColumn, TableOptions } from '@backstage/core-components';
import { Box, Typography } from '@material-ui/core';
import { DecimalString } from '@ownops/backstage-plugin-common';
import { ReactNode } from 'react';
import { compareDecimal, formatCost } from '../cost';

/**
 * A numeric column of money amounts: sorted exactly as decimals (missing
 * amounts first) and shown in the row's currency ("—" when missing).
 */
export function costColumn<T extends object>(column: {
  title: string;
  field: string;
  amount: (row: T) => DecimalString | undefined;
  currency: (row: T) => string;
}): TableColumn<T> {
  const { amount, currency } = column;
  return {
    title: column.title,
    field: column.field,
    type: 'numeric',
    customSort: (a, b) => compareDecimal(amount(a), amount(b)),
    render: row => formatCost(amount(row), currency(row)),
  };
}

/** Dense rows; pages past `pageSize` rows and offers search past 10. */
export function pagedTableOptions<T extends object>(
  rowCount: number,
  pageSize: number,
): TableOptions<T> {
  return {
    paging: rowCount > pageSize,
    pageSize,
    search: rowCount > 10,
    padding: 'dense',
    draggable: false,
  };
}

/** What a table shows instead of rows. */
export function TableEmpty(props: { children: ReactNode }) {
  return (
    <Box p={2}>
      <Typography variant="body2">{props.children}</Typography>
    </Box>
  );
}
