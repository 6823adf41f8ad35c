/**
 * Exact decimal strings. Money never goes through JavaScript numbers: values
 * are validated and normalized as text, and added with BigInt.
 */

const DECIMAL = /^([+-]?)(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:[eE]([+-]?\d+))?$/;

/** Exponents beyond this are refused rather than expanded into huge strings. */
const MAX_EXPONENT = 400;

/**
 * Normalizes a decimal number written in plain or exponent notation to a
 * canonical plain decimal string: no exponent, no `+`, no leading zeros in
 * the integer part, no trailing zeros in the fraction, and `0` instead of
 * `-0`. For example `1.2300` → `1.23`, `8E-7` → `0.0000008`, `-0.50` → `-0.5`.
 *
 * Returns `undefined` if `text` is not a decimal number.
 */
export function normalizeDecimal(text: string): string | undefined {
  const match = DECIMAL.exec(text);
  if (!match) {
    return undefined;
  }
  const [, sign, intPart, fracPart, onlyFrac, expText] = match;
  const exponent = expText === undefined ? 0 : Number(expText);
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > MAX_EXPONENT) {
    return undefined;
  }
  let digits: string;
  let pointAt: number; // number of digits before the decimal point
  if (intPart !== undefined) {
    digits = intPart + (fracPart ?? '');
    pointAt = intPart.length;
  } else {
    digits = onlyFrac;
    pointAt = 0;
  }
  pointAt += exponent;
  if (pointAt < 0) {
    digits = '0'.repeat(-pointAt) + digits;
    pointAt = 0;
  } else if (pointAt > digits.length) {
    digits += '0'.repeat(pointAt - digits.length);
  }
  const integer = digits.slice(0, pointAt).replace(/^0+/, '') || '0';
  const fraction = digits.slice(pointAt).replace(/0+$/, '');
  const magnitude = fraction ? `${integer}.${fraction}` : integer;
  const isZero = integer === '0' && fraction === '';
  return sign === '-' && !isZero ? `-${magnitude}` : magnitude;
}

/** Canonical decimals (as `normalizeDecimal` returns them) skip normalizing. */
const CANONICAL = /^-?(?:0|[1-9]\d*)(?:\.\d*[1-9])?$/;

/** A decimal as digits and scale: `-1.25` → `{ digits: -125n, scale: 2 }`. */
function toDigits(value: string): { digits: bigint; scale: number } {
  const normalized = CANONICAL.test(value) ? value : normalizeDecimal(value);
  if (normalized === undefined) {
    throw new TypeError(`Not a decimal number: "${value}"`);
  }
  const point = normalized.indexOf('.');
  if (point === -1) {
    return { digits: BigInt(normalized), scale: 0 };
  }
  return {
    digits: BigInt(normalized.slice(0, point) + normalized.slice(point + 1)),
    scale: normalized.length - point - 1,
  };
}

/**
 * Adds decimal strings exactly (BigInt, no floating point) and returns the
 * normalized sum, for example `addDecimalStrings('0.1', '0.2')` → `'0.3'`.
 * Throws a `TypeError` if an argument is not a decimal number.
 */
export function addDecimalStrings(...values: string[]): string {
  const parts = values.map(toDigits);
  const scale = Math.max(0, ...parts.map(p => p.scale));
  let total = 0n;
  for (const part of parts) {
    total +=
      part.scale === scale
        ? part.digits
        : part.digits * 10n ** BigInt(scale - part.scale);
  }
  const negative = total < 0n;
  const digits = (negative ? -total : total)
    .toString()
    .padStart(scale + 1, '0');
  const integer = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  const magnitude = fraction ? `${integer}.${fraction}` : integer;
  return negative && magnitude !== '0' ? `-${magnitude}` : magnitude;
}
