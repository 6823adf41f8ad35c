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

function toScaled(value: string, scale: number): bigint {
  const normalized = normalizeDecimal(value);
  if (normalized === undefined) {
    throw new TypeError(`Not a decimal number: "${value}"`);
  }
  const negative = normalized.startsWith('-');
  const [integer, fraction = ''] = (
    negative ? normalized.slice(1) : normalized
  ).split('.');
  const scaled = BigInt(integer + fraction.padEnd(scale, '0'));
  return negative ? -scaled : scaled;
}

function fractionLength(value: string): number {
  const normalized = normalizeDecimal(value);
  if (normalized === undefined) {
    throw new TypeError(`Not a decimal number: "${value}"`);
  }
  const point = normalized.indexOf('.');
  return point === -1 ? 0 : normalized.length - point - 1;
}

/**
 * Adds decimal strings exactly (BigInt, no floating point) and returns the
 * normalized sum, for example `addDecimalStrings('0.1', '0.2')` → `'0.3'`.
 * Throws a `TypeError` if an argument is not a decimal number.
 */
export function addDecimalStrings(...values: string[]): string {
  const scale = Math.max(0, ...values.map(fractionLength));
  const total = values.reduce((sum, v) => sum + toScaled(v, scale), 0n);
  const negative = total < 0n;
  const digits = (negative ? -total : total)
    .toString()
    .padStart(scale + 1, '0');
  const integer = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return normalizeDecimal(
    `${negative ? '-' : ''}${integer}.${fraction || '0'}`,
  )!;
}
