import { CostRecord } from '@ownops/backstage-plugin-node';
import { addDecimalStrings } from '../focus/decimal';
import { Attribution, UnallocatedReason } from './attributeCostRecord';
import { compareDecimalStrings } from './compareDecimalStrings';

/** The summed unallocated cost of one resource in one currency. */
export interface UnallocatedResource {
  /** `resourceId`, else `resourceName`, else `serviceName`. */
  resource: string;
  currency: string;
  /** Summed effective cost, exact decimal string. */
  effectiveCost: string;
  records: number;
  /** The reasons seen, sorted. */
  reasons: UnallocatedReason[];
}

function present(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/**
 * Sums the effective cost of unallocated records per resource and currency,
 * to show what most needs tagging. Allocated records are ignored.
 */
export class UnallocatedTracker {
  readonly #entries = new Map<
    string,
    Omit<UnallocatedResource, 'reasons'> & { reasons: Set<UnallocatedReason> }
  >();

  /** Adds a record if it is unallocated; throws on an invalid amount. */
  /** Adds a record, standing for `rows` bill rows once summed. */
  add(record: CostRecord, attribution: Attribution, rows = 1): void {
    const reason = attribution.unallocatedReason;
    if (reason === undefined) {
      return;
    }
    const resource =
      present(record.resourceId) ??
      present(record.resourceName) ??
      record.serviceName;
    const currency = record.billingCurrency.trim().toLocaleUpperCase('en-US');
    const key = JSON.stringify([resource, currency]);
    const existing = this.#entries.get(key);
    const effectiveCost = addDecimalStrings(
      existing?.effectiveCost ?? '0',
      record.effectiveCost,
    );
    if (existing) {
      existing.effectiveCost = effectiveCost;
      existing.records += rows;
      existing.reasons.add(reason);
    } else {
      this.#entries.set(key, {
        resource,
        currency,
        effectiveCost,
        records: rows,
        reasons: new Set([reason]),
      });
    }
  }

  /**
   * The `limit` resources with the highest unallocated effective cost, per
   * currency (amounts in different currencies are never ranked against each
   * other). Ties are ordered by resource name. Keys are sorted currencies.
   */
  top(limit: number): Record<string, UnallocatedResource[]> {
    const byCurrency: Record<string, UnallocatedResource[]> = {};
    const currencies = [
      ...new Set([...this.#entries.values()].map(e => e.currency)),
    ].sort();
    for (const currency of currencies) {
      byCurrency[currency] = [...this.#entries.values()]
        .filter(entry => entry.currency === currency)
        .sort(
          (a, b) =>
            compareDecimalStrings(b.effectiveCost, a.effectiveCost) ||
            (a.resource < b.resource ? -1 : Number(a.resource > b.resource)),
        )
        .slice(0, Math.max(0, limit))
        .map(entry => ({ ...entry, reasons: [...entry.reasons].sort() }));
    }
    return byCurrency;
  }
}
