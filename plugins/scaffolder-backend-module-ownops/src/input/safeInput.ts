import { InputError } from '@backstage/errors';

/**
 * New service names: lower-case DNS labels of at most 40 characters, so that
 * `component.default.<name>` still fits in a 63-character label value, and
 * so a name can never be a path, a template expression or a shell word.
 */
export const SERVICE_NAME_PATTERN = /^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/;
export const MAX_SERVICE_NAME_LENGTH = 40;
export const MAX_DESCRIPTION_LENGTH = 300;

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const TEMPLATE_EXPRESSION = /\$\{\{|\{\{|\}\}|\{%|%\}|\{#|#\}/;

/** Collects problems, each naming its field, and throws them together. */
export class InputProblems {
  private readonly problems: string[] = [];

  add(field: string, message: string) {
    const problem = `${field}: ${message}`;
    if (!this.problems.includes(problem)) this.problems.push(problem);
  }

  addAll(field: string, messages: string[]) {
    messages.forEach(message => this.add(field, message));
  }

  get size() {
    return this.problems.length;
  }

  throwIfAny(context: string) {
    if (this.problems.length > 0) {
      throw new InputError(`${context}: ${this.problems.join('; ')}`);
    }
  }
}

/** Why free text (a description, a title) is refused, or undefined. */
export function describeUnsafeText(
  value: unknown,
  maxLength: number,
): string | undefined {
  if (typeof value !== 'string') return 'must be text';
  if (value.length > maxLength) {
    return `must be at most ${maxLength} characters (got ${value.length})`;
  }
  if (CONTROL_CHARACTERS.test(value)) {
    return 'must not contain control characters or line breaks';
  }
  if (TEMPLATE_EXPRESSION.test(value)) {
    return 'must not contain template expressions such as ${{ }}, {{ }} or {% %}';
  }
  return undefined;
}

/** Why a new service name is refused, or undefined. */
export function describeInvalidServiceName(value: unknown): string | undefined {
  const unsafe = describeUnsafeText(value, MAX_SERVICE_NAME_LENGTH);
  if (unsafe) return unsafe;
  const name = value as string;
  if (name.includes('/') || name.includes('\\') || name.includes('..')) {
    return `"${name}" must be a plain name, not a path`;
  }
  if (!SERVICE_NAME_PATTERN.test(name)) {
    return `"${name}" must start with a lower-case letter and contain only lower-case letters, digits and "-" (at most ${MAX_SERVICE_NAME_LENGTH} characters, not ending in "-")`;
  }
  return undefined;
}

/**
 * Why a path inside the workspace is refused, or undefined: it must be
 * relative, stay inside the workspace and be free of control characters.
 */
export function describeUnsafeRelativePath(value: unknown): string | undefined {
  const unsafe = describeUnsafeText(value, 200);
  if (unsafe) return unsafe;
  const path = value as string;
  if (path === '') return 'must not be empty';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.includes('\\')) {
    return `"${path}" must be a relative path inside the workspace`;
  }
  if (path.split('/').some(segment => segment === '..')) {
    return `"${path}" must not leave the workspace ("..")`;
  }
  return undefined;
}
