/** Fraction digits kept: billionths, the precision Ownops stores. */
export const AMOUNT_FRACTION_DIGITS = 9;

/**
 * A cost field of an OpenCost allocation as a number: missing (`null`,
 * absent) is 0; anything else that is not a finite number is refused.
 */
export function costNumber(value: unknown, field: string): number {
  if (value === null || value === undefined) {
    return 0;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(
      `OpenCost sent ${field} ${JSON.stringify(value)}, which is not a cost`,
    );
  }
  return value;
}

/**
 * A cost as a plain decimal string, rounded to billionths (the precision
 * Ownops stores), without exponent notation or trailing zeros:
 * `1.5e-7` → `0.00000015`, `12` → `12`, `-1e-12` → `0`.
 */
export function amountToDecimal(value: number): string {
  if (!Number.isFinite(value) || Math.abs(value) >= 1e21) {
    throw new TypeError(`${value} cannot be a cost`);
  }
  return value
    .toFixed(AMOUNT_FRACTION_DIGITS)
    .replace(/\.?0+$/, '')
    .replace(/^-0$/, '0');
}
