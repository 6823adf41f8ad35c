import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { EntitySummary, GroupSummary } from '@ownops/backstage-plugin-common';
import express, { NextFunction, Request, Response } from 'express';
import request from 'supertest';
import { summaryRoutes } from './summaryRoutes';

const entitySummary: EntitySummary = {
  entityRef: 'component:default/checkout',
  generatedAt: '2026-11-20T12:00:00.000Z',
  deployments: { status: 'ok', data: [] },
  cost: { status: 'error', error: 'cost failed: You may not read the cost' },
  oncall: { status: 'timeout', error: 'oncall did not answer within 3000 ms' },
};

const groupSummary: GroupSummary = {
  groupRef: 'group:default/payments',
  generatedAt: '2026-11-20T12:00:00.000Z',
  entities: 0,
  services: [],
  deployments: {
    status: 'ok',
    data: {
      since: '2026-11-13T12:00:00.000Z',
      deploymentsThisWeek: 0,
      failedDeploymentsThisWeek: 0,
      perService: [],
    },
  },
  cost: { status: 'error', error: 'cost failed: denied' },
  oncall: { status: 'ok', data: { provider: null, now: [] } },
};

function app() {
  const summaries = {
    getEntitySummary: jest.fn(async (ref: string) => {
      if (ref !== 'component:default/checkout') {
        throw new NotFoundError(`${ref} was not found in the catalog`);
      }
      return entitySummary;
    }),
    getGroupSummary: jest.fn(async (ref: string) => {
      if (ref !== 'group:default/payments') {
        throw new NotFoundError(`${ref} was not found in the catalog`);
      }
      return groupSummary;
    }),
  };
  const server = express();
  server.use(
    summaryRoutes({
      summaries,
      httpAuth: mockServices.httpAuth(),
      entityRefOf: req => stringifyEntityRef(req.params as any),
    }),
  );
  server.use(
    (error: Error, _req: Request, res: Response, _next: NextFunction) => {
      const status =
        { NotFoundError: 404, InputError: 400, AuthenticationError: 401 }[
          error.name
        ] ?? 500;
      res.status(status).json({ error: { name: error.name } });
    },
  );
  return { server, summaries };
}

describe('summaryRoutes', () => {
  it('returns the entity summary with its partial sections', async () => {
    const { server, summaries } = app();
    const res = await request(server)
      .get('/entities/component/default/checkout/summary')
      .set('Authorization', mockCredentials.user.header('user:default/alice'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual(entitySummary);
    expect(summaries.getEntitySummary).toHaveBeenCalledWith(
      'component:default/checkout',
      mockCredentials.user('user:default/alice'),
    );
  });

  it('accepts service credentials', async () => {
    const { server } = app();
    const res = await request(server)
      .get('/groups/default/payments/summary')
      .set('Authorization', mockCredentials.service.header());
    expect(res.status).toBe(200);
    expect(res.body).toEqual(groupSummary);
  });

  it('is a 404 for an entity or group the caller cannot see', async () => {
    const { server } = app();
    const entity = await request(server)
      .get('/entities/component/default/secret/summary')
      .set('Authorization', mockCredentials.user.header());
    expect(entity.status).toBe(404);
    const group = await request(server)
      .get('/groups/default/secret/summary')
      .set('Authorization', mockCredentials.user.header());
    expect(group.status).toBe(404);
  });
});
