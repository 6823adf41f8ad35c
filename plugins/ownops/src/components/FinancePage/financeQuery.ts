import {
  COST_GROUP_BY,
  CostBreakdownQuery,
  CostGroupBy,
} from '@ownops/backstage-plugin-common';
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { isIsoDay } from '../cost';

export const GROUP_BY_LABELS: Record<CostGroupBy, string> = {
  owner: 'Owner',
  costCenter: 'Cost center',
  system: 'System',
  entity: 'Service / entity',
  serviceCategory: 'Service category',
  environment: 'Environment',
};

export const GROUP_BY_OPTIONS = COST_GROUP_BY.map(value => ({
  value,
  label: GROUP_BY_LABELS[value],
}));

/**
 * The finance page's query, kept in the URL (`?groupBy=costCenter&from=…`)
 * so a view can be shared and the browser's back button works. `from` and
 * `to` are both set or both left to the backend; `to` is exclusive.
 */
export function useFinanceQuery(): [
  CostBreakdownQuery,
  (patch: Partial<CostBreakdownQuery>) => void,
] {
  const [params, setParams] = useSearchParams();
  const query = useMemo(() => readQuery(params), [params]);
  const update = useCallback(
    (patch: Partial<CostBreakdownQuery>) => {
      setParams(previous => writeQuery({ ...readQuery(previous), ...patch }), {
        replace: true,
      });
    },
    [setParams],
  );
  return [query, update];
}

export function readQuery(params: URLSearchParams): CostBreakdownQuery {
  const groupBy = params.get('groupBy');
  const from = params.get('from');
  const to = params.get('to');
  const range =
    isIsoDay(from) && isIsoDay(to) && from < to ? { from, to } : undefined;
  return {
    groupBy: (COST_GROUP_BY as readonly string[]).includes(groupBy ?? '')
      ? (groupBy as CostGroupBy)
      : 'owner',
    ...range,
    ...(params.get('costCenter')
      ? { costCenter: params.get('costCenter')! }
      : {}),
    ...(params.get('owner') ? { owner: params.get('owner')! } : {}),
  };
}

function writeQuery(query: CostBreakdownQuery): URLSearchParams {
  const params = new URLSearchParams();
  params.set('groupBy', query.groupBy);
  if (query.from && query.to) {
    params.set('from', query.from);
    params.set('to', query.to);
  }
  if (query.costCenter) params.set('costCenter', query.costCenter);
  if (query.owner) params.set('owner', query.owner);
  return params;
}

/** What the API takes: only the fields that are set. */
export function apiQuery(query: CostBreakdownQuery): CostBreakdownQuery {
  return Object.fromEntries(
    Object.entries(query).filter(([, value]) => value !== undefined),
  ) as CostBreakdownQuery;
}

/** `team-checkout` → `group:default/team-checkout`; refs are lower-case. */
export function normalizeOwnerRef(text: string): string | undefined {
  const trimmed = text.trim().toLocaleLowerCase('en-US');
  if (!trimmed) return undefined;
  if (trimmed.includes(':')) {
    return trimmed.includes('/') ? trimmed : trimmed.replace(':', ':default/');
  }
  return trimmed.includes('/')
    ? `group:${trimmed}`
    : `group:default/${trimmed}`;
}
