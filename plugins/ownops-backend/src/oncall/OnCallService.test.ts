import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { OnCallProvider } from '@ownops/backstage-plugin-node';
import { OnCallService } from './OnCallService';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout', namespace: 'default' },
  spec: { owner: 'team-checkout', type: 'service' },
};

const serviceWith = (...providers: OnCallProvider[]) =>
  new OnCallService({
    providers,
    catalog: catalogServiceMock({ entities: [] }),
    auth: mockServices.auth(),
    timeoutMs: 1_000,
  });

const provider = (
  id: string,
  getOnCall: OnCallProvider['getOnCall'],
  applies = true,
): OnCallProvider => ({ id, appliesTo: () => applies, getOnCall });

describe('OnCallService', () => {
  it('skips providers that do not apply and names one that fails', async () => {
    const service = serviceWith(
      provider('off', async () => ({ now: [] }), false),
      provider('broken', async () => {
        throw new Error('HTTP 500 from upstream');
      }),
    );
    await expect(service.forEntity(entity, new Date())).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: 'On-call provider "broken" failed: HTTP 500 from upstream',
    });
  });

  it('refuses a malformed report', async () => {
    const service = serviceWith(
      provider('odd', async () => ({ now: 'alice' } as any)),
    );
    await expect(service.forEntity(entity, new Date())).rejects.toThrow(
      'On-call provider "odd" answered without a "now" list',
    );
  });

  it('stops and aborts the provider when the caller aborts', async () => {
    let seen: AbortSignal | undefined;
    const service = serviceWith(
      provider('slow', (_e, { signal }) => {
        seen = signal;
        return new Promise(() => {});
      }),
    );
    const controller = new AbortController();
    const result = service.forEntity(entity, new Date(), controller.signal);
    const reason = new Error('page closed');
    controller.abort(reason);
    await expect(result).rejects.toBe(reason);
    expect(seen?.aborted).toBe(true);
  });

  it('refuses duplicate provider ids', () => {
    const p = provider('same', async () => ({ now: [] }));
    expect(() => serviceWith(p, { ...p })).toThrow(
      'Two Ownops on-call providers have the id "same"',
    );
  });
});
