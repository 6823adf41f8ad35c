import {
  createMockDirectory,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import fc from 'fast-check';
import { validate } from 'jsonschema';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { unlessClientError } from '@ownops/backstage-plugin-node/testUtils';
import {
  catalogEntities,
  deployTargetsHandler,
  guest,
  OWNOPS_BASE_URL,
  ordersOwnership,
  ordersWorkspace,
  testBackendCaller,
  testConfig,
} from '../__testUtils__/fixtures';
import { createPublishLocalAction } from '../actions/publishLocal';
import { createRegisterServiceAction } from '../actions/registerService';
import { createResolveOwnerTagsAction } from '../actions/resolveOwnerTags';
import { createStampOwnerTagsAction } from '../actions/stampOwnerTags';
import { createVerifyOwnerTagsAction } from '../actions/verifyOwnerTags';

jest.setTimeout(300_000);

/** Runs per action; OWNOPS_PROPERTY_RUNS raises it for a longer hunt. */
const NUM_RUNS = Number(process.env.OWNOPS_PROPERTY_RUNS ?? 100);
/** Fixed so a failure reproduces; OWNOPS_PROPERTY_SEED explores others. */
const SEED = Number(process.env.OWNOPS_PROPERTY_SEED ?? 20261127);

/** Errors the scaffolder shows the user as a refusal; anything else is a crash. */
const dir = createMockDirectory();
const WORKSPACE = 'workspace';
const PUBLISH_DIR = 'services';

/** The generated service, an already published one, and a file beside both. */
function resetFiles() {
  dir.setContent({
    [WORKSPACE]: ordersWorkspace,
    [PUBLISH_DIR]: {
      orders: { 'catalog-info.yaml': 'kind: Component\n' },
    },
    'outside.txt': 'must never change\n',
  });
}

// Strings a template parameter can carry into an action input.
const attacks = fc.constantFrom(
  '${{ secrets.GITHUB_TOKEN }}',
  '{% include "/etc/passwd" %}',
  '{{ 7 * 7 }}',
  '../',
  '../../outside.txt',
  '../outside.txt',
  '/etc/passwd',
  '/',
  '.',
  '',
  ' ',
  'C:\\Windows',
  'a\\..\\..\\b',
  // eslint-disable-next-line no-script-url
  'javascript:alert(1)',
  'file:///etc/passwd',
  'http://169.254.169.254/latest/meta-data',
  'infra/../../outside.txt',
  'a\u0000b',
  'line\nbreak',
  '\u202eevil',
  '😀',
  '__proto__',
  'x'.repeat(5000),
);
const hostileString = fc.oneof(
  { weight: 3, arbitrary: attacks },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 3 }) },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.jsonValue({ maxDepth: 2 }),
    ),
  },
);

/** Leaves a field out of the input. */
const OMIT = Symbol('omit');

/** The valid value most of the time, else one of the odd ones. */
function mostly<T>(
  valid: T | typeof OMIT,
  ...odd: Array<T | typeof OMIT>
): fc.Arbitrary<T | typeof OMIT> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(valid) },
    { weight: 1, arbitrary: fc.constantFrom(valid, ...odd) },
  );
}

/**
 * An input with each field usually plausible, sometimes hostile or left
 * out, sometimes with an unknown field: about one in ten is entirely valid,
 * so the actions' success paths run too.
 */
function inputOf(
  fields: Record<string, fc.Arbitrary<unknown>>,
): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(
      fc.record(
        Object.fromEntries(
          Object.entries(fields).map(([key, plausible]) => [
            key,
            fc.oneof(
              { weight: 20, arbitrary: plausible },
              { weight: 2, arbitrary: hostileValue },
              { weight: 1, arbitrary: fc.constant(OMIT) },
            ),
          ]),
        ),
      ),
      fc.option(hostileValue, { freq: 8 }),
    )
    .map(([input, extra]) => ({
      ...Object.fromEntries(
        Object.entries(input).filter(([, value]) => value !== OMIT),
      ),
      ...(extra === null ? {} : { extra }),
    }));
}

