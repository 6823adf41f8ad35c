import { HclExpression } from '../hcl/model';

/** What can be known about the keys of a `tags`/`labels` expression. */
export type TagMapKeys =
  /** `{ … }` or `merge(…)`: the keys of its literal maps. */
  | { kind: 'map'; keys: Set<string>; partial: boolean }
  /** A variable, local or function: its keys cannot be known. */
  | { kind: 'opaque' }
  /** A tuple or scalar, such as Google's network `tags = ["web"]`. */
  | { kind: 'notMap' };

export function tagMapKeys(expression: HclExpression): TagMapKeys {
  if (expression.kind === 'object') {
    const keys = new Set<string>();
    for (const element of expression.elements) {
      if (element.key !== undefined) keys.add(element.key);
    }
    return { kind: 'map', keys, partial: false };
  }
  if (expression.kind === 'call' && expression.name === 'merge') {
    const keys = new Set<string>();
    let partial = false;
    for (const arg of expression.args) {
      const inner = tagMapKeys(arg);
      if (inner.kind === 'map') {
        inner.keys.forEach(key => keys.add(key));
        partial = partial || inner.partial;
      } else {
        partial = true;
      }
    }
    return { kind: 'map', keys, partial };
  }
  if (expression.kind === 'literal') {
    return { kind: 'notMap' };
  }
  return { kind: 'opaque' };
}

export function notLiteralDetail(attribute: string): string {
  return `${attribute} is not a literal map, so its keys cannot be checked`;
}

export const PARTIAL_MERGE_DETAIL =
  'only the literal maps inside merge(…) can be checked';
