import {
  createMockDirectory,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { promises as fs } from 'node:fs';
import {
  OWNOPS_BASE_URL,
  testBackendCaller,
  testConfig,
} from '../__testUtils__/fixtures';
import { createRegisterServiceAction } from './registerService';

const server = setupServer();
registerMswTestHooks(server);

const budgetUrl = `${OWNOPS_BASE_URL}/entities/component/default/orders/budget`;
const environmentsUrl = `${OWNOPS_BASE_URL}/entities/component/default/orders/environments`;

/** The Ownops backend's `GET …/environments` answer for a new service. */
function environmentsAnswer(targetId: string, problem?: string) {
  return {
    entityRef: 'component:default/orders',
    environments: ['staging', 'production'].map(name => ({
      name,
      targetId,
      targetType: 'command',
      ...(problem ? { problem } : {}),
      protected: name === 'production',
      rollbackCandidates: [],
    })),
  };
}

describe('ownops:service:register', () => {
  const dir = createMockDirectory();
  let budgetRequests: Array<{ body: unknown; authorization: string | null }>;

  beforeEach(() => {
    dir.setContent({
      services: { orders: { 'catalog-info.yaml': 'kind: Component\n' } },
    });
    budgetRequests = [];
  });

  function answerBudget(status: number, body: object) {
    server.use(
      http.put(budgetUrl, async ({ request }) => {
        budgetRequests.push({
          body: await request.json(),
          authorization: request.headers.get('authorization'),
        });
        return HttpResponse.json(body, { status });
      }),
    );
  }

  function answerEnvironments(body: object) {
    server.use(http.get(environmentsUrl, () => HttpResponse.json(body)));
  }

  function setup() {
    const catalog = catalogServiceMock.mock({
      addLocation: jest.fn().mockResolvedValue({
        location: { id: 'loc-1', type: 'file', target: 'x' },
        entities: [],
      }),
      // The entity appears on the second look, as after catalog processing.
      getEntityByRef: jest
        .fn()
        .mockResolvedValueOnce(undefined)
        .mockResolvedValue({ kind: 'Component', metadata: { name: 'orders' } }),
      removeLocationById: jest.fn().mockResolvedValue(undefined),
    });
    const action = createRegisterServiceAction({
      catalog,
      backend: testBackendCaller(),
      config: testConfig({ localPublishDir: dir.resolve('services') }),
    });
    return { catalog, action };
  }

  const localInput = () => ({
    entityRef: 'component:default/orders',
    catalogInfoPath: dir.resolve('services/orders/catalog-info.yaml'),
    removeOnFailure: dir.resolve('services/orders'),
    environments: ['staging', 'production'],
    deployTarget: 'local',
    budget: { amount: 1500.5, currency: 'USD', thresholds: [50, 80, 100] },
  });

  it('registers the file, waits for the entity and sets the budget as the user', async () => {
    answerEnvironments(environmentsAnswer('local'));
    answerBudget(200, { budget: {} });
    const { catalog, action } = setup();
    const ctx = createMockActionContext({ input: localInput() as any });
    await action.handler(ctx as any);

    expect(catalog.addLocation).toHaveBeenCalledWith(
      {
        type: 'file',
        target: dir.resolve('services/orders/catalog-info.yaml'),
      },
      expect.anything(),
    );
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(2);
    expect(budgetRequests).toEqual([
      {
        body: { amount: '1500.5', currency: 'USD', thresholds: [50, 80, 100] },
        authorization: expect.stringMatching(/^Bearer .+/),
      },
    ]);
    expect(ctx.output).toHaveBeenCalledWith('budgetAmount', '1500.5');
    expect(catalog.removeLocationById).not.toHaveBeenCalled();
  });

  it.each([
    [environmentsAnswer('argo'), 'staging deploys with argo, not local'],
    [
      environmentsAnswer('local', 'unknown deploy target'),
      'staging cannot be deployed to: unknown deploy target',
    ],
    [
      { entityRef: 'component:default/orders', environments: [] },
      'the Ownops backend reports environments (none) for component:default/orders, not staging, production',
    ],
  ])(
    'undoes the registration when the backend would deploy it otherwise (%#)',
    async (answer, message) => {
      answerEnvironments(answer);
      const { catalog, action } = setup();
      const ctx = createMockActionContext({ input: localInput() as any });
      await expect(action.handler(ctx as any)).rejects.toThrow(message);
      expect(catalog.removeLocationById).toHaveBeenCalledWith(
        'loc-1',
        expect.anything(),
      );
      expect(budgetRequests).toEqual([]);
      await expect(fs.stat(dir.resolve('services/orders'))).rejects.toThrow();
    },
  );

  it('removes the registration and the published folder when the budget is refused', async () => {
    answerEnvironments(environmentsAnswer('local'));
    answerBudget(403, {
      error: { name: 'NotAllowedError', message: 'Not allowed' },
    });
    const { catalog, action } = setup();
    const ctx = createMockActionContext({ input: localInput() as any });
    await expect(action.handler(ctx as any)).rejects.toThrow(
      /component:default\/orders was not set up \(.*\); its catalog registration was removed/,
    );
    expect(catalog.removeLocationById).toHaveBeenCalledWith(
      'loc-1',
      expect.anything(),
    );
    await expect(fs.stat(dir.resolve('services/orders'))).rejects.toThrow();
  });

  it.each([
    [
      { amount: -1, currency: 'USD' },
      'budget: amount must be a non-negative number',
    ],
    [
      { amount: 'lots', currency: 'USD' },
      'budget: amount must be a non-negative number',
    ],
    [
      { amount: '10', currency: 'usd' },
      'budget: currency must be a three-letter ISO 4217 code',
    ],
    [
      { amount: '10', currency: 'USD', thresholds: [0] },
      'budget: thresholds must be',
    ],
  ])(
    'refuses budget %j before registering anything',
    async (budget, message) => {
      const { catalog, action } = setup();
      const ctx = createMockActionContext({
        input: { ...localInput(), budget } as any,
      });
      await expect(action.handler(ctx as any)).rejects.toThrow(message);
      expect(catalog.addLocation).not.toHaveBeenCalled();
      expect(budgetRequests).toEqual([]);
    },
  );

  it.each([
    [
      { catalogInfoPath: '/etc/passwd' },
      'catalogInfoPath: must be a file inside ownops.scaffolder.localPublishDir',
    ],
    [{ removeOnFailure: '/' }, 'removeOnFailure: must be a folder inside'],
    [
      { catalogInfoUrl: 'https://github.com/o/r/blob/main/catalog-info.yaml' },
      'give exactly one of catalogInfoUrl',
    ],
    [
      {
        catalogInfoPath: undefined,
        catalogInfoUrl: ['javascript', 'alert(1)'].join(':'),
      },
      'catalogInfoUrl: must be an http(s) URL',
    ],
  ])(
    'refuses location %j before registering anything',
    async (patch, message) => {
      const { catalog, action } = setup();
      const ctx = createMockActionContext({
        input: { ...localInput(), ...patch } as any,
      });
      await expect(action.handler(ctx as any)).rejects.toThrow(message);
      expect(catalog.addLocation).not.toHaveBeenCalled();
    },
  );

  it('registers a published repository by URL', async () => {
    answerEnvironments(environmentsAnswer('local'));
    answerBudget(200, { budget: {} });
    const { catalog, action } = setup();
    const url = 'https://github.com/acme/orders/blob/main/catalog-info.yaml';
    const ctx = createMockActionContext({
      input: {
        ...localInput(),
        catalogInfoPath: undefined,
        removeOnFailure: undefined,
        catalogInfoUrl: url,
      } as any,
    });
    await action.handler(ctx as any);
    expect(catalog.addLocation).toHaveBeenCalledWith(
      { type: 'url', target: url },
      expect.anything(),
    );
    expect(budgetRequests).toHaveLength(1);
  });

  it('only validates in a dry run', async () => {
    const { catalog, action } = setup();
    const ctx = {
      ...createMockActionContext({ input: localInput() as any }),
      isDryRun: true,
    };
    await action.handler(ctx as any);
    expect(catalog.addLocation).not.toHaveBeenCalled();
    expect(budgetRequests).toEqual([]);
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'component:default/orders',
    );
  });
});
