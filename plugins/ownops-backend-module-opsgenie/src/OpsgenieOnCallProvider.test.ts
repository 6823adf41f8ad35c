import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { CatalogPeople } from '@ownops/backstage-plugin-node';
import {
  alice,
  API,
  API_KEY,
  checkout,
  config,
  errorBody,
  onCallsBody,
  PRIMARY_ID,
  schedulesBody,
  timelineBody,
} from './__testUtils__/opsgenie';
import { OpsgenieApi } from './OpsgenieApi';
import { OpsgenieOnCallProvider } from './OpsgenieOnCallProvider';

const server = setupServer();
registerMswTestHooks(server);

const at = new Date('2026-11-27T10:00:00Z');

function setup(entities: Entity[] = [alice]) {
  const catalog = catalogServiceMock({ entities });
  const getEntities = jest.spyOn(catalog, 'getEntities');
  const logger = mockServices.logger.mock();
  const provider = new OpsgenieOnCallProvider({
    api: new OpsgenieApi(config, logger),
    people: new CatalogPeople({ catalog, auth: mockServices.auth() }),
  });
  return { provider, getEntities, logger };
}

/** Every request seen, and the documented answers. */
function opsgenie(recipients = ['alice@example.com', 'bob@example.com']) {
  const seen: Array<{ url: URL; headers: Headers }> = [];
  const record = (request: Request) =>
    seen.push({ url: new URL(request.url), headers: request.headers });
  server.use(
    http.get(`${API}/v2/schedules`, ({ request }) => {
      record(request);
      return HttpResponse.json(schedulesBody);
    }),
    http.get(`${API}/v2/schedules/:id/on-calls`, ({ request }) => {
      record(request);
      return HttpResponse.json(onCallsBody(recipients));
    }),
    http.get(`${API}/v2/schedules/:id/timeline`, ({ request }) => {
      record(request);
      return HttpResponse.json(timelineBody);
    }),
  );
  return seen;
}

