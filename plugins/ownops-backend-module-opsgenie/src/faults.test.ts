import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { CatalogPeople } from '@ownops/backstage-plugin-node';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { everyText, inTurn } from '@ownops/backstage-plugin-node/testUtils';
import { randomUUID } from 'node:crypto';
import {
  alice,
  API,
  API_KEY,
  checkout,
  config,
  errorBody,
  onCallsBody,
  schedulesBody,
  timelineBody,
} from './__testUtils__/opsgenie';
import { OpsgenieApi } from './OpsgenieApi';
import { OpsgenieOnCallProvider } from './OpsgenieOnCallProvider';

const server = setupServer();
registerMswTestHooks(server);

jest.setTimeout(30_000);

const at = new Date('2026-11-27T10:00:00Z');
const ONCALLS = `${API}/v2/schedules/:id/on-calls`;
const throttled = (headers: Record<string, string> = {}) =>
  HttpResponse.json(errorBody('Too many requests'), {
    status: 429,
    // What Opsgenie documents for throttled requests.
    headers: {
      'x-ratelimit-state': 'THROTTLED',
      'x-ratelimit-reason': 'ACCOUNT',
      'x-ratelimit-period-in-sec': '60',
      ...headers,
    },
  });

type Answer = () => Response | Promise<Response>;

/** Opsgenie answering the on-calls with the given answers in turn (the last repeated). */
function opsgenie(...onCallAnswers: Answer[]) {
  const onCalls = inTurn(...onCallAnswers);
  server.use(
    http.get(`${API}/v2/schedules`, () => HttpResponse.json(schedulesBody)),
    http.get(ONCALLS, () => onCalls()),
    http.get(`${API}/v2/schedules/:id/timeline`, () =>
      HttpResponse.json(timelineBody),
    ),
  );
  return onCalls;
}

function provider(apiKey = API_KEY) {
  const logger = mockServices.logger.mock();
  return {
    logger,
    provider: new OpsgenieOnCallProvider({
      api: new OpsgenieApi({ ...config, apiKey, timeoutMs: 200 }, logger),
      people: new CatalogPeople({
        catalog: catalogServiceMock({ entities: [alice] }),
        auth: mockServices.auth(),
      }),
    }),
  };
}

describe('Opsgenie faults', () => {
  const answer = () => HttpResponse.json(onCallsBody(['alice@example.com']));

  it.each<[string, Answer[], RegExp]>([
    [
      'a 5xx, then the answer',
      [
        () => HttpResponse.json(errorBody('Internal error'), { status: 500 }),
        answer,
      ],
      /^Opsgenie answered 500 Internal Server Error to GET .*: Internal error; retry 1 of 3 in 0\.\d s$/,
    ],
    [
      'a 429 with its throttling headers, then the answer',
      [() => throttled(), answer],
      /^Opsgenie answered 429 Too Many Requests .*; retry 1 of 3 in 0\.\d s$/,
    ],
    [
      'a 429 with Retry-After, then the answer',
      [() => throttled({ 'retry-after': '1' }), answer],
      /^Opsgenie answered 429 Too Many Requests .*; retry 1 of 3 in 1\.0 s$/,
    ],
  ])('reads the on-call after %s', async (_, answers, warning) => {
    const seen = opsgenie(...answers);
    const { provider: onCall, logger } = provider();
    const report = await onCall.getOnCall(checkout, { at });
    expect(report.now.map(s => s.person.name)).toEqual(['Alice Example']);
    expect(report.next?.person.email).toBe('carol@example.com');
    expect(seen.calls).toBe(2);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringMatching(warning));
  });

  it.each<[string, Answer, number, RegExp]>([
    [
      'hangs past the timeout',
      async () => {
        await delay('infinite');
        return answer();
      },
      4,
      /^Opsgenie did not answer GET https:\/\/api\.opsgenie\.com\/v2\/schedules\/[\w-]+\/on-calls within 200 ms$/,
    ],
    [
      'asks to wait longer than allowed',
      () => throttled({ 'retry-after': '900' }),
      1,
      /^Opsgenie answered 429 Too Many Requests to GET .*\/on-calls: Too many requests; it asks to wait 900 s \(until \d{4}-\d\d-\d\dT[\d:.]+Z\), try again then$/,
    ],
    [
      'answers with a body that is not JSON',
      () =>
        new HttpResponse(`<html>Bad gateway for GenieKey ${API_KEY}</html>`, {
          headers: { 'content-type': 'text/html' },
        }),
      1,
      /^Opsgenie answered https:\/\/api\.opsgenie\.com\/v2\/schedules\/[\w-]+\/on-calls with a body that is not JSON: "<html>Bad gateway for GenieKey \*\*\*<\/html>"$/,
    ],
    [
      'answers with JSON of the wrong shape',
      () =>
        HttpResponse.json({
          data: { onCallRecipients: 'alice@example.com' },
        }),
      1,
      /^Opsgenie answered GET https:\/\/api\.opsgenie\.com\/v2\/schedules\/[\w-]+\/on-calls with a body Ownops does not understand: data\.onCallRecipients is a string, not a list$/,
    ],
  ])(
    'fails clearly when Opsgenie %s, after bounded attempts',
    async (_, failure, calls, message) => {
      const seen = opsgenie(failure);
      const { provider: onCall, logger } = provider();
      await expect(onCall.getOnCall(checkout, { at })).rejects.toThrow(message);
      expect(seen.calls).toBe(calls);
      expect(
        JSON.stringify((logger.warn as jest.Mock).mock.calls),
      ).not.toContain(API_KEY);
    },
  );

  it.each([
    [
      'schedules',
      `${API}/v2/schedules`,
      { data: [{ id: 'x' }] },
      'data[0].name is missing',
    ],
    [
      'timeline',
      `${API}/v2/schedules/:id/timeline`,
      { data: { finalTimeline: { rotations: [{ periods: [{}] }] } } },
      'data.finalTimeline.rotations[0].periods[0].startDate is missing',
    ],
  ])(
    'names what is wrong in a %s answer of the wrong shape',
    async (_, url, body, problem) => {
      opsgenie(answer);
      server.use(http.get(url, () => HttpResponse.json(body)));
      await expect(
        provider().provider.getOnCall(checkout, { at }),
      ).rejects.toThrow(`with a body Ownops does not understand: ${problem}`);
    },
  );
});

describe('a canary API key', () => {
  it.each([401, 503, 200])(
    'stays out of errors and logs when Opsgenie answers %s echoing the Authorization header',
    async status => {
      const canary = `canary-${randomUUID()}`;
      server.use(
        http.get(`${API}/v2/schedules`, ({ request }) => {
          const echoed = request.headers.get('authorization');
          return status === 200
            ? new HttpResponse(`<html>${echoed}</html>`)
            : HttpResponse.json(errorBody(`Key ${echoed} is invalid`), {
                status,
              });
        }),
      );
      const { provider: onCall, logger } = provider(canary);
      const error = await onCall.getOnCall(checkout, { at }).catch(e => e);
      expect(error.message).toContain('***');
      const seen = everyText([error, logger.warn.mock.calls]);
      expect(seen).not.toContain(canary);
    },
  );
});
