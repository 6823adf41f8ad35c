import { entityRefOfParts, parseEntityRefInput } from './schemas';

describe('entity refs from URL paths and action input', () => {
  it('builds the ref of valid parts, any case', () => {
    expect(
      entityRefOfParts({
        kind: 'Component',
        namespace: 'Default',
        name: 'checkout',
      }),
    ).toBe('component:default/checkout');
    expect(
      parseEntityRefInput('group:default/team-checkout', 'entityRef'),
    ).toBe('group:default/team-checkout');
  });

  it.each([
    // Found by the route properties: each once answered 500.
    [
      { kind: '{% include "/etc/passwd" %}', namespace: 'default', name: 'x' },
      'Invalid entity reference: kind "{% include \\"/etc/passwd\\" %}" must be an entity kind',
    ],
    [
      { kind: 'group', namespace: '/etc/passwd', name: '\u0000' },
      'Invalid entity reference: namespace "/etc/passwd" must be a namespace such as default; name "\\u0000" must be an entity name',
    ],
    [
      { kind: 'component', namespace: 'default', name: 'a'.repeat(100) },
      `name "${'a'.repeat(64)}…" must be an entity name`,
    ],
  ])('refuses %j naming the part', (parts, message) => {
    expect(() => entityRefOfParts(parts)).toThrow(
      expect.objectContaining({ name: 'InputError' }),
    );
    expect(() => entityRefOfParts(parts)).toThrow(message);
  });

  it.each([
    [42, 'Invalid entityRef: must be an entity ref'],
    ['checkout', 'Invalid entityRef: "checkout" is not an entity ref'],
    ['component:default/../x', 'Invalid entityRef: name "../x"'],
    ['${{ x }}:default/y', 'Invalid entityRef: kind "${{ x }}"'],
  ])('refuses the action input %p', (value, message) => {
    expect(() => parseEntityRefInput(value, 'entityRef')).toThrow(message);
  });
});
