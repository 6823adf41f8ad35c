import fc from 'fast-check';

/**
 * fast-check parameters of the property tests: a fixed seed so a failure
 * reproduces, `defaultRuns` cases unless OWNOPS_PROPERTY_RUNS asks for a
 * longer hunt, and OWNOPS_PROPERTY_SEED to explore other cases.
 */
export function propertyParameters(defaultRuns: number): fc.Parameters<any> {
  return {
    numRuns: Number(process.env.OWNOPS_PROPERTY_RUNS ?? defaultRuns),
    seed: Number(process.env.OWNOPS_PROPERTY_SEED ?? 20261127),
    verbose: 1,
  };
}

/** Strings an attacker or a broken client sends. */
export const ATTACKS = [
  '${{ secrets.GITHUB_TOKEN }}',
  '{% include "/etc/passwd" %}',
  '{{ 7 * 7 }}',
  '../../etc/passwd',
  '../',
  '/etc/passwd',
  'C:\\Windows\\system32',
  // eslint-disable-next-line no-script-url
  'javascript:alert(1)',
  '<script>alert(1)</script>',
  "'; DROP TABLE ownops_deployments; --",
  '\u0000',
  'line\r\nbreak',
  '\u202eevil',
  '\ud800',
  '😀',
  'ǅ',
  '__proto__',
  'constructor',
  'toString',
  ' ',
  '',
  '0',
  '-1',
  '1e309',
  'NaN',
  'Infinity',
  '9007199254740993',
  '99999999999999999999999',
  '0000-00-00',
  '2026-02-31',
  '9999-12-31',
  '0001-01-01',
  '2026-13',
  '2026-12-01T25:00:00Z',
  '-271821-04-20T00:00:00Z',
  '+275760-09-13T00:00:00.000Z',
];

/** A hostile string: a known attack, arbitrary unicode or binary, or a long one. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...ATTACKS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 256, max: 5000 })
      .map(length => 'a'.repeat(length)),
  },
);

/** Nested arrays and objects this deep. */
export function deeplyNested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) {
    value = i % 2 ? [value] : { a: value };
  }
  return value;
}

/** Any JSON value with hostile strings in it, including wrong types for every field. */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  {
    weight: 2,
    arbitrary: fc.oneof(
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(Number.MAX_SAFE_INTEGER + 2),
      fc.constant(-0),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' }),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 50, max: 400 }).map(deeplyNested),
  },
);

/** A value for a field that is usually plausible and sometimes hostile. */
export function sometimes<T>(
  plausible: fc.Arbitrary<T>,
): fc.Arbitrary<T | unknown> {
  return fc.oneof(
    { weight: 2, arbitrary: plausible },
    { weight: 1, arbitrary: hostileJson },
  );
}

/**
 * An object with the given fields, each plausible or hostile or left out,
 * sometimes with an unknown field added.
 */
export function hostileRecord(
  fields: Record<string, fc.Arbitrary<unknown>>,
): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(
      fc.record(
        Object.fromEntries(
          Object.entries(fields).map(([key, value]) => [key, sometimes(value)]),
        ),
        { requiredKeys: [] },
      ),
      fc.option(fc.tuple(hostileString, hostileJson), { freq: 4 }),
    )
    .map(([record, extra]) =>
      extra ? { ...record, [extra[0] || 'extra']: extra[1] } : record,
    );
}
