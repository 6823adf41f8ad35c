import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Chip } from '@material-ui/core';
import {
  IsoDay,
  UnallocatedResourceCost,
} from '@ownops/backstage-plugin-common';
import useAsync from 'react-use/esm/useAsync';
import { ownopsApiRef } from '../../api';
import { CostTotals, describeRange, formatPercent } from '../cost';
import { costColumn } from './tables';

const REASONS: Record<string, string> = {
  untagged: 'no owner tags',
  'unknown-entity-tag': 'entity tag names no catalog entity',
};

type Resource = UnallocatedResourceCost & { id: string };

/**
 * Spend nobody owns yet, per currency with its share of all spend, and the
 * costliest resources to tag first.
 */
export function UnallocatedSection(props: {
  range: { from?: IsoDay; to?: IsoDay };
  version: number;
}) {
  const { from, to } = props.range;
  const api = useApi(ownopsApiRef);
  const state = useAsync(
    () => api.getUnallocatedCost(from && to ? { from, to } : {}),
    [api, from, to, props.version],
  );

  let content;
  if (state.loading && !state.value) {
    content = <Progress />;
  } else if (state.error) {
    content = <ResponseErrorPanel error={state.error} />;
  } else {
    const value = state.value!;
    const resources: Resource[] = value.topResources.map(r => ({
      ...r,
      id: `${r.resource}|${r.currency}`,
    }));
    const columns: TableColumn<Resource>[] = [
      {
        title: 'Resource',
        field: 'resource',
        highlight: true,
        render: r => (
          <code style={{ wordBreak: 'break-all' }}>{r.resource}</code>
        ),
      },
      { title: 'Currency', field: 'currency', width: '90px' },
      costColumn<Resource>({
        title: 'Effective cost',
        field: 'effectiveCost',
        amount: r => r.effectiveCost,
        currency: r => r.currency,
      }),
      { title: 'Billing rows', field: 'records', type: 'numeric' },
      {
        title: 'Why unallocated',
        field: 'reasons',
        sorting: false,
        render: r =>
          r.reasons.map(reason => (
            <Chip
              key={reason}
              size="small"
              label={REASONS[reason] ?? reason}
              style={{ marginRight: 4 }}
            />
          )),
      },
    ];
    content = (
      <>
        <CostTotals
          totals={value.totals}
          testId="ownops-finance-unallocated-totals"
          variant="h6"
          empty="Nothing unallocated in this range: every billing row has an owner."
          caption={total => {
            const share = value.share.find(s => s.currency === total.currency);
            return (
              <>
                {share ? formatPercent(share.percent) : '—'} of all{' '}
                {total.currency} spend
              </>
            );
          }}
        />
        {resources.length > 0 && (
          <Table<Resource>
            title="Costliest untagged resources"
            subtitle="Tag these first (owner tags on the cloud resource)"
            columns={columns}
            data={resources}
            options={{
              paging: false,
              search: false,
              padding: 'dense',
              draggable: false,
              toolbar: true,
            }}
          />
        )}
      </>
    );
  }
  return (
    <div data-testid="ownops-finance-unallocated">
      <InfoCard
        title="Unallocated spend"
        subheader={
          state.value
            ? describeRange(state.value.from, state.value.to)
            : undefined
        }
      >
        {content}
      </InfoCard>
    </div>
  );
}
