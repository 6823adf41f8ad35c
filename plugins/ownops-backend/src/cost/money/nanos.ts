import { normalizeDecimal } from '../focus/decimal';

/** Fraction digits kept in the database: billionths of the currency unit. */
export const NANO_DIGITS = 9;
const NANOS_PER_UNIT = 1_000_000_000n;

/** An amount as stored: whole units and nanos, both with the amount's sign. */
export interface UnitsAndNanos {
  units: string;
  nanos: string;
}

/**
 * Rounds an exact decimal string to nanos, half to even, and returns the
 * total in nanos as a BigInt. Throws a `TypeError` for anything that is not
 * a decimal number.
 */
export function decimalToNanos(value: string): bigint {
  const normalized = normalizeDecimal(value);
  if (normalized === undefined) {
    throw new TypeError(`Not a decimal number: "${value}"`);
  }
  const negative = normalized.startsWith('-');
  const [integer, fraction = ''] = (
    negative ? normalized.slice(1) : normalized
  ).split('.');
  const kept = fraction.slice(0, NANO_DIGITS).padEnd(NANO_DIGITS, '0');
  const dropped = fraction.slice(NANO_DIGITS);
  let magnitude = BigInt(integer + kept);
  if (dropped.length > 0) {
    const half = `5${'0'.repeat(dropped.length - 1)}`;
    const beyondHalf = dropped > half;
    const exactlyHalf = dropped === half;
    if (beyondHalf || (exactlyHalf && magnitude % 2n === 1n)) {
      magnitude += 1n;
    }
  }
  return negative ? -magnitude : magnitude;
}

/** Splits nanos into the stored units and nanos columns. */
export function splitNanos(total: bigint): UnitsAndNanos {
  // BigInt division truncates toward zero, so both parts keep the sign.
  return {
    units: (total / NANOS_PER_UNIT).toString(),
    nanos: (total % NANOS_PER_UNIT).toString(),
  };
}

/** Joins summed units and nanos columns (as returned by SQL sums) into nanos. */
export function joinNanos(
  units: string | number | bigint | null,
  nanos: string | number | bigint | null,
): bigint {
  return toBigInt(units) * NANOS_PER_UNIT + toBigInt(nanos);
}

/** Formats nanos as a canonical decimal string, e.g. `12.5`, `-0.000000001`. */
export function nanosToDecimal(total: bigint): string {
  const negative = total < 0n;
  const digits = (negative ? -total : total)
    .toString()
    .padStart(NANO_DIGITS + 1, '0');
  const integer = digits.slice(0, -NANO_DIGITS);
  const fraction = digits.slice(-NANO_DIGITS).replace(/0+$/, '');
  const magnitude = fraction ? `${integer}.${fraction}` : integer;
  return negative ? `-${magnitude}` : magnitude;
}

function toBigInt(value: string | number | bigint | null): bigint {
  if (value === null) {
    return 0n;
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw new RangeError(
        `Expected an exact integer from the database, got ${value}`,
      );
    }
    return BigInt(value);
  }
  return BigInt(value);
}
