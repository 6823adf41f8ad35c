/**
 * The parts of a provider's answer a module relies on, checked before use
 * so that a changed or broken API fails with a message instead of a
 * `TypeError` deep inside the module:
 *
 * - `'string'`, `'number'`, `'boolean'`: a value of that type;
 * - the same with `?` (`'string?'`): that type, null or absent;
 * - `[shape]`: an array whose every item has the shape;
 * - `{ key: shape }`: an object with those keys (others are ignored);
 * - `optional(shape)`: the shape, null or absent.
 *
 * @public
 */
export type ResponseShape =
  | 'string'
  | 'number'
  | 'boolean'
  | 'string?'
  | 'number?'
  | 'boolean?'
  | readonly [ResponseShape]
  | { readonly [key: string]: ResponseShape }
  | OptionalShape;

/**
 * A shape that may also be null or absent; made with {@link optional}.
 *
 * @public
 */
export class OptionalShape {
  /** @internal */
  constructor(readonly shape: ResponseShape) {}
}

/**
 * A shape that may also be null or absent.
 *
 * @public
 */
export function optional(shape: ResponseShape): OptionalShape {
  return new OptionalShape(shape);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * What is wrong with `value` for `shape`, as a sentence naming the first
 * field that does not fit (`service.escalation_policy.id is missing`), or
 * undefined when it fits.
 *
 * @public
 */
export function shapeProblem(
  value: unknown,
  shape: ResponseShape,
  path = 'the body',
): string | undefined {
  if (shape instanceof OptionalShape) {
    return value === undefined || value === null
      ? undefined
      : shapeProblem(value, shape.shape, path);
  }
  if (typeof shape === 'string') {
    const type = shape.replace('?', '');
    if (shape.endsWith('?') && (value === undefined || value === null)) {
      return undefined;
    }
    if (value === undefined) return `${path} is missing`;
    return typeof value === type
      ? undefined
      : `${path} is ${kindOf(value)}, not a ${type}`;
  }
  if (value === undefined) return `${path} is missing`;
  if (Array.isArray(shape)) {
    if (!Array.isArray(value)) return `${path} is ${kindOf(value)}, not a list`;
    for (const [index, item] of value.entries()) {
      const problem = shapeProblem(item, shape[0], `${path}[${index}]`);
      if (problem) return problem;
    }
    return undefined;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return `${path} is ${kindOf(value)}, not an object`;
  }
  for (const [key, child] of Object.entries(shape)) {
    const problem = shapeProblem(
      (value as Record<string, unknown>)[key],
      child,
      path === 'the body' ? key : `${path}.${key}`,
    );
    if (problem) return problem;
  }
  return undefined;
}
