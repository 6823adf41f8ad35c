import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { everyText, inTurn } from '@ownops/backstage-plugin-node/testUtils';
import { randomUUID } from 'node:crypto';
import {
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

jest.setTimeout(30_000);

const at = new Date('2026-11-27T10:00:00Z');
const shift = oncall({
  userId: 'PXPGF42',
  name: 'Alice A.',
  email: 'alice@example.com',
  level: 1,
  start: '2026-11-23T09:00:00+01:00',
  end: null,
});
const rateLimited = (headers: Record<string, string>) =>
  HttpResponse.json(
    { error: { code: 2020, message: 'Rate Limit Exceeded', errors: [] } },
    { status: 429, headers },
  );

type Answer = () => Response | Promise<Response>;

/**
 * PagerDuty answers `GET /services/{id}` with the given answers in turn
 * (the last one repeated), and the on-calls normally.
 */
function pagerDuty(...serviceAnswers: Answer[]) {
  const service = inTurn(...serviceAnswers);
  server.use(
    http.get(`${API}/services/PIJ90N7`, () => service()),
    http.get(`${API}/oncalls`, () => HttpResponse.json(oncallsPage([shift]))),
  );
  return service;
}

function provider(apiToken = TOKEN) {
  const logger = mockServices.logger.mock();
  return {
    logger,
    provider: new PagerDutyOnCallProvider({
      api: new PagerDutyApi({ ...config, apiToken, timeoutMs: 200 }, logger),
      people: catalogPeople().people,
    }),
  };
}

describe('PagerDuty faults', () => {
  it.each<[string, Answer[], number, RegExp]>([
    [
      'a 5xx, then the answer',
      [
        () =>
          HttpResponse.json(
            { error: { code: 2000, message: 'Internal Error' } },
            { status: 502 },
          ),
        () => HttpResponse.json(serviceBody),
      ],
      2,
      /^PagerDuty answered 502 Bad Gateway to GET .*: Internal Error; retry 1 of 3 in 0\.\d s$/,
    ],
    [
      'a 429 with Retry-After, then the answer',
      [
        () => rateLimited({ 'retry-after': '1' }),
        () => HttpResponse.json(serviceBody),
      ],
      2,
      /^PagerDuty answered 429 Too Many Requests .*; retry 1 of 3 in 1\.0 s$/,
    ],
    [
      'a 429 with ratelimit-reset, then the answer',
      [
        () => rateLimited({ 'ratelimit-reset': '1' }),
        () => HttpResponse.json(serviceBody),
      ],
      2,
      /^PagerDuty answered 429 Too Many Requests .*; retry 1 of 3 in 1\.0 s$/,
    ],
  ])('reads the on-call after %s', async (_, answers, calls, warning) => {
    const seen = pagerDuty(...answers);
    const { provider: onCall, logger } = provider();
    const report = await onCall.getOnCall(checkout, { at });
    expect(report.now.map(s => s.person.name)).toEqual(['Alice Example']);
    expect(seen.calls).toBe(calls);
    // The wait it announced is the one the provider asked for.
    expect(logger.warn).toHaveBeenCalledWith(expect.stringMatching(warning));
  });

  it.each<[string, Answer, number, RegExp]>([
    [
      'hangs past the timeout',
      async () => {
        await delay('infinite');
        return HttpResponse.json(serviceBody);
      },
      4,
      /^PagerDuty did not answer GET https:\/\/api\.pagerduty\.com\/services\/PIJ90N7 within 200 ms$/,
    ],
    [
      'asks to wait longer than allowed',
      () => rateLimited({ 'ratelimit-reset': '3600' }),
      1,
      /^PagerDuty answered 429 Too Many Requests to GET https:\/\/api\.pagerduty\.com\/services\/PIJ90N7: Rate Limit Exceeded; it asks to wait 3600 s \(until \d{4}-\d\d-\d\dT[\d:.]+Z\), try again then$/,
    ],
    [
      'answers with a body that is not JSON',
      () =>
        new HttpResponse(`<html>502 at the edge, token ${TOKEN}</html>`, {
          headers: { 'content-type': 'text/html' },
        }),
      1,
      /^PagerDuty answered https:\/\/api\.pagerduty\.com\/services\/PIJ90N7 with a body that is not JSON: "<html>502 at the edge, token \*\*\*<\/html>"$/,
    ],
    [
      'answers with JSON of the wrong shape',
      () => HttpResponse.json({ service: { id: 'PIJ90N7', name: 'Checkout' } }),
      1,
      /^PagerDuty answered GET https:\/\/api\.pagerduty\.com\/services\/PIJ90N7 with a body Ownops does not understand: service\.escalation_policy is missing$/,
    ],
  ])(
    'fails clearly when PagerDuty %s, after bounded attempts',
    async (_, answer, calls, message) => {
      const seen = pagerDuty(answer);
      const { provider: onCall, logger } = provider();
      await expect(onCall.getOnCall(checkout, { at })).rejects.toThrow(message);
      expect(seen.calls).toBe(calls);
      expect(
        JSON.stringify((logger.warn as jest.Mock).mock.calls),
      ).not.toContain(TOKEN);
    },
  );

  it('fails clearly on an on-call page of the wrong shape, and reads it whole once PagerDuty is well again', async () => {
    let broken = true;
    pagerDuty(() => HttpResponse.json(serviceBody));
    server.use(
      http.get(`${API}/oncalls`, () =>
        broken
          ? HttpResponse.json({ oncalls: [{ ...shift, user: 'PXPGF42' }] })
          : HttpResponse.json(oncallsPage([shift])),
      ),
    );
    const { provider: onCall } = provider();
    await expect(onCall.getOnCall(checkout, { at })).rejects.toThrow(
      'PagerDuty answered GET https://api.pagerduty.com/oncalls with a body Ownops does not understand: oncalls[0].user is a string, not an object',
    );
    broken = false;
    const report = await onCall.getOnCall(checkout, { at });
    expect(report.now).toHaveLength(1);
  });
});

describe('a canary API token', () => {
  it.each([401, 503, 200])(
    'stays out of errors and logs when PagerDuty answers %s echoing the Authorization header',
    async status => {
      const canary = `canary-${randomUUID()}`;
      server.use(
        http.get(`${API}/services/PIJ90N7`, ({ request }) => {
          const echoed = request.headers.get('authorization');
          return status === 200
            ? new HttpResponse(`<html>${echoed}</html>`)
            : HttpResponse.json(
                {
                  error: {
                    code: 2006,
                    message: `Bad ${echoed}`,
                    errors: [echoed],
                  },
                },
                { status },
              );
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
