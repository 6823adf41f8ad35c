import { addDecimalStrings, normalizeDecimal } from '../focus/decimal';

function negateDecimal(value: string): string {
  const normalized = normalizeDecimal(value);
  if (normalized === undefined) {
    throw new TypeError(`Not a decimal number: "${value}"`);
  }
  if (normalized === '0') {
    return normalized;
  }
  return normalized.startsWith('-') ? normalized.slice(1) : `-${normalized}`;
}

/**
 * Compares two decimal strings exactly (BigInt, no floating point): returns
 * a negative number if `a < b`, `0` if they are equal (`1.50` equals `1.5`)
 * and a positive number if `a > b`. Usable as an `Array#sort` comparator.
 * Throws a `TypeError` if an argument is not a decimal number.
 */
export function compareDecimalStrings(a: string, b: string): number {
  const difference = addDecimalStrings(a, negateDecimal(b));
  if (difference === '0') {
    return 0;
  }
  return difference.startsWith('-') ? -1 : 1;
}
