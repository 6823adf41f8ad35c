import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  catalogEntities,
  deployTargetsHandler,
  guest,
  OWNOPS_BASE_URL,
  testBackendCaller,
  testConfig,
} from '../__testUtils__/fixtures';
import { OwnopsScaffolderConfig } from '../config';
import { createResolveOwnerTagsAction } from './resolveOwnerTags';

const server = setupServer(deployTargetsHandler);
registerMswTestHooks(server);

const validInput = {
  name: 'orders',
  description: 'Takes orders',
  owner: 'group:default/team-checkout',
  environments: ['staging', 'production'],
  deployTarget: 'local',
};

async function run(
  input: Record<string, unknown>,
  config: Partial<OwnopsScaffolderConfig> = {},
  user: { ref?: string; entity?: any } = {
    ref: 'user:default/guest',
    entity: guest,
  },
) {
  const action = createResolveOwnerTagsAction({
    catalog: catalogServiceMock({ entities: catalogEntities }),
    backend: testBackendCaller(),
    config: testConfig(config),
  });
  const ctx = createMockActionContext({ input: input as any, user });
  await action.handler(ctx as any);
  return Object.fromEntries(
    (ctx.output as jest.Mock).mock.calls.map(([k, v]) => [k, v]),
  );
}

describe('ownops:tags:resolve', () => {
  it('resolves the owner tags of every environment from the owner group', async () => {
    const output = await run(validInput);
    expect(output).toEqual({
      entityRef: 'component:default/orders',
      ownerRef: 'group:default/team-checkout',
      costCenter: 'cc-1001',
      environments: ['staging', 'production'],
      deployTarget: 'local',
      requiredKeys: ['backstage-entity', 'owner', 'cost-center', 'environment'],
      tags: {
        staging: {
          'backstage-entity': 'component.default.orders',
          owner: 'group.default.team-checkout',
          'cost-center': 'cc-1001',
          environment: 'staging',
        },
        production: {
          'backstage-entity': 'component.default.orders',
          owner: 'group.default.team-checkout',
          'cost-center': 'cc-1001',
          environment: 'production',
        },
      },
    });
  });

  it.each([
    [{ name: '../etc' }, 'name: "../etc" must be a plain name, not a path'],
    [{ name: '/etc/passwd' }, 'name: "/etc/passwd" must be a plain name'],
    [
      { name: '${{ secrets.x }}' },
      'name: must not contain template expressions',
    ],
    [{ name: 'a\u0007b' }, 'name: must not contain control characters'],
    [{ name: 'x'.repeat(41) }, 'name: must be at most 40 characters'],
    [
      { description: 'hi {% raw %}' },
      'description: must not contain template expressions',
    ],
    [
      { description: 'y'.repeat(301) },
      'description: must be at most 300 characters',
    ],
    [
      { environments: [] },
      'environments: at least one environment is required',
    ],
    [
      { environments: ['Prod'] },
      'environments: "Prod" must be a lower-case name',
    ],
    [{ environments: ['dev', 'dev'] }, 'environments: must not repeat'],
    [{ costCenter: 'cc 1' }, 'costCenter: "cc 1" may only contain'],
    [
      { owner: 'group:default/' },
      'owner: "group:default/" is not an entity reference',
    ],
  ])(
    'refuses %j naming the field, before any lookup',
    async (patch, message) => {
      await expect(run({ ...validInput, ...patch })).rejects.toThrow(message);
    },
  );

  it('lists every bad field at once', async () => {
    await expect(
      run({ ...validInput, name: '../x', environments: ['A'] }),
    ).rejects.toThrow(/name: .*; environments: /);
  });

  it('refuses an owner that is not a group', async () => {
    await expect(
      run({ ...validInput, owner: 'user:default/guest' }),
    ).rejects.toThrow(
      'owner: user:default/guest is a User, but a service must be owned by a Group',
    );
  });

  it('refuses an owner that is not in the catalog', async () => {
    await expect(
      run({ ...validInput, owner: 'group:default/nobody' }),
    ).rejects.toThrow(
      'owner: group:default/nobody was not found in the catalog',
    );
  });

  it('refuses a creator who is not a member of the owner group', async () => {
    await expect(
      run(validInput, {}, { ref: 'user:default/bob' }),
    ).rejects.toThrow(
      'owner: user:default/bob is not a member of group:default/team-checkout',
    );
  });

  it('lets anyone choose any group when membership is not required', async () => {
    const output = await run(
      validInput,
      { requireOwnerMembership: false },
      { ref: 'user:default/bob' },
    );
    expect(output.ownerRef).toBe('group:default/team-checkout');
  });

  it('refuses a cost center override the policy forbids', async () => {
    await expect(run({ ...validInput, costCenter: 'cc-2000' })).rejects.toThrow(
      'costCenter: "cc-2000" differs from group:default/team-checkout\'s cost center "cc-1001", and the tag policy (ownops.tags.allowCostCenterOverride) does not allow overriding it',
    );
  });

  it('takes a cost center override the policy allows', async () => {
    const output = await run(
      { ...validInput, costCenter: 'cc-2000' },
      { allowCostCenterOverride: true },
    );
    expect(output.costCenter).toBe('cc-2000');
    expect(output.tags.staging['cost-center']).toBe('cc-2000');
  });

  it('refuses a group without a cost center when the form gives none', async () => {
    await expect(
      run({ ...validInput, owner: 'group:default/team-nocc' }),
    ).rejects.toThrow(
      'costCenter: group:default/team-nocc has no ownops.io/cost-center annotation and the form gave none',
    );
  });

  it('refuses a name that is already in the catalog', async () => {
    await expect(
      run({ ...validInput, name: 'checkout-service' }),
    ).rejects.toThrow(
      'name: component:default/checkout-service already exists in the catalog',
    );
  });

  it('refuses a deploy target the backend does not know', async () => {
    await expect(run({ ...validInput, deployTarget: 'argo' })).rejects.toThrow(
      'deployTarget: "argo" is not a deploy target of this portal (known: local)',
    );
  });

  it('names the Ownops backend when it fails or does not answer', async () => {
    server.use(
      http.get(`${OWNOPS_BASE_URL}/deploy-targets`, () =>
        HttpResponse.json(
          { error: { name: 'Error', message: 'database is down' } },
          { status: 500 },
        ),
      ),
    );
    await expect(run(validInput)).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message:
        'Could not check the deploy target "local": the Ownops backend answered 500 Internal Server Error. Check that its plugin runs (GET /api/ownops/health) and try again.',
    });

    server.use(
      http.get(`${OWNOPS_BASE_URL}/deploy-targets`, () => HttpResponse.error()),
    );
    await expect(run(validInput)).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringMatching(
        /^Could not check the deploy target "local": the Ownops backend did not answer \(.+\)\. Check that/,
      ),
    });
  });

  it('passes the Ownops backend refusals on unchanged', async () => {
    server.use(
      http.get(`${OWNOPS_BASE_URL}/deploy-targets`, () =>
        HttpResponse.json(
          { error: { name: 'NotAllowedError', message: 'no' } },
          { status: 403 },
        ),
      ),
    );
    await expect(run(validInput)).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 403,
    });
  });

  it('uses the configured tag keys', async () => {
    const output = await run(validInput, {
      tagKeys: {
        entity: 'app',
        owner: 'team',
        costCenter: 'example.com/cost-center',
        environment: 'env',
      },
    });
    expect(output.tags.production).toEqual({
      app: 'component.default.orders',
      team: 'group.default.team-checkout',
      'example.com/cost-center': 'cc-1001',
      env: 'production',
    });
  });
});