describe('OpsgenieOnCallProvider', () => {
  it('applies to entities with opsgenie.com/team or ownops.io/opsgenie-schedule', () => {
    const { provider } = setup();
    expect(provider.appliesTo(checkout)).toBe(true);
    expect(
      provider.appliesTo({
        ...checkout,
        metadata: {
          name: 'x',
          annotations: { 'ownops.io/opsgenie-schedule': 'Payments' },
        },
      }),
    ).toBe(true);
    expect(provider.appliesTo({ ...checkout, metadata: { name: 'x' } })).toBe(
      false,
    );
  });

  it("reports who is on call in the team's schedule, until when, and who is next", async () => {
    // Opsgenie's order; the soonest hand-off comes first in the report.
    const seen = opsgenie(['bob@example.com', 'alice@example.com']);
    const { provider } = setup();

    const report = await provider.getOnCall(checkout, { at });

    expect(report).toEqual({
      now: [
        {
          person: {
            userEntityRef: 'user:default/alice',
            name: 'Alice Example',
            email: 'Alice@Example.com',
          },
          start: '2026-11-23T08:00:00.000Z',
          end: '2026-11-30T08:00:00.000Z',
          escalationLevel: 1,
        },
        {
          person: { name: 'bob@example.com', email: 'bob@example.com' },
          start: at.toISOString(),
          escalationLevel: 1,
        },
      ],
      next: {
        person: { name: 'carol@example.com', email: 'carol@example.com' },
        start: '2026-11-30T08:00:00.000Z',
        end: '2026-12-07T08:00:00.000Z',
        escalationLevel: 1,
      },
    });
    const onCalls = seen.find(s => s.url.pathname.endsWith('/on-calls'))!;
    expect(onCalls.url.pathname).toBe(`/v2/schedules/${PRIMARY_ID}/on-calls`);
    expect(Object.fromEntries(onCalls.url.searchParams)).toEqual({
      scheduleIdentifierType: 'id',
      flat: 'true',
      date: '2026-11-27T10:00:00.000Z',
    });
    const timeline = seen.find(s => s.url.pathname.endsWith('/timeline'))!;
    expect(Object.fromEntries(timeline.url.searchParams)).toEqual({
      identifierType: 'id',
      date: '2026-11-20T10:00:00.000Z',
      interval: '3',
      intervalUnit: 'weeks',
    });
    expect(seen[0].headers.get('authorization')).toBe(`GenieKey ${API_KEY}`);
  });

  it('leaves the end open when the turn runs past the timeline read', async () => {
    opsgenie(['dave@example.com']);
    const { provider } = setup();
    const report = await provider.getOnCall(checkout, {
      at: new Date('2026-12-08T10:00:00Z'),
    });
    expect(report.now).toEqual([
      {
        person: { name: 'dave@example.com', email: 'dave@example.com' },
        start: '2026-12-07T08:00:00.000Z',
        escalationLevel: 1,
      },
    ]);
    expect(report.next).toBeUndefined();
  });

  it('reads the schedule list once for a few minutes and the catalog once per person', async () => {
    const seen = opsgenie();
    const { provider, getEntities } = setup();
    await provider.getOnCall(checkout, { at });
    await provider.getOnCall(checkout, { at });
    expect(seen.filter(s => s.url.pathname === '/v2/schedules')).toHaveLength(
      1,
    );
    expect(getEntities).toHaveBeenCalledTimes(1);
  });

  it('uses the schedule named by ownops.io/opsgenie-schedule', async () => {
    const seen = opsgenie();
    const { provider } = setup();
    await provider.getOnCall(
      {
        ...checkout,
        metadata: {
          name: 'payments',
          annotations: {
            'opsgenie.com/team': 'checkout',
            'ownops.io/opsgenie-schedule': 'payments',
          },
        },
      },
      { at },
    );
    expect(
      seen.find(s => s.url.pathname.endsWith('/on-calls'))!.url.pathname,
    ).toBe('/v2/schedules/c0ffee00-0000-4000-8000-00000000000d/on-calls');
  });

  it('names the team and the annotation to use when the team has no enabled schedule', async () => {
    opsgenie();
    const { provider } = setup();
    await expect(
      provider.getOnCall(
        {
          ...checkout,
          metadata: {
            name: 'x',
            annotations: { 'opsgenie.com/team': 'Search' },
          },
        },
        { at },
      ),
    ).rejects.toThrow(
      /team "Search" .*owns no enabled schedule.*ownops\.io\/opsgenie-schedule/,
    );
  });

  it('names the annotation when the entity has none', async () => {
    const { provider } = setup();
    await expect(
      provider.getOnCall({ ...checkout, metadata: { name: 'x' } }, { at }),
    ).rejects.toThrow(/opsgenie\.com\/team/);
  });

  describe('when Opsgenie refuses', () => {
    it.each([
      [
        401,
        'Could not authenticate',
        /rejected the API key .*ownops\.opsgenie\.apiKey/,
      ],
      [
        403,
        'You are not authorized',
        /may not read the schedules .*configuration access/,
      ],
      [
        404,
        'Not found',
        /could not find the schedules \(Opsgenie said: Not found\).*ownops\.io\/opsgenie-schedule/,
      ],
      [
        422,
        'Invalid request',
        /could not read the schedules \(Opsgenie said: Invalid request\)/,
      ],
    ])(
      '%s is not retried and says what to do',
      async (status, text, message) => {
        let calls = 0;
        server.use(
          http.get(`${API}/v2/schedules`, () => {
            calls++;
            return HttpResponse.json(errorBody(text), { status });
          }),
        );
        const { provider } = setup();
        const failure = provider.getOnCall(checkout, { at });
        await expect(failure).rejects.toThrow(message);
        await expect(failure).rejects.not.toThrow(API_KEY);
        expect(calls).toBe(1);
      },
    );

    it('says which schedule is missing on a 404 for its on-calls', async () => {
      opsgenie();
      server.use(
        http.get(`${API}/v2/schedules/:id/on-calls`, () =>
          HttpResponse.json(
            errorBody(`No schedule exists with identifier [${PRIMARY_ID}]`),
            { status: 404 },
          ),
        ),
      );
      const { provider } = setup();
      await expect(provider.getOnCall(checkout, { at })).rejects.toThrow(
        /could not find the on-calls of schedule "Checkout primary" \(Opsgenie said: No schedule exists/,
      );
    });

    it('waits after a 429 and then succeeds', async () => {
      opsgenie();
      let calls = 0;
      server.use(
        http.get(`${API}/v2/schedules/:id/on-calls`, () => {
          calls++;
          return calls === 1
            ? HttpResponse.json(errorBody('Too many requests'), {
                status: 429,
                headers: {
                  'x-ratelimit-state': 'THROTTLED',
                  'x-ratelimit-reason': 'ACCOUNT',
                  'x-ratelimit-period-in-sec': '60',
                },
              })
            : HttpResponse.json(onCallsBody(['alice@example.com']));
        }),
      );
      const { provider } = setup();
      const report = await provider.getOnCall(checkout, { at });
      expect(calls).toBe(2);
      expect(report.now.map(s => s.person.name)).toEqual(['Alice Example']);
    });

    it('retries a 5xx answer and then succeeds, the key in no log line', async () => {
      opsgenie();
      let calls = 0;
      server.use(
        http.get(`${API}/v2/schedules/:id/timeline`, () => {
          calls++;
          return calls === 1
            ? HttpResponse.json(errorBody(`Internal error for ${API_KEY}`), {
                status: 503,
              })
            : HttpResponse.json(timelineBody);
        }),
      );
      const { provider, logger } = setup();
      const report = await provider.getOnCall(checkout, { at });
      expect(calls).toBe(2);
      expect(report.next?.person.email).toBe('carol@example.com');
      const logged = JSON.stringify((logger.warn as jest.Mock).mock.calls);
      expect(logged).toContain('503');
      expect(logged).not.toContain(API_KEY);
    });
  });
});
