import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { CostBreakdownRow, CostGroupBy } from '@ownops/backstage-plugin-common';
import { ReactNode, useCallback } from 'react';

const COST_TAB_KINDS = ['component', 'group'];

function kindOf(ref: string): string {
  return ref.split(':')[0].toLocaleLowerCase('en-US');
}

/** `component:default/checkout-service` → `checkout-service`. */
export function shortRef(ref: string): string {
  return ref.replace(/^[^:]+:(default\/)?/, '');
}

/**
 * Links to an entity's page: its Cost tab for components and groups, the
 * page itself for other kinds; undefined for a ref that does not parse.
 */
export function useEntityCostLink(): (ref: string) => string | undefined {
  const route = useRouteRef(entityRouteRef);
  return useCallback(
    (ref: string) => {
      try {
        const base = route(entityRouteParams(ref, { encodeParams: true }));
        return COST_TAB_KINDS.includes(kindOf(ref)) ? `${base}/cost` : base;
      } catch {
        return undefined;
      }
    },
    [route],
  );
}

/** The label of a breakdown group. */
export function groupLabel(groupBy: CostGroupBy, row: CostBreakdownRow) {
  if (row.key === null) {
    switch (groupBy) {
      case 'owner':
      case 'entity':
        return 'Unallocated (no owner tags)';
      case 'system':
        return 'No system';
      case 'costCenter':
        return 'No cost center';
      case 'environment':
        return 'No environment tag';
      default:
        return 'Uncategorised';
    }
  }
  if (row.title) return row.title;
  return ['owner', 'entity', 'system'].includes(groupBy)
    ? shortRef(row.key)
    : row.key;
}

/** A real link (`<a href>`) to an entity's cost, or plain text. */
export function EntityLink(props: {
  entityRef: string;
  href?: string;
  children: ReactNode;
}) {
  return props.href ? (
    <Link to={props.href} title={props.entityRef}>
      {props.children}
    </Link>
  ) : (
    <span title={props.entityRef}>{props.children}</span>
  );
}
