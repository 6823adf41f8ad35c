import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  alice,
  API,
  catalogPeople,
  checkout,
  config,
  oncall,
  oncallsPage,
  serviceBody,
  TOKEN,
} from './__testUtils__/pagerDuty';
import { PagerDutyApi } from './PagerDutyApi';
import { PagerDutyOnCallProvider } from './PagerDutyOnCallProvider';

const server = setupServer();
registerMswTestHooks(server);

const at = new Date('2026-11-27T10:00:00Z');
const aliceShift = oncall({
  userId: 'PXPGF42',
  name: 'Alice A.',
  email: 'alice@example.com',
  level: 1,
  start: '2026-11-23T09:00:00+01:00',
  end: '2026-11-30T09:00:00+01:00',
});
const bobEscalation = oncall({
  userId: 'PBOB001',
  name: 'Bob Builder',
  email: 'bob@example.com',
  level: 2,
  start: null,
  end: null,
});
const carolNext = oncall({
  userId: 'PCAROL1',
  name: 'Carol Next',
  email: 'carol@example.com',
  level: 1,
  start: '2026-11-30T09:00:00+01:00',
  end: '2026-12-07T09:00:00+01:00',
});

function setup(entities = [alice]) {
  const { people, getEntities } = catalogPeople(entities);
  const logger = mockServices.logger.mock();
  const provider = new PagerDutyOnCallProvider({
    api: new PagerDutyApi(config, logger),
    people,
  });
  return { provider, getEntities, logger };
}

interface Seen {
  url: URL;
  headers: Headers;
}

/** Answers the service, then on-calls by the `since` asked for. */
function pagerDuty(seen: Seen[] = []) {
  return [
    http.get(`${API}/services/PIJ90N7`, ({ request }) => {
      seen.push({ url: new URL(request.url), headers: request.headers });
      return HttpResponse.json(serviceBody);
    }),
    http.get(`${API}/oncalls`, ({ request }) => {
      const url = new URL(request.url);
      seen.push({ url, headers: request.headers });
      const since = url.searchParams.get('since');
      if (since === at.toISOString()) {
        return HttpResponse.json(oncallsPage([bobEscalation, aliceShift]));
      }
      if (since === '2026-11-30T08:00:00.000Z') {
        return HttpResponse.json(oncallsPage([aliceShift, carolNext]));
      }
      return HttpResponse.json(oncallsPage([]));
    }),
  ];
}

