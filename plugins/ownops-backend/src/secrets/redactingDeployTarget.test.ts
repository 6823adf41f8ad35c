import { Entity } from '@backstage/catalog-model';
import {
  CostRecord,
  DeployRequest,
  DeployTarget,
  ProviderRequestError,
} from '@ownops/backstage-plugin-node';
import { redactingDeployTarget } from './redactingDeployTarget';
import {
  redactingCostSource,
  redactingOnCallProvider,
} from './redactingProviders';
import { redactorOf } from './redactSecrets';

const SECRET = 's3cr3t-token-value';
const redact = redactorOf([SECRET, `short-${SECRET}`]);
const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout' },
};
const request: DeployRequest = {
  deploymentId: 1,
  kind: 'deploy',
  entity,
  entityRef: 'component:default/checkout',
  environment: 'staging',
  version: '1.0.0',
};
const signal = new AbortController().signal;

function collect() {
  const lines: string[] = [];
  return {
    lines,
    log: {
      info: (m: string) => lines.push(`info ${m}`),
      error: (m: string) => lines.push(`error ${m}`),
    },
  };
}

describe('redactingDeployTarget', () => {
  it('redacts log lines and reasons, and keeps what the target lacks absent', async () => {
    const target = redactingDeployTarget(
      {
        id: 't',
        type: 'x',
        async deploy(_, { log }) {
          log.info(`Bearer short-${SECRET}`);
          log.error(`token=${SECRET}`);
          return { state: 'failed', reason: `refused ${SECRET}` };
        },
      },
      redact,
    );
    const { lines, log } = collect();
    expect(await target.deploy(request, { log, signal })).toEqual({
      state: 'failed',
      reason: 'refused ***',
    });
    expect(lines).toEqual(['info Bearer ***', 'error token=***']);
    expect(target.status).toBeUndefined();
    expect(target.rollback).toBeUndefined();
    expect(target.listVersions).toBeUndefined();
  });

  it('keeps the class and transience of an error while redacting its message and cause', async () => {
    const cause = new Error(`socket said ${SECRET}`);
    const target = redactingDeployTarget(
      {
        id: 't',
        type: 'x',
        deploy: async () => ({ state: 'pending', externalHandle: 'run-1' }),
        async status() {
          throw new ProviderRequestError({
            provider: 'X',
            status: 503,
            message: `X answered 503 for ${SECRET}`,
            cause,
          });
        },
      },
      redact,
    );
    const error = await target.status!('run-1', { signal }).catch(e => e);
    expect(error).toBeInstanceOf(ProviderRequestError);
    expect(error.transient).toBe(true);
    expect(error.message).toBe('X answered 503 for ***');
    expect(error.stack).not.toContain(SECRET);
    expect(error.cause.message).toBe('socket said ***');
  });

  it('refuses a handle that carries a secret instead of storing it', async () => {
    const target = redactingDeployTarget(
      {
        id: 't',
        type: 'x',
        deploy: async () => ({
          state: 'pending',
          externalHandle: `https://ci.test/run?token=${SECRET}`,
        }),
      },
      redact,
    );
    const result = await target.deploy(request, { ...collect(), signal });
    expect(result).toEqual({
      state: 'failed',
      reason: expect.stringContaining(
        'returned an external handle that contains a configured secret',
      ),
    });
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });

  it('redacts versions and history', async () => {
    const inner: DeployTarget = {
      id: 't',
      type: 'x',
      deploy: async () => ({ state: 'succeeded' }),
      listVersions: async () => [{ version: '1', description: SECRET }],
      listHistory: async () => [
        {
          id: 'e1',
          version: '1',
          status: 'succeeded',
          startedAt: '2026-11-01T00:00:00Z',
          url: `https://ci.test/?t=${SECRET}`,
        } as any,
      ],
    };
    const target = redactingDeployTarget(inner, redact);
    expect(await target.listVersions!(entity, 'staging', { signal })).toEqual([
      { version: '1', description: '***' },
    ]);
    expect(
      (await target.listHistory!(entity, 'staging', { signal, limit: 5 }))[0],
    ).toMatchObject({ url: 'https://ci.test/?t=***' });
  });
});

describe('redacting providers', () => {
  it('redacts on-call reports and errors', async () => {
    const provider = redactingOnCallProvider(
      {
        id: 'p',
        appliesTo: () => true,
        getOnCall: async () => ({
          now: [],
          url: `https://pager.test/?key=${SECRET}`,
        }),
      },
      redact,
    );
    expect(await provider.getOnCall(entity, { at: new Date() })).toEqual({
      now: [],
      url: 'https://pager.test/?key=***',
    });
  });

  it('redacts cost records and the error that ends a read', async () => {
    const source = redactingCostSource(
      {
        id: 'c',
        async *read() {
          yield {
            chargePeriodStart: '2026-11-01T00:00:00Z',
            chargePeriodEnd: '2026-11-02T00:00:00Z',
            billedCost: '1',
            effectiveCost: '1',
            billingCurrency: 'USD',
            serviceCategory: 'Compute',
            serviceName: 'Compute',
            chargeCategory: 'Usage',
            tags: { owner: SECRET },
            source: { file: SECRET, line: 3 },
          };
          throw new Error(`billing API refused ${SECRET}`);
        },
      },
      redact,
    );
    const records: CostRecord[] = [];
    const error = await (async () => {
      for await (const record of source.read({
        start: new Date(0),
        end: new Date(),
      })) {
        records.push(record);
      }
    })().catch(e => e);
    expect(records[0]).toMatchObject({
      tags: { owner: '***' },
      source: { file: '***', line: 3 },
    });
    expect(error.message).toBe('billing API refused ***');
  });
});