const environments = mostly(
  ['staging', 'production'],
  ['staging'],
  ['staging', 'staging'],
  ['Prod'],
  ['../x'],
);
const layout = {
  entityRef: mostly(ordersOwnership.entityRef, 'component:default/../x'),
  ownerRef: mostly(ordersOwnership.ownerRef, 'group:default/x y'),
  costCenter: mostly(ordersOwnership.costCenter, 'cc 1'),
  environments,
  deployTarget: mostly('local', 'other'),
  terraformDirs: mostly(OMIT, ['infra'], [], ['infra', 'infra'], ['k8s']),
  kubernetesDirs: mostly(OMIT, ['k8s'], [], ['infra']),
  catalogInfoPath: mostly(OMIT, 'catalog-info.yaml', 'missing.yaml'),
};

const budgetRequests: unknown[] = [];
const server = setupServer(
  deployTargetsHandler,
  http.get(
    `${OWNOPS_BASE_URL}/entities/component/default/orders/environments`,
    () =>
      HttpResponse.json({
        entityRef: 'component:default/orders',
        environments: ['staging', 'production'].map(name => ({
          name,
          targetId: 'local',
          targetType: 'command',
          protected: name === 'production',
          rollbackCandidates: [],
        })),
      }),
  ),
  http.put(
    `${OWNOPS_BASE_URL}/entities/component/default/orders/budget`,
    async ({ request }) => {
      budgetRequests.push(await request.json());
      return HttpResponse.json({ source: 'set', budget: {} });
    },
  ),
);
registerMswTestHooks(server);

interface Harness {
  /**
   * What the action may change when it succeeds; a refusal changes none of
   * it, and neither does a dry run outside the workspace (a dry run runs in
   * a scratch copy of the workspace and shows the files it leaves there).
   */
  effects(
    scope: 'all' | 'outside workspace',
    input: Record<string, unknown>,
  ): unknown;
}

function files(scope: 'all' | 'outside workspace') {
  const { [WORKSPACE]: workspace, ...outside } = dir.content() as Record<
    string,
    unknown
  >;
  return scope === 'all' ? { [WORKSPACE]: workspace, ...outside } : outside;
}

const config = () =>
  testConfig({
    localPublishDir: dir.resolve(PUBLISH_DIR),
    registerTimeoutMs: 100,
  });

/**
 * The catalog: the fixtures' groups and users, plus `orders` once
 * registered (the register action waits for it to appear).
 */
function catalog(options: { withOrders: boolean }) {
  const entities = [
    ...catalogEntities,
    ...(options.withOrders
      ? [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name: 'orders', namespace: 'default' },
          },
        ]
      : []),
  ];
  const mock = catalogServiceMock.mock({
    getEntityByRef: async ref =>
      entities.find(
        e =>
          `${e.kind}:${e.metadata.namespace}/${e.metadata.name}`.toLocaleLowerCase(
            'en-US',
          ) === String(ref).toLocaleLowerCase('en-US'),
      ),
    addLocation: jest.fn().mockResolvedValue({
      location: { id: 'loc-1', type: 'file', target: 'x' },
      entities: [],
    }),
  });
  return mock;
}

/** Stamps the workspace as the template's stamp step would, before verify runs. */
async function stampWorkspace() {
  await createStampOwnerTagsAction({ config: config() }).handler(
    createMockActionContext({
      input: ordersOwnership as any,
      workspacePath: dir.resolve(WORKSPACE),
    }) as any,
  );
}

