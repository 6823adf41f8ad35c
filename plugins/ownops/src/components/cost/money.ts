import { DecimalString } from '@ownops/backstage-plugin-common';
import { numberFormat } from '../intlFormats';

const SIGNED_DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * A money amount kept as a decimal string, e.g. `USD 1,234.57` or
 * `-USD 0.25`, rounded half away from zero to the currency's minor unit.
 * The string goes to Intl.NumberFormat as is, so the rounding is exact
 * decimal rounding, never floating point.
 */
export function formatCost(
  amount: DecimalString | undefined | null,
  currency: string,
): string {
  if (amount === undefined || amount === null) {
    return '—';
  }
  const text = amount.trim();
  if (!SIGNED_DECIMAL.test(text)) {
    return `${amount} ${currency}`;
  }
  try {
    return numberFormat({
      style: 'currency',
      currency,
      currencyDisplay: 'code',
    })
      .format(text as `${number}`)
      .replace(/\u00a0/g, ' ');
  } catch {
    // An unknown currency code: show the amount as given.
    return `${text} ${currency}`;
  }
}

function parts(value: string): {
  negative: boolean;
  integer: string;
  fraction: string;
} {
  const match = SIGNED_DECIMAL.exec(value.trim());
  if (!match) {
    return { negative: false, integer: '0', fraction: '' };
  }
  const integer = match[2].replace(/^0+(?=\d)/, '');
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  const zero = /^0*$/.test(integer) && fraction === '';
  return { negative: !!match[1] && !zero, integer, fraction };
}

function compareMagnitude(
  a: { integer: string; fraction: string },
  b: { integer: string; fraction: string },
): number {
  if (a.integer.length !== b.integer.length) {
    return a.integer.length < b.integer.length ? -1 : 1;
  }
  if (a.integer !== b.integer) {
    return a.integer < b.integer ? -1 : 1;
  }
  const width = Math.max(a.fraction.length, b.fraction.length);
  const fa = a.fraction.padEnd(width, '0');
  const fb = b.fraction.padEnd(width, '0');
  if (fa === fb) return 0;
  return fa < fb ? -1 : 1;
}

/**
 * Compares two decimal strings exactly: negative when `a < b`, zero when
 * equal, positive when `a > b`. Missing values sort first.
 */
export function compareDecimal(
  a: DecimalString | undefined | null,
  b: DecimalString | undefined | null,
): number {
  if (a === undefined || a === null || b === undefined || b === null) {
    const aMissing = a === undefined || a === null;
    const bMissing = b === undefined || b === null;
    if (aMissing && bMissing) return 0;
    return aMissing ? -1 : 1;
  }
  const pa = parts(a);
  const pb = parts(b);
  if (pa.negative !== pb.negative) {
    return pa.negative ? -1 : 1;
  }
  const magnitude = compareMagnitude(pa, pb);
  return pa.negative ? -magnitude : magnitude;
}

/** True when the decimal string is greater than zero. */
export function isPositive(amount: DecimalString): boolean {
  return compareDecimal(amount, '0') > 0;
}

/** `72.3%`; `—` when unknown. */
export function formatPercent(percent: number | null | undefined): string {
  if (percent === null || percent === undefined || !Number.isFinite(percent)) {
    return '—';
  }
  return `${percent.toFixed(1)}%`;
}

/** `+12.5%`, `-3.0%`; `new` when the previous period had no cost. */
export function formatChange(percent: number | null): string {
  if (percent === null) {
    return 'new';
  }
  const sign = percent > 0 ? '+' : '';
  return `${sign}${percent.toFixed(1)}%`;
}

/**
 * Actual as a percentage of a budget, for display only (a ratio of two
 * amounts in the same currency, not a sum of money). Undefined without a
 * positive budget.
 */
export function percentOfBudget(
  actual: DecimalString,
  budget: DecimalString | undefined,
): number | undefined {
  if (budget === undefined || !isPositive(budget)) {
    return undefined;
  }
  return Math.round((Number(actual) / Number(budget)) * 1000) / 10;
}

/** For charts only: the decimal string as a number of currency units. */
export function toChartNumber(amount: DecimalString): number {
  const value = Number(amount);
  return Number.isFinite(value) ? value : 0;
}
