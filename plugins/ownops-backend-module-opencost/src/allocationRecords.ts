import { OwnerTagKeys } from '@ownops/backstage-plugin-common';
import {
  CostRecord,
  isoSeconds,
  monthStart,
} from '@ownops/backstage-plugin-node';
import { amountToDecimal, costNumber } from './amount';

/** One allocation of an OpenCost `/allocation` step, as documented. */
export interface OpenCostAllocation {
  name?: string;
  properties?: { cluster?: string; namespace?: string } & Record<
    string,
    unknown
  >;
  window?: { start?: string; end?: string };
  start?: string;
  end?: string;
  cpuCost?: number | null;
  gpuCost?: number | null;
  ramCost?: number | null;
  pvCost?: number | null;
  networkCost?: number | null;
  loadBalancerCost?: number | null;
  sharedCost?: number | null;
  externalCost?: number | null;
  totalCost?: number | null;
}

/** The `/allocation` answer: one map of key → allocation per step. */
export interface OpenCostAllocationResponse {
  code?: number;
  message?: string;
  data?: Array<Record<string, OpenCostAllocation> | null> | null;
}

/** What OpenCost puts in place of a label an allocation does not have. */
export const UNALLOCATED = '__unallocated__';
/** The key of the cluster's idle cost (capacity nobody requested). */
export const IDLE = '__idle__';

/** Cost components and the FOCUS service category and name each becomes. */
const COMPONENTS: Array<{
  costs: Array<keyof OpenCostAllocation>;
  serviceCategory: string;
  serviceName: string;
}> = [
  {
    costs: ['cpuCost', 'gpuCost', 'ramCost'],
    serviceCategory: 'Compute',
    serviceName: 'Kubernetes compute',
  },
  {
    costs: ['pvCost'],
    serviceCategory: 'Storage',
    serviceName: 'Kubernetes persistent volumes',
  },
  {
    costs: ['networkCost', 'loadBalancerCost'],
    serviceCategory: 'Networking',
    serviceName: 'Kubernetes network',
  },
  {
    costs: ['sharedCost', 'externalCost'],
    serviceCategory: 'Other',
    serviceName: 'Kubernetes shared and external',
  },
];

/** The order of the owner labels in the `aggregate` parameter and the keys. */
export const AGGREGATED_FIELDS = [
  'entity',
  'owner',
  'costCenter',
  'environment',
] as const;

/**
 * A label name as OpenCost and Prometheus store it: every character other
 * than letters, digits and `_` becomes `_` (`backstage-entity` →
 * `backstage_entity`).
 */
export function sanitizeLabelName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, '_');
}

/** `label:a,label:b,…` for the owner tag keys, in {@link AGGREGATED_FIELDS} order. */
export function aggregateParameter(keys: OwnerTagKeys): string {
  return AGGREGATED_FIELDS.map(
    field => `label:${sanitizeLabelName(keys[field])}`,
  ).join(',');
}

/**
 * The owner tags of one aggregation key. OpenCost joins the label values of
 * a multi-aggregation with `/` (label values cannot contain `/`) and writes
 * `__unallocated__` for a missing label; those are left out. Values are kept
 * as they are (an entity ref encoded as `component.default.x`), so cost
 * attribution decodes them the same way as tags from any other source.
 */
export function tagsOfKey(
  key: string,
  keys: OwnerTagKeys,
): Record<string, string> {
  const values = key.split('/');
  if (values.length !== AGGREGATED_FIELDS.length) {
    return {};
  }
  const tags: Record<string, string> = {};
  AGGREGATED_FIELDS.forEach((field, index) => {
    const value = values[index].trim();
    if (value && value !== UNALLOCATED) {
      tags[keys[field]] = value;
    }
  });
  return tags;
}

/** Normalizes an OpenCost time (RFC 3339) to `…Z` without milliseconds. */
function utc(value: string | undefined, what: string): string {
  const time = value ? Date.parse(value) : NaN;
  if (Number.isNaN(time)) {
    throw new TypeError(
      `allocation ${what} ${JSON.stringify(value)} is not a time`,
    );
  }
  return isoSeconds(new Date(time));
}

/**
 * The cost records of one allocation: one per cost component that is not
 * zero. Idle cost is recorded without owner tags, as the resource
 * "Kubernetes idle", so it shows as unallocated spend.
 */
export function allocationRecords(
  key: string,
  allocation: OpenCostAllocation,
  options: { keys: OwnerTagKeys; currency: string; sourceId: string },
): CostRecord[] {
  const start = utc(allocation.window?.start ?? allocation.start, 'start');
  const end = utc(allocation.window?.end ?? allocation.end, 'end');
  // `__idle__`, or `<cluster or node>/__idle__` when OpenCost splits idle.
  const idle = key.split('/').includes(IDLE);
  const tags = idle ? {} : tagsOfKey(key, options.keys);
  let resourceName: string | null = null;
  if (idle) {
    resourceName = 'Kubernetes idle';
  } else if (
    tags[options.keys.entity] === undefined &&
    tags[options.keys.owner] === undefined
  ) {
    resourceName = 'Kubernetes workloads without an entity or owner label';
  }
  const records: CostRecord[] = [];
  for (const component of COMPONENTS) {
    const cost = amountToDecimal(
      component.costs.reduce(
        (sum, name) => sum + costNumber(allocation[name], name),
        0,
      ),
    );
    if (cost === '0') {
      continue;
    }
    records.push({
      chargePeriodStart: start,
      chargePeriodEnd: end,
      billingPeriodStart: isoSeconds(monthStart(new Date(start))),
      billedCost: cost,
      effectiveCost: cost,
      billingCurrency: options.currency,
      serviceCategory: component.serviceCategory,
      serviceName: component.serviceName,
      chargeCategory: 'Usage',
      resourceId: null,
      resourceName,
      regionId: null,
      subAccountId: null,
      tags,
      source: { file: `OpenCost ${options.sourceId} ${key} ${start}` },
    });
  }
  return records;
}