/** Every action with the fields of a plausible input and what its effects are. */
const ACTIONS: Array<{
  id: string;
  fields: Record<string, fc.Arbitrary<unknown>>;
  create(): { action: any; harness: Harness };
  /** Files the action expects from earlier steps. */
  prepare?: () => Promise<void>;
}> = [
  {
    id: 'ownops:tags:resolve',
    fields: {
      name: mostly('orders', 'checkout-service', 'Orders'),
      description: mostly('Takes orders', OMIT),
      owner: mostly(
        'group:default/team-checkout',
        'team-nocc',
        'group:default/missing',
        'user:default/guest',
      ),
      costCenter: mostly(OMIT, 'cc-2002', ' '),
      environments,
      deployTarget: mostly('local', 'other'),
    },
    create: () => ({
      action: createResolveOwnerTagsAction({
        catalog: catalog({ withOrders: false }),
        backend: testBackendCaller(),
        config: config(),
      }),
      harness: { effects: files },
    }),
  },
  {
    id: 'ownops:tags:stamp',
    fields: layout,
    create: () => ({
      action: createStampOwnerTagsAction({ config: config() }),
      harness: { effects: files },
    }),
  },
  {
    id: 'ownops:tags:verify',
    fields: layout,
    prepare: stampWorkspace,
    create: () => ({
      action: createVerifyOwnerTagsAction({ config: config() }),
      harness: { effects: files },
    }),
  },
  {
    id: 'ownops:publish:local',
    fields: {
      name: mostly('payments', 'orders'),
      catalogInfoPath: mostly(OMIT, 'catalog-info.yaml', 'infra/main.tf'),
    },
    create: () => ({
      action: createPublishLocalAction({ config: config() }),
      harness: { effects: files },
    }),
  },
  {
    id: 'ownops:service:register',
    fields: {
      entityRef: mostly('component:default/orders', 'orders'),
      catalogInfoPath: mostly(
        dir.resolve(PUBLISH_DIR, 'orders/catalog-info.yaml'),
        dir.resolve('outside.txt'),
      ),
      catalogInfoUrl: mostly(
        OMIT,
        'https://git.example.com/orders/catalog-info.yaml',
      ),
      environments: mostly(['staging', 'production'], ['staging']),
      deployTarget: mostly('local', 'other'),
      removeOnFailure: mostly(
        dir.resolve(PUBLISH_DIR, 'orders'),
        dir.resolve(PUBLISH_DIR),
        dir.path,
      ),
      budget: fc.record(
        {
          amount: fc.oneof(
            { weight: 4, arbitrary: mostly('1500.00', '0', '-1', '1e3') },
            { weight: 1, arbitrary: fc.double() },
          ),
          currency: mostly('USD', 'usd', 'XXX'),
          thresholds: fc.array(fc.integer({ min: -5, max: 500 }), {
            maxLength: 4,
          }),
        },
        { requiredKeys: ['amount', 'currency'] },
      ),
    },
    create: () => {
      const mock = catalog({ withOrders: true });
      return {
        action: createRegisterServiceAction({
          catalog: mock,
          backend: testBackendCaller(),
          config: config(),
        }),
        harness: {
          effects: (scope, input) => {
            const { [PUBLISH_DIR]: published, ...others } = files(scope);
            return {
              files: others,
              // A failed registration removes, by design, the folder
              // ownops:publish:local made (removeOnFailure), and nothing
              // else: every other published folder stays.
              published: Object.keys((published ?? {}) as object).filter(
                name =>
                  dir.resolve(PUBLISH_DIR, name) !== input.removeOnFailure,
              ),
              // A registration that is undone is no registration.
              registered:
                mock.addLocation.mock.calls.length -
                mock.removeLocationById.mock.calls.length,
              budgets: budgetRequests.length,
            };
          },
        },
      };
    },
  },
];

describe('every Ownops scaffolder action under hostile input', () => {
  it('covers every action the module registers', () => {
    const ids = [
      'ownops:tags:resolve',
      'ownops:tags:stamp',
      'ownops:tags:verify',
      'ownops:publish:local',
      'ownops:service:register',
    ];
    expect(ACTIONS.map(a => a.create().action.id)).toEqual(ids);
    expect(ACTIONS.map(a => a.id)).toEqual(ids);
  });

  it.each(ACTIONS.map(a => [a.id, a] as const))(
    '%s: input the schema admits is done or refused with a clear error, and a refusal or dry run changes nothing',
    async (_id, { fields, create, prepare }) => {
      const schema = create().action.schema.input;
      await fc.assert(
        fc.asyncProperty(
          // The scaffolder validates input against the action's schema
          // before calling it, refusing what does not fit with an InputError.
          inputOf(fields).filter(input => validate(input, schema).valid),
          fc.boolean(),
          async (input, isDryRun) => {
            resetFiles();
            await prepare?.();
            const { action, harness } = create();
            const scope = isDryRun ? 'outside workspace' : 'all';
            const before = harness.effects(scope, input);
            const ctx = {
              ...createMockActionContext({
                input: input as any,
                workspacePath: dir.resolve(WORKSPACE),
                user: { ref: 'user:default/guest', entity: guest as any },
              }),
              isDryRun,
            };
            const error = await action.handler(ctx).then(
              () => undefined,
              (e: Error) => e,
            );
            expect(unlessClientError(error)).toBeUndefined();
            expect(
              error || isDryRun ? harness.effects(scope, input) : before,
            ).toEqual(before);
          },
        ),
        { numRuns: NUM_RUNS, seed: SEED, verbose: 1 },
      );
    },
  );
});
