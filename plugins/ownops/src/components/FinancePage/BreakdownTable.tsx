import { Table, TableColumn } from '@backstage/core-components';
import { Box, Link as MuiLink, Typography } from '@material-ui/core';
import {
  CostBreakdown,
  CostBreakdownRow,
} from '@ownops/backstage-plugin-common';
import {
  compareDecimal,
  describeRange,
  formatChange,
  formatCost,
  formatPercent,
  percentOfBudget,
} from '../cost';
import { GROUP_BY_LABELS } from './financeQuery';
import { EntityLink, groupLabel, useEntityCostLink } from './links';

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

function byDecimal(field: keyof CostBreakdownRow) {
  return (a: Row, b: Row) =>
    compareDecimal(
      a[field] as string | undefined,
      b[field] as string | undefined,
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

  const rows: Row[] = breakdown.rows.map(row => ({
    ...row,
    id: `${row.key ?? ''}|${row.currency}`,
    label: groupLabel(groupBy, row),
    actualVsBudget: percentOfBudget(row.effectiveCost, row.budgetForRange),
  }));

  const columns: TableColumn<Row>[] = [
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
                onClick={() => props.onFilterCostCenter(key)}
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
    {
      title: 'Effective cost',
      field: 'effectiveCost',
      type: 'numeric',
      customSort: byDecimal('effectiveCost'),
      render: row => formatCost(row.effectiveCost, row.currency),
    },
    {
      title: 'Billed cost',
      field: 'billedCost',
      type: 'numeric',
      customSort: byDecimal('billedCost'),
      render: row => formatCost(row.billedCost, row.currency),
    },
    {
      title: 'Previous period',
      field: 'previousEffectiveCost',
      type: 'numeric',
      customSort: byDecimal('previousEffectiveCost'),
      render: row => formatCost(row.previousEffectiveCost, row.currency),
    },
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
    columns.push(
      {
        title: 'Budget for range',
        field: 'budgetForRange',
        type: 'numeric',
        customSort: byDecimal('budgetForRange'),
        render: row =>
          row.budgetForRange === undefined
            ? '—'
            : formatCost(row.budgetForRange, row.currency),
      },
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
        options={{
          paging: rows.length > 25,
          pageSize: 25,
          search: rows.length > 10,
          padding: 'dense',
          draggable: false,
        }}
        emptyContent={
          <Box p={2}>
            <Typography variant="body2">
              No cost in this range with these filters.
            </Typography>
          </Box>
        }
      />
    </div>
  );
}
