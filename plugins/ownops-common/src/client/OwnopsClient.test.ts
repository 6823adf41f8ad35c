import { OwnopsClient } from './OwnopsClient';

describe('OwnopsClient', () => {
  const discoveryApi = {
    getBaseUrl: async () => 'http://backstage/api/ownops',
  };

  it('sends deploy requests with the idempotency key and token', async () => {
    const fetch = jest.fn(
      async () =>
        new Response(JSON.stringify({ id: 7 }), {
          status: 201,
          headers: { 'Content-Type': 'application/json' },
        }),
    );
    const client = new OwnopsClient({ discoveryApi, fetchApi: { fetch } });
    await expect(
      client.createDeployment(
        'Component:default/Checkout',
        { environment: 'staging', version: '1.0.0' },
        { idempotencyKey: 'k-1', token: 't0ken' },
      ),
    ).resolves.toEqual({ id: 7 });
    expect(fetch).toHaveBeenCalledWith(
      'http://backstage/api/ownops/entities/component/default/checkout/deployments',
      {
        method: 'POST',
        headers: {
          'Idempotency-Key': 'k-1',
          'Content-Type': 'application/json',
          Authorization: 'Bearer t0ken',
        },
        body: JSON.stringify({ environment: 'staging', version: '1.0.0' }),
      },
    );
  });

  it('turns error responses into ResponseErrors with the server message', async () => {
    const fetch = jest.fn(
      async () =>
        new Response(
          JSON.stringify({
            error: {
              name: 'ConflictError',
              message: 'Deployment #3 is running',
            },
            response: { statusCode: 409 },
          }),
          { status: 409, headers: { 'Content-Type': 'application/json' } },
        ),
    );
    const client = new OwnopsClient({ discoveryApi, fetchApi: { fetch } });
    await expect(client.approveDeployment(3)).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 409,
      body: { error: { message: 'Deployment #3 is running' } },
    });
  });

  it('encodes queries and skips empty values', async () => {
    const fetch = jest.fn(
      async () => new Response(JSON.stringify({ items: [] }), { status: 200 }),
    );
    const client = new OwnopsClient({ discoveryApi, fetchApi: { fetch } });
    await client.listDeployments('component:default/checkout', {
      environment: 'staging',
      status: undefined,
      limit: 10,
      cursor: '42',
    });
    expect(fetch).toHaveBeenCalledWith(
      'http://backstage/api/ownops/entities/component/default/checkout/deployments?environment=staging&limit=10&cursor=42',
      expect.objectContaining({ method: 'GET' }),
    );
  });

  it('fetches entity and group summaries', async () => {
    const fetch = jest.fn(
      async () => new Response(JSON.stringify({}), { status: 200 }),
    );
    const client = new OwnopsClient({ discoveryApi, fetchApi: { fetch } });
    await client.getEntitySummary('Component:default/Checkout', {
      token: 't0ken',
    });
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backstage/api/ownops/entities/component/default/checkout/summary',
      expect.objectContaining({
        method: 'GET',
        headers: expect.objectContaining({ Authorization: 'Bearer t0ken' }),
      }),
    );
    await client.getGroupSummary('group:default/Payments');
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backstage/api/ownops/groups/default/payments/summary',
      expect.objectContaining({ method: 'GET' }),
    );
    await client.getGroupSummary('payments');
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backstage/api/ownops/groups/default/payments/summary',
      expect.objectContaining({ method: 'GET' }),
    );
    await expect(
      client.getGroupSummary('component:default/checkout'),
    ).rejects.toThrow('is not a group');
  });

  it('fetches who is on call and manages on-call overrides', async () => {
    const fetch = jest.fn(async (_url: RequestInfo | URL, init?: RequestInit) =>
      init?.method === 'DELETE'
        ? new Response(null, { status: 204 })
        : new Response(JSON.stringify({ id: 5, items: [] }), { status: 200 }),
    );
    const client = new OwnopsClient({ discoveryApi, fetchApi: { fetch } });
    await client.getEntityOnCall('Component:default/Checkout');
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backstage/api/ownops/entities/component/default/checkout/oncall',
      expect.objectContaining({ method: 'GET' }),
    );
    await client.listOnCallOverrides('group:default/Payments', {
      from: '2026-12-01T00:00:00Z',
      to: undefined,
    });
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backstage/api/ownops/groups/default/payments/oncall-overrides?from=2026-12-01T00%3A00%3A00Z',
      expect.objectContaining({ method: 'GET' }),
    );
    const override = {
      userRef: 'user:default/alice',
      start: '2026-12-01T09:00:00Z',
      end: '2026-12-02T09:00:00Z',
      reason: 'swap',
    };
    await expect(
      client.createOnCallOverride('group:default/payments', override, {
        token: 't0ken',
      }),
    ).resolves.toEqual({ id: 5, items: [] });
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backstage/api/ownops/groups/default/payments/oncall-overrides',
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: 'Bearer t0ken',
        },
        body: JSON.stringify(override),
      },
    );
    await expect(
      client.deleteOnCallOverride('group:default/payments', 5),
    ).resolves.toBeUndefined();
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backstage/api/ownops/groups/default/payments/oncall-overrides/5',
      expect.objectContaining({ method: 'DELETE' }),
    );
    await expect(
      client.createOnCallOverride('component:default/checkout', override),
    ).rejects.toThrow('is not a group');
  });
});
