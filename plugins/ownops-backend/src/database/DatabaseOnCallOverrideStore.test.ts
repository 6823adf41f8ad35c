import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseOnCallOverrideStore } from './DatabaseOnCallOverrideStore';

jest.setTimeout(60_000);

const GROUP = 'group:default/team-checkout';
const NOW = new Date('2026-11-27T00:00:00Z');
const at = (iso: string) => new Date(iso);

const override = (
  start: string,
  end: string,
  userRef = 'user:default/bob',
) => ({
  groupRef: GROUP,
  userRef,
  start: at(start),
  end: at(end),
  createdBy: 'user:default/alice',
});

describe('DatabaseOnCallOverrideStore', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'creates, lists in a window and deletes, %p',
    async databaseId => {
      const store = await DatabaseOnCallOverrideStore.createForTest(
        await databases.init(databaseId),
      );
      const created = await store.create(
        {
          ...override('2026-12-01T09:00:00Z', '2026-12-02T09:00:00Z'),
          groupRef: 'group:default/Team-Checkout',
          reason: 'swap',
        },
        NOW,
      );
      expect(created).toEqual({
        id: expect.any(Number),
        groupRef: GROUP,
        userRef: 'user:default/bob',
        start: '2026-12-01T09:00:00.000Z',
        end: '2026-12-02T09:00:00.000Z',
        createdBy: 'user:default/alice',
        reason: 'swap',
        createdAt: NOW.toISOString(),
      });
      // Back to back is not an overlap.
      const second = await store.create(
        override('2026-12-02T09:00:00Z', '2026-12-03T09:00:00Z'),
        NOW,
      );
      await expect(
        store.list(
          GROUP,
          at('2026-12-02T10:00:00Z'),
          at('2026-12-05T00:00:00Z'),
        ),
      ).resolves.toEqual([second]);
      await expect(
        store.list(
          GROUP,
          at('2026-11-01T00:00:00Z'),
          at('2027-01-01T00:00:00Z'),
        ),
      ).resolves.toEqual([created, second]);
      await expect(store.get(created.id)).resolves.toEqual(created);
      await expect(
        store.delete('group:default/other', created.id),
      ).resolves.toBe(false);
      await expect(store.delete(GROUP, created.id)).resolves.toBe(true);
      await expect(store.delete(GROUP, created.id)).resolves.toBe(false);
      await expect(store.get(created.id)).resolves.toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses empty, too long and overlapping spans, %p',
    async databaseId => {
      const store = await DatabaseOnCallOverrideStore.createForTest(
        await databases.init(databaseId),
      );
      await expect(
        store.create(
          override('2026-12-02T00:00:00Z', '2026-12-02T00:00:00Z'),
          NOW,
        ),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: 'end must be after start',
      });
      await expect(
        store.create(
          override('2026-12-01T00:00:00Z', '2027-01-02T00:00:00Z'),
          NOW,
        ),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining('31 days'),
      });
      const first = await store.create(
        override('2026-12-01T09:00:00Z', '2026-12-02T09:00:00Z'),
        NOW,
      );
      await expect(
        store.create(
          override('2026-12-02T08:00:00Z', '2026-12-04T00:00:00Z'),
          NOW,
        ),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringContaining(`Override ${first.id} `),
      });
      // Another group is independent.
      await expect(
        store.create(
          {
            ...override('2026-12-01T09:00:00Z', '2026-12-02T09:00:00Z'),
            groupRef: 'group:default/other',
          },
          NOW,
        ),
      ).resolves.toMatchObject({ groupRef: 'group:default/other' });
    },
  );

  it.each(databases.eachSupportedId())(
    'lets exactly one of concurrent overlapping creates win, %p',
    async databaseId => {
      const store = await DatabaseOnCallOverrideStore.createForTest(
        await databases.init(databaseId),
      );
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) =>
          store.create(
            override(
              `2026-12-0${1 + (i % 2)}T00:00:00Z`,
              '2026-12-05T00:00:00Z',
              `user:default/u${i}`,
            ),
            NOW,
          ),
        ),
      );
      const won = results.filter(r => r.status === 'fulfilled');
      const lost = results.filter(
        (r): r is PromiseRejectedResult => r.status === 'rejected',
      );
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(7);
      for (const failure of lost) {
        expect(failure.reason).toMatchObject({ name: 'ConflictError' });
      }
      await expect(
        store.list(
          GROUP,
          at('2026-11-01T00:00:00Z'),
          at('2027-01-01T00:00:00Z'),
        ),
      ).resolves.toHaveLength(1);
    },
  );
});
