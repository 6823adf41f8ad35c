import {
  DEFAULT_OWNER_TAG_KEYS,
  decodeEntityRefTagValue,
  encodeEntityRefTagValue,
  entityRefFromTagValue,
  ownerTagsByEnvironment,
  ownerTagsToRecord,
  validateOwnerTagKeys,
  validateOwnerTags,
} from './ownerTags';

const good = {
  entity: 'component:default/checkout-service',
  owner: 'group:default/team-checkout',
  costCenter: 'cc-1001',
  environment: 'production',
};

describe('owner tag policy', () => {
  it('accepts well-formed tags', () => {
    expect(validateOwnerTags(good)).toEqual([]);
  });

  it('names every refused field', () => {
    expect(
      validateOwnerTags({
        entity: 'user:default/alice',
        owner: 'user:default/alice',
        costCenter: 'cc 1001; drop',
        environment: 'Prod',
      }),
    ).toEqual([
      {
        field: 'entity',
        message: 'entity "user:default/alice" must be a component or resource',
      },
      { field: 'owner', message: 'owner "user:default/alice" must be a group' },
      {
        field: 'costCenter',
        message:
          'costCenter "cc 1001; drop" may only contain letters, digits and "-" (at most 63 characters)',
      },
      {
        field: 'environment',
        message:
          'environment "Prod" must be a lower-case name such as "staging"',
      },
    ]);
    expect(validateOwnerTags({}).map(p => p.message)).toEqual([
      'entity is required',
      'owner is required',
      'costCenter is required',
      'environment is required',
    ]);
  });

  it('refuses references that do not fit in a label once encoded', () => {
    const [problem] = validateOwnerTags({
      ...good,
      entity: `component:default/${'a'.repeat(60)}`,
    });
    expect(problem.field).toBe('entity');
    expect(problem.message).toMatch(/at most 63 characters/);
  });

  it('encodes entity references for labels and reads both forms back', () => {
    expect(encodeEntityRefTagValue('Component:default/checkout-service')).toBe(
      'component.default.checkout-service',
    );
    expect(decodeEntityRefTagValue('component.default.checkout-service')).toBe(
      'component:default/checkout-service',
    );
    expect(decodeEntityRefTagValue('component:default/checkout-service')).toBe(
      'component:default/checkout-service',
    );
    expect(decodeEntityRefTagValue('not a ref')).toBeUndefined();
  });

  it('renders the tags with the configured keys', () => {
    expect(
      ownerTagsToRecord(good, { ...DEFAULT_OWNER_TAG_KEYS, owner: 'team' }),
    ).toEqual({
      'backstage-entity': 'component.default.checkout-service',
      team: 'group.default.team-checkout',
      'cost-center': 'cc-1001',
      environment: 'production',
    });
  });

  it('validates configured tag keys', () => {
    expect(validateOwnerTagKeys(DEFAULT_OWNER_TAG_KEYS)).toEqual([]);
    expect(
      validateOwnerTagKeys({
        ...DEFAULT_OWNER_TAG_KEYS,
        owner: 'example.com/owner',
        environment: 'bad key!',
        costCenter: 'example.com/owner',
      }),
    ).toEqual([
      expect.stringContaining('environment: "bad key!" is not a valid tag key'),
      'the four owner tag keys must differ',
    ]);
  });
});

describe('ownerTagsByEnvironment', () => {
  const base = {
    entity: 'component:default/orders',
    owner: 'group:default/team-checkout',
    costCenter: 'cc-1001',
  };

  it('gives the tags of each environment', () => {
    expect(ownerTagsByEnvironment(base, ['staging', 'production'])).toEqual({
      tags: {
        staging: {
          'backstage-entity': 'component.default.orders',
          owner: 'group.default.team-checkout',
          'cost-center': 'cc-1001',
          environment: 'staging',
        },
        production: {
          'backstage-entity': 'component.default.orders',
          owner: 'group.default.team-checkout',
          'cost-center': 'cc-1001',
          environment: 'production',
        },
      },
      problems: [],
    });
  });

  it('lists a problem shared by every environment once, and no tags', () => {
    expect(
      ownerTagsByEnvironment({ ...base, owner: 'user:default/guest' }, [
        'staging',
        'Prod',
      ]),
    ).toEqual({
      tags: {},
      problems: [
        {
          field: 'owner',
          message: 'owner "user:default/guest" must be a group',
        },
        {
          field: 'environment',
          message:
            'environment "Prod" must be a lower-case name such as "staging"',
        },
      ],
    });
  });
});

describe('entityRefFromTagValue', () => {
  it.each([
    [
      'component.default.checkout-service',
      'component',
      'component:default/checkout-service',
    ],
    ['Component:Default/Checkout', 'component', 'component:default/checkout'],
    ['  checkout  ', 'component', 'component:default/checkout'],
    ['payments/checkout', 'component', 'component:payments/checkout'],
    ['team-checkout', 'group', 'group:default/team-checkout'],
    ['group.default.team-checkout', 'component', 'group:default/team-checkout'],
    ['resource:default/db', 'group', 'resource:default/db'],
  ])('reads %j (default kind %s) as %s', (value, defaultKind, ref) => {
    expect(entityRefFromTagValue(value, defaultKind)).toBe(ref);
  });

  it.each([
    ['', 'component'],
    ['   ', 'component'],
    ['a:b:c/d', 'component'],
    ['not a ref', 'component'],
    ['component:default/', 'component'],
    [`component:default/${'x'.repeat(64)}`, 'component'],
    ['checkout', 'not a kind!'],
  ])('gives undefined for %j (default kind %s)', (value, defaultKind) => {
    expect(entityRefFromTagValue(value, defaultKind)).toBeUndefined();
  });
});
