import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { Deployment } from '@ownops/backstage-plugin-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  checkout,
  config,
  EVENTS,
  ROUTING_KEY,
} from './__testUtils__/pagerDuty';
import { PagerDutyApi } from './PagerDutyApi';
import { PagerDutyChangeEventListener } from './PagerDutyChangeEventListener';

const server = setupServer();
registerMswTestHooks(server);

const deployment: Deployment = {
  id: 42,
  entityRef: 'component:default/checkout-service',
  environment: 'production',
  version: '1.4.2',
  kind: 'deploy',
  status: 'succeeded',
  targetId: 'command',
  requestedBy: 'user:default/alice',
  cancelRequested: false,
  createdAt: '2026-11-27T09:58:00.000Z',
  startedAt: '2026-11-27T09:58:05.000Z',
  finishedAt: '2026-11-27T10:00:00.000Z',
  durationMs: 115_000,
};

function setup() {
  const logger = mockServices.logger.mock();
  const listener = new PagerDutyChangeEventListener({
    api: new PagerDutyApi(config, logger),
    appBaseUrl: 'https://backstage.example.com/',
    logger,
  });
  const bodies: unknown[] = [];
  let answers: Array<() => Response> = [];
  server.use(
    http.post(`${EVENTS}/v2/change/enqueue`, async ({ request }) => {
      bodies.push(await request.json());
      const answer = answers.shift();
      return answer
        ? answer()
        : HttpResponse.json(
            { status: 'success', message: 'Change event processed' },
            { status: 202 },
          );
    }),
  );
  return {
    listener,
    logger,
    bodies,
    answer: (...next: Array<() => Response>) => {
      answers = next;
    },
    logged: () =>
      JSON.stringify(
        Object.values(logger).flatMap(fn =>
          jest.isMockFunction(fn) ? fn.mock.calls : [],
        ),
      ),
  };
}

describe('PagerDutyChangeEventListener', () => {
  it('sends the documented change event for a finished deployment', async () => {
    const { listener, bodies, logged } = setup();
    await listener.onDeploymentFinished({ deployment, entity: checkout });
    expect(bodies).toEqual([
      {
        routing_key: ROUTING_KEY,
        payload: {
          summary: 'Deployed checkout-service 1.4.2 to production (succeeded)',
          timestamp: '2026-11-27T10:00:00.000Z',
          source: 'Ownops',
          custom_details: {
            entityRef: 'component:default/checkout-service',
            environment: 'production',
            version: '1.4.2',
            kind: 'deploy',
            status: 'succeeded',
            requestedBy: 'user:default/alice',
            deploymentId: 42,
          },
        },
        links: [
          {
            href: 'https://backstage.example.com/catalog/default/component/checkout-service/deployments',
            text: 'Deployment #42 in Backstage',
          },
        ],
      },
    ]);
    expect(logged()).toContain('deployment #42');
    expect(logged()).not.toContain(ROUTING_KEY);
  });

  it('reports a failed rollback with its reason, and caps the summary', async () => {
    const { listener, bodies } = setup();
    await listener.onDeploymentFinished({
      deployment: {
        ...deployment,
        kind: 'rollback',
        status: 'failed',
        version: 'v'.repeat(2000),
        failureReason: 'exit code 2',
      },
      entity: checkout,
    });
    const { payload } = bodies[0] as {
      payload: { summary: string; custom_details: Record<string, unknown> };
    };
    expect(payload.summary).toHaveLength(1024);
    expect(
      payload.summary.startsWith('Rolled back checkout-service to vvv'),
    ).toBe(true);
    expect(payload.custom_details).toMatchObject({
      kind: 'rollback',
      status: 'failed',
      failureReason: 'exit code 2',
    });
  });

  it.each([
    [
      'without the integration-key annotation',
      deployment,
      { ...checkout, metadata: { name: 'checkout-service' } },
    ],
    ['without the entity', deployment, undefined],
    [
      'for a deployment cancelled before it started',
      { ...deployment, status: 'cancelled' as const, startedAt: undefined },
      checkout,
    ],
  ])('sends nothing %s', async (_, finished, entity) => {
    const { listener, bodies } = setup();
    await listener.onDeploymentFinished({ deployment: finished, entity });
    expect(bodies).toEqual([]);
  });

  it('reports a deployment cancelled while it ran', async () => {
    const { listener, bodies } = setup();
    await listener.onDeploymentFinished({
      deployment: { ...deployment, status: 'cancelled' },
      entity: checkout,
    });
    expect(bodies).toHaveLength(1);
  });

  it('retries after a 429 and a 5xx without the key in any message', async () => {
    const { listener, bodies, answer, logged } = setup();
    answer(
      () =>
        HttpResponse.json(
          {
            status: 'throttle event',
            message: 'Requests for this service are arriving too quickly',
          },
          { status: 429, headers: { 'retry-after': '0' } },
        ),
      () =>
        HttpResponse.json(
          { status: 'error', message: `bad gateway for ${ROUTING_KEY}` },
          { status: 502, headers: { 'retry-after': '0' } },
        ),
    );
    await listener.onDeploymentFinished({ deployment, entity: checkout });
    expect(bodies).toHaveLength(3);
    expect(logged()).toContain('retry');
    expect(logged()).not.toContain(ROUTING_KEY);
  });

  it('says what to fix when PagerDuty refuses the event, without the key', async () => {
    const { listener, answer, logged } = setup();
    answer(() =>
      HttpResponse.json(
        {
          status: 'invalid event',
          message: 'Event object is invalid',
          errors: [`'routing_key' ${ROUTING_KEY} is invalid`],
        },
        { status: 400 },
      ),
    );
    const failure = listener.onDeploymentFinished({
      deployment,
      entity: checkout,
    });
    await expect(failure).rejects.toThrow(
      /refused the change event for deployment #42 of component:default\/checkout-service: .*pagerduty\.com\/integration-key/,
    );
    const error = await failure.catch(e => e);
    expect(
      JSON.stringify([error.message, error.body, error.cause]),
    ).not.toContain(ROUTING_KEY);
    expect(logged()).not.toContain(ROUTING_KEY);
  });
});
