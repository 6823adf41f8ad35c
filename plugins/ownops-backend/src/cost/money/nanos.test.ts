import { decimalToNanos, joinNanos, nanosToDecimal, splitNanos } from './nanos';

describe('nanos', () => {
  it.each([
    ['0', 0n],
    ['1.5', 1_500_000_000n],
    ['-0.25', -250_000_000n],
    ['0.0000008', 800n],
    ['8E-7', 800n],
    ['0.0000000005', 0n], // half, even stays
    ['0.0000000015', 2n], // half, odd rounds up
    ['0.00000000150001', 2n],
    ['0.00000000049', 0n],
    ['-0.0000000015', -2n],
    ['123456789012.123456789', 123456789012123456789n],
  ])('rounds %s half to even into nanos', (text, nanos) => {
    expect(decimalToNanos(text)).toBe(nanos);
  });

  it('refuses what is not a decimal', () => {
    expect(() => decimalToNanos('1,5')).toThrow(TypeError);
  });

  it('splits with the sign on both parts and joins back', () => {
    expect(splitNanos(-1_250_000_000n)).toEqual({
      units: '-1',
      nanos: '-250000000',
    });
    expect(joinNanos('-1', '-250000000')).toBe(-1_250_000_000n);
    expect(joinNanos('3', '-1500000000')).toBe(1_500_000_000n);
    expect(joinNanos(null, null)).toBe(0n);
  });

  it('refuses an imprecise number from the database', () => {
    expect(() => joinNanos(2 ** 60, 0)).toThrow(RangeError);
  });

  it.each([
    [0n, '0'],
    [1n, '0.000000001'],
    [-1n, '-0.000000001'],
    [12_500_000_000n, '12.5'],
    [-250_000_000n, '-0.25'],
  ])('formats %p as %s', (nanos, text) => {
    expect(nanosToDecimal(nanos)).toBe(text);
  });
});
