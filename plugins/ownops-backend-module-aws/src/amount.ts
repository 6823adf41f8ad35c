const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;
const SCIENTIFIC = /^(-?)(\d+)(?:\.(\d+))?[eE]([+-]?\d+)$/;

/**
 * A Cost Explorer amount (a decimal string, e.g. `40.35` or, rarely,
 * `1.2E-7`) as a plain decimal string, exactly. Throws for anything else.
 */
export function plainDecimal(amount: string | undefined): string {
  const text = (amount ?? '').trim();
  if (PLAIN_DECIMAL.test(text)) {
    return text;
  }
  const match = SCIENTIFIC.exec(text);
  if (!match) {
    throw new TypeError(
      `Cost Explorer sent the amount ${JSON.stringify(
        amount,
      )}, which is not a number`,
    );
  }
  const [, sign, whole, fraction = '', exponentText] = match;
  const digits = `${whole}${fraction}`;
  const point = whole.length + Number(exponentText);
  let plain: string;
  if (point <= 0) {
    plain = `0.${'0'.repeat(-point)}${digits}`;
  } else if (point >= digits.length) {
    plain = digits + '0'.repeat(point - digits.length);
  } else {
    plain = `${digits.slice(0, point)}.${digits.slice(point)}`;
  }
  return `${sign}${plain.replace(/^0+(?=\d)/, '')}`;
}

/** Whether a plain decimal string is zero (`0`, `0.000`, `-0`). */
export function isZeroDecimal(decimal: string): boolean {
  return /^-?0*(\.0*)?$/.test(decimal);
}
