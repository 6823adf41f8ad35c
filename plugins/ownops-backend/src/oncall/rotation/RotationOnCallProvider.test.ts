import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { OnCallOverride } from '@ownops/backstage-plugin-common';
import { OnCallOverrideStore } from '../../database/OnCallOverrideStore';
import { DEFAULT_ROTATION } from '../config';
import { GroupMembers } from '../GroupMembers';
import { OnCallService } from '../OnCallService';
import { RotationOnCallProvider } from './RotationOnCallProvider';

const user = (name: string, memberOf: string[] = []): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: {
    memberOf,
    profile: {
      displayName: `${name[0].toUpperCase()}${name.slice(1)}`,
      email: `${name}@example.com`,
    },
  },
});

const group = (
  name: string,
  annotations: Record<string, string> = {},
  members: string[] = [],
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'team', children: [] },
  relations: members.map(targetRef => ({ type: 'hasMember', targetRef })),
});

const component = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { owner, type: 'service' },
});

class MemoryOverrides implements OnCallOverrideStore {
  items: OnCallOverride[] = [];
  add(userRef: string, start: string, end: string) {
    this.items.push({
      id: this.items.length + 1,
      groupRef: 'group:default/team-checkout',
      userRef,
      start: new Date(start).toISOString(),
      end: new Date(end).toISOString(),
      createdBy: 'user:default/alice',
      createdAt: start,
    });
  }
  async create(): Promise<OnCallOverride> {
    throw new Error('not used');
  }
  async list(groupRef: string, from: Date, to: Date) {
    return this.items.filter(
      o =>
        o.groupRef === groupRef &&
        Date.parse(o.start) < to.getTime() &&
        Date.parse(o.end) > from.getTime(),
    );
  }
  async get() {
    return undefined;
  }
  async delete() {
    return false;
  }
}

function setup(groupAnnotations: Record<string, string> = {}) {
  const catalog = catalogServiceMock({
    entities: [
      // As the catalog stitches it: a hasMember relation for every member;
      // carol is a member only through the group's relation.
      group('team-checkout', groupAnnotations, [
        'user:default/alice',
        'user:default/bob',
        'user:default/carol',
      ]),
      group('team-empty'),
      // Not stitched yet: its members only name it in spec.memberOf.
      group('team-unstitched'),
      user('erin', ['team-unstitched']),
      user('bob', ['team-checkout']),
      user('alice', ['group:default/team-checkout']),
      { ...user('carol'), spec: { profile: { displayName: 'Carol' } } },
      user('dave', ['other']),
      component('checkout', 'team-checkout'),
      component('lonely', 'group:default/team-empty'),
      component('personal', 'user:default/alice'),
    ],
  });
  const overrides = new MemoryOverrides();
  const provider = new RotationOnCallProvider({
    members: new GroupMembers({ catalog, auth: mockServices.auth() }),
    overrides,
    defaults: DEFAULT_ROTATION,
  });
  const service = new OnCallService({
    providers: [provider],
    catalog,
    auth: mockServices.auth(),
    timeoutMs: 5_000,
  });
  return { catalog, provider, overrides, service };
}

