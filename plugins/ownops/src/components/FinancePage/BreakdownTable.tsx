import { Table, TableColumn } from '@backstage/core-components';
import { Box, Link as MuiLink, Typography } from '@material-ui/core';
import { useMemo, useRef } from 'react';
import {
  CostBreakdown,
  CostBreakdownRow,
} from '@ownops/backstage-plugin-common';
import {
  describeRange,
  formatChange,
  formatPercent,
  percentOfBudget,
} from '../cost';
import { GROUP_BY_LABELS } from './financeQuery';
import { EntityLink, groupLabel, useEntityCostLink } from './links';
import { costColumn, pagedTableOptions, TableEmpty } from './tables';

type Row = CostBreakdownRow & {
  id: string;
  label: string;
  actualVsBudget?: number;
};

const INCREASE = '#c62828';
const DECREASE = '#2e7d32';

function ChangeCell(props: { percent: number | null }) {
  const { percent } = props;
  let color: string | undefined;
  let change = 'flat';
  if (percent === null) change = 'new';
  else if (percent > 0) {
    color = INCREASE;
    change = 'up';
  } else if (percent < 0) {
    color = DECREASE;
    change = 'down';
  }
  return (
    <Typography
      variant="body2"
      component="span"
      style={{ color, fontWeight: color ? 600 : undefined }}
      data-change={change}
    >
      {formatChange(percent)}
    </Typography>
  );
}

/**
 * The breakdown as a sortable table: one row per group and currency, with
 * the previous period, the change and the pro-rated budget where there is
 * one. Owner and entity rows link to the entity's Cost tab.
 */
export function BreakdownTable(props: {
  breakdown: CostBreakdown;
  loading?: boolean;
  onFilterCostCenter: (costCenter: string) => void;
}) {
  const { breakdown } = props;
  const { groupBy } = breakdown;
  const costLink = useEntityCostLink();
  const refGroups = ['owner', 'entity', 'system'].includes(groupBy);
  const hasBudgets = breakdown.rows.some(r => r.budgetForRange !== undefined);
  const onFilterCostCenter = useRef(props.onFilterCostCenter);
  onFilterCostCenter.current = props.onFilterCostCenter;

  // Memoized: the table re-processes all its rows whenever rows or columns
  // are new objects, and the page re-renders several times per load.
  const rows: Row[] = useMemo(
    () =>
      breakdown.rows.map(row => ({
        ...row,
        id: `${row.key ?? ''}|${row.currency}`,
        label: groupLabel(groupBy, row),
        actualVsBudget: percentOfBudget(row.effectiveCost, row.budgetForRange),
      })),
    [breakdown.rows, groupBy],
  );

  const columns = useMemo(() => {
    const shown: TableColumn<Row>[] = [
      {
        title: GROUP_BY_LABELS[groupBy],
        field: 'label',
        highlight: true,
        render: row => {
          if (row.key === null) {
            return <em>{row.label}</em>;
          }
          if (refGroups) {
            return (
              <EntityLink entityRef={row.key} href={costLink(row.key)}>
                {row.label}
              </EntityLink>
            );
          }
          if (groupBy === 'costCenter') {
            const key = row.key;
            return (
              <Box display="flex" alignItems="baseline" style={{ gap: 8 }}>
                <span>{row.label}</span>
                <MuiLink
                  component="button"
                  variant="caption"
                  onClick={() => onFilterCostCenter.current(key)}
                  aria-label={`Show the owners of ${key}`}
                >
                  owners
                </MuiLink>
              </Box>
            );
          }
          return row.label;
        },
      },
      { title: 'Currency', field: 'currency', width: '90px' },
      costColumn<Row>({
        title: 'Effective cost',
        field: 'effectiveCost',
        amount: row => row.effectiveCost,
        currency: row => row.currency,
      }),
      costColumn<Row>({
        title: 'Billed cost',
        field: 'billedCost',
        amount: row => row.billedCost,
        currency: row => row.currency,
      }),
      costColumn<Row>({
        title: 'Previous period',
        field: 'previousEffectiveCost',
        amount: row => row.previousEffectiveCost,
        currency: row => row.currency,
      }),
      {
        title: 'Change',
        field: 'changePercent',
        type: 'numeric',
        customSort: (a, b) =>
          (a.changePercent ?? Number.POSITIVE_INFINITY) -
          (b.changePercent ?? Number.POSITIVE_INFINITY),
        render: row => <ChangeCell percent={row.changePercent} />,
      },
    ];
    if (hasBudgets) {
      shown.push(
        costColumn<Row>({
          title: 'Budget for range',
          field: 'budgetForRange',
          amount: row => row.budgetForRange,
          currency: row => row.currency,
        }),
        {
          title: 'Actual vs budget',
          field: 'actualVsBudget',
          type: 'numeric',
          customSort: (a, b) =>
            (a.actualVsBudget ?? -1) - (b.actualVsBudget ?? -1),
          render: row =>
            row.actualVsBudget === undefined ? (
              '—'
            ) : (
              <span
                style={{
                  color: row.actualVsBudget > 100 ? INCREASE : undefined,
                  fontWeight: row.actualVsBudget > 100 ? 600 : undefined,
                }}
              >
                {formatPercent(row.actualVsBudget)}
              </span>
            ),
        },
      );
    }
    return shown;
  }, [groupBy, hasBudgets, refGroups, costLink]);

  return (
    <div data-testid="ownops-finance-table">
      <Table<Row>
        title={`Cost by ${GROUP_BY_LABELS[groupBy].toLocaleLowerCase('en-US')}`}
        subtitle={`Previous period: ${describeRange(
          breakdown.previousFrom,
          breakdown.previousTo,
        )}`}
        isLoading={props.loading}
        columns={columns}
        data={rows}
        options={pagedTableOptions(rows.length, 25)}
        emptyContent={
          <TableEmpty>No cost in this range with these filters.</TableEmpty>
        }
      />
    </div>
  );
}
