import {
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { BudgetStatusList } from '@ownops/backstage-plugin-common';
import useAsync from 'react-use/esm/useAsync';
import { ownopsApiRef } from '../../api';
import { describeMonth, formatPercent } from '../cost';
import { BudgetStateChip } from '../EntityCostContent/MonthPanel';
import { EntityLink, shortRef, useEntityCostLink } from './links';
import { costColumn, pagedTableOptions, TableEmpty } from './tables';

type Item = BudgetStatusList['items'][number] & { id: string; name: string };

const STATE_ORDER = { over: 0, 'at-risk': 1, ok: 2 };

/** Every budget this month: month-to-date, forecast, percent used, state. */
export function BudgetsSection(props: { version: number }) {
  const api = useApi(ownopsApiRef);
  const costLink = useEntityCostLink();
  const state = useAsync(() => api.listBudgetStatuses(), [api, props.version]);

  let content;
  if (state.loading && !state.value) {
    content = <Progress />;
  } else if (state.error) {
    content = <ResponseErrorPanel error={state.error} />;
  } else {
    const list = state.value!;
    const items: Item[] = list.items
      .map(item => ({
        ...item,
        id: item.budget.entityRef,
        name: item.title ?? shortRef(item.budget.entityRef),
      }))
      .sort(
        (a, b) =>
          STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
          b.percentUsed - a.percentUsed,
      );
    const columns: TableColumn<Item>[] = [
      {
        title: 'Entity',
        field: 'name',
        highlight: true,
        render: item => (
          <EntityLink
            entityRef={item.budget.entityRef}
            href={costLink(item.budget.entityRef)}
          >
            {item.name}
          </EntityLink>
        ),
      },
      costColumn<Item>({
        title: 'Budget',
        field: 'budget.amount',
        amount: item => item.budget.amount,
        currency: item => item.budget.currency,
      }),
      costColumn<Item>({
        title: 'Month to date',
        field: 'monthToDate',
        amount: item => item.monthToDate,
        currency: item => item.budget.currency,
      }),
      costColumn<Item>({
        title: 'Forecast',
        field: 'forecast',
        amount: item => item.forecast,
        currency: item => item.budget.currency,
      }),
      {
        title: 'Used',
        field: 'percentUsed',
        type: 'numeric',
        render: item => formatPercent(item.percentUsed),
      },
      {
        title: 'Forecast used',
        field: 'forecastPercent',
        type: 'numeric',
        render: item => formatPercent(item.forecastPercent),
      },
      {
        title: 'State',
        field: 'state',
        customSort: (a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state],
        render: item => <BudgetStateChip state={item.state} />,
      },
      {
        title: 'Source',
        field: 'budgetSource',
        render: item =>
          item.budgetSource === 'annotation' ? 'annotation' : 'set',
      },
    ];
    content = (
      <Table<Item>
        title={`Budgets, ${describeMonth(list.month)}`}
        subtitle="Month-to-date and forecast in each budget's currency"
        columns={columns}
        data={items}
        options={pagedTableOptions(items.length, 20)}
        emptyContent={
          <TableEmpty>
            No budgets yet. Owners set them on their Cost tab, in the service
            template, or with the ownops.io/budget annotation.
          </TableEmpty>
        }
      />
    );
  }
  return <div data-testid="ownops-finance-budgets">{content}</div>;
}
