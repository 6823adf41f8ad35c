import {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogPeople, personOfCatalogUser } from './CatalogPeople';

const credentials = {
  $$type: '@backstage/BackstageCredentials',
} as BackstageCredentials;
const auth = {
  getOwnServiceCredentials: jest.fn(async () => credentials),
} as unknown as AuthService;

function user(
  name: string,
  profile?: { displayName?: string | number; email?: string | number },
  extra: Partial<Entity['metadata']> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default', ...extra },
    spec: profile ? { profile } : {},
  };
}

/** A catalog that answers an email filter like the real one (case kept). */
function catalogOf(users: Entity[]) {
  return {
    getEntities: jest.fn(async (request?: { filter?: unknown }) => {
      const filter = request?.filter as { 'spec.profile.email': string[] };
      const wanted = filter['spec.profile.email'];
      return {
        items: users.filter(u =>
          wanted.includes(
            String((u.spec as any)?.profile?.email).toLocaleLowerCase('en-US'),
          ),
        ),
      };
    }),
  };
}

describe('personOfCatalogUser', () => {
  it('prefers the display name, then the title, then the name', () => {
    expect(
      personOfCatalogUser(
        user('alice', { displayName: 'Alice A', email: 'alice@example.com' }),
      ),
    ).toEqual({
      userEntityRef: 'user:default/alice',
      name: 'Alice A',
      email: 'alice@example.com',
    });
    expect(
      personOfCatalogUser(user('bob', { displayName: '' }, { title: 'Bob B' })),
    ).toEqual({ userEntityRef: 'user:default/bob', name: 'Bob B' });
    expect(
      personOfCatalogUser(user('Carol', { displayName: 7, email: 7 })),
    ).toEqual({ userEntityRef: 'user:default/carol', name: 'Carol' });
  });
});

describe('CatalogPeople', () => {
  beforeEach(() => jest.clearAllMocks());

  it('finds catalog users by email, ignoring case and spaces', async () => {
    const catalog = catalogOf([
      user('alice', { displayName: 'Alice A', email: 'Alice@Example.com' }),
    ]);
    const people = new CatalogPeople({ catalog, auth });
    await expect(
      people.resolve([
        { name: 'alice (pd)', email: ' ALICE@example.com ' },
        { name: 'Nobody', email: 'nobody@example.com' },
        { name: 'No email' },
      ]),
    ).resolves.toEqual([
      {
        userEntityRef: 'user:default/alice',
        name: 'Alice A',
        email: 'Alice@Example.com',
      },
      { name: 'Nobody', email: 'nobody@example.com' },
      { name: 'No email' },
    ]);
    expect(catalog.getEntities).toHaveBeenCalledTimes(1);
    expect(catalog.getEntities).toHaveBeenCalledWith(
      {
        filter: {
          kind: 'user',
          'spec.profile.email': ['alice@example.com', 'nobody@example.com'],
        },
        fields: ['kind', 'metadata', 'spec.profile'],
      },
      { credentials },
    );
  });

  it('asks the catalog again only once the answers, misses too, expire', async () => {
    let now = 0;
    const catalog = catalogOf([user('alice', { email: 'alice@example.com' })]);
    const people = new CatalogPeople({
      catalog,
      auth,
      ttlMs: 1000,
      now: () => now,
    });
    const asked = [
      { name: 'a', email: 'alice@example.com' },
      { name: 'n', email: 'nobody@example.com' },
    ];
    await people.resolve(asked);
    now = 999;
    await people.resolve(asked);
    expect(catalog.getEntities).toHaveBeenCalledTimes(1);
    now = 1000;
    await people.resolve(asked);
    expect(catalog.getEntities).toHaveBeenCalledTimes(2);
  });

  it('keeps the provider names and warns while the catalog fails', async () => {
    const catalog = {
      getEntities: jest.fn(async () => {
        throw new Error('catalog down');
      }),
    };
    const logger = { warn: jest.fn() } as any;
    const people = new CatalogPeople({ catalog, auth, logger });
    await expect(
      people.resolve([{ name: 'Alice', email: 'alice@example.com' }]),
    ).resolves.toEqual([{ name: 'Alice', email: 'alice@example.com' }]);
    expect(logger.warn).toHaveBeenCalledWith(
      'Could not look up on-call people in the catalog: Error: catalog down',
    );
    // A failure is not remembered: the next call asks again.
    await people.resolve([{ name: 'Alice', email: 'alice@example.com' }]);
    expect(catalog.getEntities).toHaveBeenCalledTimes(2);
  });

  it('does not call the catalog when nobody has an email', async () => {
    const catalog = catalogOf([]);
    const people = new CatalogPeople({ catalog, auth });
    await expect(people.resolve([{ name: 'x' }])).resolves.toEqual([
      { name: 'x' },
    ]);
    expect(catalog.getEntities).not.toHaveBeenCalled();
  });
});
