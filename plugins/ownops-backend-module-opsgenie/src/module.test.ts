import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { JsonObject } from '@backstage/types';
import { ownopsOnCallProvidersExtensionPoint } from '@ownops/backstage-plugin-node';
import { API_KEY } from './__testUtils__/opsgenie';
import { ownopsModuleOpsgenie } from './module';

async function start(config: JsonObject) {
  const onCall = { addOnCallProvider: jest.fn() };
  const logger = mockServices.logger.mock();
  await startTestBackend({
    extensionPoints: [[ownopsOnCallProvidersExtensionPoint, onCall]],
    features: [
      ownopsModuleOpsgenie,
      mockServices.rootConfig.factory({ data: config }),
      logger.factory,
      catalogServiceMock.factory(),
    ],
  });
  return { onCall, logger };
}

describe('ownopsModuleOpsgenie', () => {
  it('registers the on-call provider', async () => {
    const { onCall } = await start({
      ownops: {
        opsgenie: {
          apiKey: API_KEY,
          apiBaseUrl: 'https://api.eu.opsgenie.com',
          timeout: '5s',
        },
      },
    });
    expect(onCall.addOnCallProvider).toHaveBeenCalledTimes(1);
    expect(onCall.addOnCallProvider).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'opsgenie' }),
    );
  });

  it('registers nothing without ownops.opsgenie and says how to turn it on', async () => {
    const { onCall, logger } = await start({});
    expect(onCall.addOnCallProvider).not.toHaveBeenCalled();
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining('ownops.opsgenie.apiKey'),
    );
  });

  it.each([
    [
      { apiBaseUrl: 'https://api.eu.opsgenie.com' },
      /ownops\.opsgenie\.apiKey is required/,
    ],
    [
      { apiKey: API_KEY, apiBaseUrl: 'ftp://opsgenie' },
      /Invalid ownops\.opsgenie\.apiBaseUrl/,
    ],
    [{ apiKey: API_KEY, timeout: -5 }, /Invalid ownops\.opsgenie\.timeout/],
  ])('fails start-up on invalid config %j', async (opsgenie, message) => {
    const failure = start({ ownops: { opsgenie } });
    await expect(failure).rejects.toThrow(message);
    await expect(failure).rejects.not.toThrow(API_KEY);
  });
});