// DEFAULT_ROTATION: 7 days, 09:00 UTC, from Monday 2026-01-05.
// Members in ref order: alice, bob, carol. Turn of 2026-11-23 is turn 46 → bob.
describe('RotationOnCallProvider', () => {
  it('takes turns over the owning group’s members from the catalog, with config defaults', async () => {
    const { service } = setup();
    const result = await service.forEntity(
      component('checkout', 'team-checkout'),
      new Date('2026-11-27T12:00:00Z'),
    );
    expect(result).toEqual({
      entityRef: 'component:default/checkout',
      provider: 'rotation',
      now: [
        {
          person: {
            userEntityRef: 'user:default/bob',
            name: 'Bob',
            email: 'bob@example.com',
          },
          start: '2026-11-23T09:00:00.000Z',
          end: '2026-11-30T09:00:00.000Z',
          escalationLevel: 1,
        },
      ],
      next: {
        person: { userEntityRef: 'user:default/carol', name: 'Carol' },
        start: '2026-11-30T09:00:00.000Z',
        end: '2026-12-07T09:00:00.000Z',
        escalationLevel: 1,
      },
      handoffAt: '2026-11-30T09:00:00.000Z',
    });
  });

  it('uses the group’s annotations over the configured rotation', async () => {
    const { service } = setup({
      'ownops.io/oncall-rotation': '1d 08:30 Europe/Berlin',
      'ownops.io/oncall-start': '2026-11-26',
    });
    const result = await service.forEntity(
      component('checkout', 'team-checkout'),
      new Date('2026-11-27T12:00:00Z'),
    );
    // 2026-11-26 alice, 2026-11-27 bob; 08:30 in Berlin is 07:30 UTC in winter.
    expect(result.now[0]).toMatchObject({
      person: { userEntityRef: 'user:default/bob' },
      start: '2026-11-27T07:30:00.000Z',
      end: '2026-11-28T07:30:00.000Z',
    });
    expect(result.next?.person.userEntityRef).toBe('user:default/carol');
  });

  it('names the annotation when it is invalid', async () => {
    const bad = setup({ 'ownops.io/oncall-rotation': 'weekly' });
    await expect(
      bad.service.forEntity(component('checkout', 'team-checkout'), new Date()),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(
        'Invalid ownops.io/oncall-rotation annotation on group:default/team-checkout: "weekly"',
      ),
    });
    const zone = setup({
      'ownops.io/oncall-rotation': '7d 09:00 Mars/Olympus',
    });
    await expect(
      zone.service.forEntity(
        component('checkout', 'team-checkout'),
        new Date(),
      ),
    ).rejects.toThrow(
      /ownops\.io\/oncall-rotation.*timeZone must be an IANA time zone/,
    );
    const start = setup({ 'ownops.io/oncall-start': '2026-13-01' });
    await expect(
      start.service.forEntity(
        component('checkout', 'team-checkout'),
        new Date(),
      ),
    ).rejects.toThrow(/Invalid ownops\.io\/oncall-start annotation.*startDate/);
  });

  it('lets an override replace the rotation within its span only', async () => {
    const { service, overrides } = setup();
    overrides.add(
      'user:default/alice',
      '2026-11-27T00:00:00Z',
      '2026-11-28T00:00:00Z',
    );
    const entity = component('checkout', 'team-checkout');
    const during = await service.forEntity(
      entity,
      new Date('2026-11-27T12:00:00Z'),
    );
    expect(during.now[0]).toMatchObject({
      person: { userEntityRef: 'user:default/alice', name: 'Alice' },
      start: '2026-11-27T00:00:00.000Z',
      end: '2026-11-28T00:00:00.000Z',
    });
    // After the override, bob's turn resumes until the hand-off.
    expect(during.next).toMatchObject({
      person: { userEntityRef: 'user:default/bob' },
      start: '2026-11-28T00:00:00.000Z',
      end: '2026-11-30T09:00:00.000Z',
    });
    const before = await service.forEntity(
      entity,
      new Date('2026-11-26T12:00:00Z'),
    );
    expect(before.now[0]).toMatchObject({
      person: { userEntityRef: 'user:default/bob' },
      start: '2026-11-23T09:00:00.000Z',
      end: '2026-11-27T00:00:00.000Z',
    });
    expect(before.handoffAt).toBe('2026-11-27T00:00:00.000Z');
  });

  it('honours an override in the next shift', async () => {
    const { service, overrides } = setup();
    overrides.add(
      'user:default/alice',
      '2026-11-30T09:00:00Z',
      '2026-12-03T09:00:00Z',
    );
    const result = await service.forEntity(
      component('checkout', 'team-checkout'),
      new Date('2026-11-27T12:00:00Z'),
    );
    expect(result.now[0].person.userEntityRef).toBe('user:default/bob');
    expect(result.next).toMatchObject({
      person: { userEntityRef: 'user:default/alice' },
      start: '2026-11-30T09:00:00.000Z',
      end: '2026-12-03T09:00:00.000Z',
    });
  });

  it('answers for a group itself and not for groups without members or user-owned components', async () => {
    const { service, provider } = setup();
    const forGroup = await service.forEntity(
      group('team-checkout', {}, ['user:default/carol']),
      new Date('2026-11-27T12:00:00Z'),
    );
    expect(forGroup.now[0].person.userEntityRef).toBe('user:default/bob');
    expect(
      provider.appliesTo(component('personal', 'user:default/alice')),
    ).toBe(false);
    await expect(
      service.forEntity(
        component('lonely', 'group:default/team-empty'),
        new Date(),
      ),
    ).resolves.toEqual({
      entityRef: 'component:default/lonely',
      provider: null,
      now: [],
    });
  });

  it('reuses a group and its members for a few seconds, then reads them again', async () => {
    const { catalog } = setup();
    let now = 1_000_000;
    const provider = new RotationOnCallProvider({
      members: new GroupMembers({ catalog, auth: mockServices.auth() }),
      overrides: new MemoryOverrides(),
      defaults: DEFAULT_ROTATION,
      teamTtlMs: 10_000,
      now: () => now,
    });
    const getEntityByRef = jest.spyOn(catalog, 'getEntityByRef');
    const getEntitiesByRefs = jest.spyOn(catalog, 'getEntitiesByRefs');
    const getEntities = jest.spyOn(catalog, 'getEntities');
    const at = { at: new Date('2026-11-27T12:00:00Z') };
    const checkout = component('checkout', 'team-checkout');
    const first = await provider.getOnCall(checkout, at);
    expect(await provider.getOnCall(checkout, at)).toEqual(first);
    // The group, then its members by ref: no filter query.
    expect(getEntityByRef).toHaveBeenCalledTimes(1);
    expect(getEntitiesByRefs).toHaveBeenCalledTimes(1);
    now += 10_001;
    expect(await provider.getOnCall(checkout, at)).toEqual(first);
    expect(getEntityByRef).toHaveBeenCalledTimes(2);
    expect(getEntitiesByRefs).toHaveBeenCalledTimes(2);
    expect(getEntities).not.toHaveBeenCalled();
  });

  it('finds the members of a group without hasMember relations by their spec.memberOf', async () => {
    const { service } = setup();
    const result = await service.forEntity(
      component('fresh', 'team-unstitched'),
      new Date('2026-11-27T12:00:00Z'),
    );
    expect(result.provider).toBe('rotation');
    expect(result.now[0].person.userEntityRef).toBe('user:default/erin');
  });
});
