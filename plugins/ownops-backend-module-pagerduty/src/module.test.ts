import { JsonObject } from '@backstage/types';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  ownopsDeploymentListenersExtensionPoint,
  ownopsOnCallProvidersExtensionPoint,
} from '@ownops/backstage-plugin-node';
import { TOKEN } from './__testUtils__/pagerDuty';
import { ownopsModulePagerDuty } from './module';

async function start(config: JsonObject) {
  const onCall = { addOnCallProvider: jest.fn() };
  const listeners = { addDeploymentListener: jest.fn() };
  const logger = mockServices.logger.mock();
  await startTestBackend({
    extensionPoints: [
      [ownopsOnCallProvidersExtensionPoint, onCall],
      [ownopsDeploymentListenersExtensionPoint, listeners],
    ],
    features: [
      ownopsModulePagerDuty,
      mockServices.rootConfig.factory({ data: config }),
      logger.factory,
      catalogServiceMock.factory(),
    ],
  });
  return { onCall, listeners, logger };
}

describe('ownopsModulePagerDuty', () => {
  it('registers the on-call provider and the change-event listener', async () => {
    const { onCall, listeners } = await start({
      app: { baseUrl: 'http://localhost:3000' },
      ownops: { pagerduty: { apiToken: TOKEN } },
    });
    expect(onCall.addOnCallProvider).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'pagerduty' }),
    );
    expect(listeners.addDeploymentListener).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'pagerduty-change-events' }),
    );
  });

  it('leaves change events out when they are turned off', async () => {
    const { onCall, listeners } = await start({
      ownops: {
        pagerduty: { apiToken: TOKEN, changeEvents: { enabled: false } },
      },
    });
    expect(onCall.addOnCallProvider).toHaveBeenCalledTimes(1);
    expect(listeners.addDeploymentListener).not.toHaveBeenCalled();
  });

  it('registers nothing without ownops.pagerduty and says how to turn it on', async () => {
    const { onCall, listeners, logger } = await start({});
    expect(onCall.addOnCallProvider).not.toHaveBeenCalled();
    expect(listeners.addDeploymentListener).not.toHaveBeenCalled();
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining('ownops.pagerduty.apiToken'),
    );
  });

  it.each([
    [
      { apiBaseUrl: 'https://api.eu.pagerduty.com' },
      /ownops\.pagerduty\.apiToken is required/,
    ],
    [
      { apiToken: TOKEN, apiBaseUrl: 'api.pagerduty' },
      /Invalid ownops\.pagerduty\.apiBaseUrl/,
    ],
    [
      { apiToken: TOKEN, timeout: 'soon' },
      /Invalid ownops\.pagerduty\.timeout/,
    ],
    [{ apiToken: TOKEN }, /app\.baseUrl/],
  ])('fails start-up on invalid config %j', async (pagerduty, message) => {
    await expect(start({ ownops: { pagerduty } })).rejects.toThrow(message);
  });
});
