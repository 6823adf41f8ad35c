import {
  describeInvalidServiceName,
  describeUnsafeRelativePath,
  describeUnsafeText,
  InputProblems,
} from './safeInput';

describe('describeInvalidServiceName', () => {
  it.each(['orders', 'orders-api', 'a', 'svc2'])('accepts %s', name => {
    expect(describeInvalidServiceName(name)).toBeUndefined();
  });

  it.each([
    ['../etc', 'not a path'],
    ['/etc/passwd', 'not a path'],
    ['a/b', 'not a path'],
    ['${{ secrets.token }}', 'template expressions'],
    ['{% raw %}', 'template expressions'],
    ['name\u0000x', 'control characters'],
    ['line\nbreak', 'control characters'],
    ['x'.repeat(41), 'at most 40 characters'],
    ['Orders', 'lower-case'],
    ['orders-', 'lower-case'],
    ['', 'lower-case'],
  ])('refuses %j', (name, message) => {
    expect(describeInvalidServiceName(name)).toContain(message);
  });

  it('refuses non-strings', () => {
    expect(describeInvalidServiceName(42)).toBe('must be text');
  });
});

describe('describeUnsafeText', () => {
  it('accepts plain prose', () => {
    expect(describeUnsafeText('Takes orders; 100% reliable.', 300)).toBe(
      undefined,
    );
  });
  it('refuses over-long text naming both lengths', () => {
    expect(describeUnsafeText('x'.repeat(301), 300)).toBe(
      'must be at most 300 characters (got 301)',
    );
  });
});

describe('describeUnsafeRelativePath', () => {
  it('accepts nested relative paths', () => {
    expect(describeUnsafeRelativePath('infra/modules')).toBeUndefined();
  });
  it.each(['/abs', '../up', 'a/../../b', 'C:\\x', ''])('refuses %j', path => {
    expect(describeUnsafeRelativePath(path)).toBeDefined();
  });
});

describe('InputProblems', () => {
  it('throws every problem with its field in one InputError', () => {
    const problems = new InputProblems();
    problems.add('name', 'is required');
    problems.addAll('budget.amount', ['must be positive']);
    expect(() => problems.throwIfAny('Invalid input')).toThrow(
      'Invalid input: name: is required; budget.amount: must be positive',
    );
  });
  it('does not throw without problems', () => {
    expect(() => new InputProblems().throwIfAny('x')).not.toThrow();
  });
});