describe('PagerDutyOnCallProvider', () => {
  it('applies to entities with pagerduty.com/service-id', () => {
    const { provider } = setup();
    expect(provider.appliesTo(checkout)).toBe(true);
    expect(provider.appliesTo({ ...checkout, metadata: { name: 'x' } })).toBe(
      false,
    );
  });

  it('reports everyone on call now by level, the next first-level shift and the service page', async () => {
    const seen: Seen[] = [];
    server.use(...pagerDuty(seen));
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
          person: { name: 'Bob Builder', email: 'bob@example.com' },
          start: at.toISOString(),
          escalationLevel: 2,
        },
      ],
      next: {
        person: { name: 'Carol Next', email: 'carol@example.com' },
        start: '2026-11-30T08:00:00.000Z',
        end: '2026-12-07T08:00:00.000Z',
        escalationLevel: 1,
      },
      url: 'https://acme.pagerduty.com/service-directory/PIJ90N7',
    });
    const oncalls = seen.filter(s => s.url.pathname === '/oncalls');
    expect(
      oncalls[0].url.searchParams.getAll('escalation_policy_ids[]'),
    ).toEqual(['PT20YPA']);
    expect(oncalls[0].url.searchParams.getAll('include[]')).toEqual(['users']);
    expect(oncalls[0].url.searchParams.get('until')).toBe(
      '2026-11-27T10:00:01.000Z',
    );
    expect(seen[0].headers.get('authorization')).toBe(`Token token=${TOKEN}`);
    expect(seen[0].headers.get('accept')).toBe(
      'application/vnd.pagerduty+json;version=2',
    );
  });

  it('keeps the service for a few minutes', async () => {
    const seen: Seen[] = [];
    server.use(...pagerDuty(seen));
    const { provider } = setup();
    await provider.getOnCall(checkout, { at });
    await provider.getOnCall(checkout, { at });
    expect(
      seen.filter(s => s.url.pathname.startsWith('/services')),
    ).toHaveLength(1);
  });

  it('has no next shift when the first level is open-ended', async () => {
    server.use(
      http.get(`${API}/services/PIJ90N7`, () => HttpResponse.json(serviceBody)),
      http.get(`${API}/oncalls`, () =>
        HttpResponse.json(
          oncallsPage([{ ...bobEscalation, escalation_level: 1 }]),
        ),
      ),
    );
    const { provider } = setup();
    const report = await provider.getOnCall(checkout, { at });
    expect(report.next).toBeUndefined();
    expect(report.now).toEqual([
      {
        person: { name: 'Bob Builder', email: 'bob@example.com' },
        start: at.toISOString(),
        escalationLevel: 1,
      },
    ]);
  });

  it('reads every page while PagerDuty says there are more', async () => {
    const offsets: string[] = [];
    server.use(
      http.get(`${API}/services/PIJ90N7`, () => HttpResponse.json(serviceBody)),
      http.get(`${API}/oncalls`, ({ request }) => {
        const url = new URL(request.url);
        if (url.searchParams.get('since') !== at.toISOString()) {
          return HttpResponse.json(oncallsPage([]));
        }
        const offset = url.searchParams.get('offset')!;
        offsets.push(offset);
        return offset === '0'
          ? HttpResponse.json(
              oncallsPage([aliceShift], { more: true, limit: 1 }),
            )
          : HttpResponse.json(
              oncallsPage([bobEscalation], { offset: 1, limit: 1 }),
            );
      }),
    );
    const { provider } = setup();
    const report = await provider.getOnCall(checkout, { at });
    expect(offsets).toEqual(['0', '1']);
    expect(report.now.map(s => s.person.name)).toEqual([
      'Alice Example',
      'Bob Builder',
    ]);
  });

  it('looks people up in the catalog once and keeps the answer', async () => {
    server.use(...pagerDuty());
    const { provider, getEntities } = setup();
    await provider.getOnCall(checkout, { at });
    await provider.getOnCall(checkout, { at });
    expect(getEntities).toHaveBeenCalledTimes(1);
    expect(getEntities.mock.calls[0][0]).toMatchObject({
      filter: {
        kind: 'user',
        'spec.profile.email': expect.arrayContaining([
          'alice@example.com',
          'bob@example.com',
          'carol@example.com',
        ]),
      },
    });
  });

  it('keeps the names PagerDuty gives while the catalog fails', async () => {
    server.use(...pagerDuty());
    const { provider, getEntities } = setup();
    getEntities.mockRejectedValueOnce(new Error('catalog unavailable'));
    const report = await provider.getOnCall(checkout, { at });
    expect(report.now.map(s => s.person)).toEqual([
      { name: 'Alice A.', email: 'alice@example.com' },
      { name: 'Bob Builder', email: 'bob@example.com' },
    ]);
    // Nothing was kept from the failed look-up: the next call asks again.
    await provider.getOnCall(checkout, { at });
    expect(getEntities).toHaveBeenCalledTimes(2);
    expect((await provider.getOnCall(checkout, { at })).now[0].person).toEqual({
      userEntityRef: 'user:default/alice',
      name: 'Alice Example',
      email: 'Alice@Example.com',
    });
  });

  it('names the annotation when the entity has none', async () => {
    const { provider } = setup();
    await expect(
      provider.getOnCall({ ...checkout, metadata: { name: 'x' } }, { at }),
    ).rejects.toThrow(/pagerduty\.com\/service-id/);
  });

  describe('when PagerDuty refuses', () => {
    it.each([
      [
        401,
        { error: { code: 2006, message: 'Invalid Credentials', errors: [] } },
        /rejected the API token .*ownops\.pagerduty\.apiToken/,
      ],
      [
        403,
        {
          error: {
            code: 2010,
            message: 'Access Denied',
            errors: ['Access Denied'],
          },
        },
        /may not read service "PIJ90N7".*read access to services/,
      ],
      [
        404,
        {
          error: {
            code: 2100,
            message: 'Not Found',
            errors: ['Service not found'],
          },
        },
        /no service "PIJ90N7" \(PagerDuty said: Not Found: Service not found\).*pagerduty\.com\/service-id/,
      ],
    ])(
      '%s is not retried and says what to do',
      async (status, body, message) => {
        let calls = 0;
        server.use(
          http.get(`${API}/services/PIJ90N7`, () => {
            calls++;
            return HttpResponse.json(body, { status });
          }),
        );
        const { provider } = setup();
        const failure = provider.getOnCall(checkout, { at });
        await expect(failure).rejects.toThrow(message);
        await expect(failure).rejects.not.toThrow(TOKEN);
        expect(calls).toBe(1);
      },
    );

    it('waits for ratelimit-reset after a 429 and then succeeds', async () => {
      let calls = 0;
      server.use(
        http.get(`${API}/services/PIJ90N7`, () => {
          calls++;
          return calls === 1
            ? HttpResponse.json(
                {
                  error: {
                    code: 2020,
                    message: 'Rate Limit Exceeded',
                    errors: [],
                  },
                },
                { status: 429, headers: { 'ratelimit-reset': '0' } },
              )
            : HttpResponse.json(serviceBody);
        }),
        ...pagerDuty(),
      );
      const { provider } = setup();
      const report = await provider.getOnCall(checkout, { at });
      expect(calls).toBe(2);
      expect(report.now).toHaveLength(2);
    });

    it('retries a 5xx answer and then succeeds', async () => {
      let calls = 0;
      server.use(
        http.get(`${API}/oncalls`, ({ request }) => {
          calls++;
          if (calls === 1) {
            return HttpResponse.json(
              {
                error: {
                  code: 2000,
                  message: 'Internal Error',
                  errors: [`token ${TOKEN}`],
                },
              },
              { status: 503 },
            );
          }
          return new URL(request.url).searchParams.get('since') ===
            at.toISOString()
            ? HttpResponse.json(oncallsPage([aliceShift]))
            : HttpResponse.json(oncallsPage([]));
        }),
        ...pagerDuty(),
      );
      const { provider, logger } = setup();
      const report = await provider.getOnCall(checkout, { at });
      expect(report.now.map(s => s.person.name)).toEqual(['Alice Example']);
      expect(calls).toBe(3);
      const warned = JSON.stringify((logger.warn as jest.Mock).mock.calls);
      expect(warned).toContain('503');
      expect(warned).not.toContain(TOKEN);
    });
  });
});
