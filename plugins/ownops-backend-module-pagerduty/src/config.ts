import { Config } from '@backstage/config';
import { readDurationMs, readHttpBaseUrl } from '@ownops/backstage-plugin-node';

export const CONFIG_KEY = 'ownops.pagerduty';

export interface PagerDutyConfig {
  apiToken: string;
  apiBaseUrl: string;
  eventsBaseUrl: string;
  changeEventsEnabled: boolean;
  timeoutMs: number;
}

/**
 * Reads `ownops.pagerduty`; undefined when the key is absent. Throws an error
 * naming the key when a setting is invalid.
 */
export function readPagerDutyConfig(root: Config): PagerDutyConfig | undefined {
  const config = root.getOptionalConfig(CONFIG_KEY);
  if (!config) return undefined;
  const apiToken = config.getOptionalString('apiToken')?.trim();
  if (!apiToken) {
    throw new Error(
      `${CONFIG_KEY}.apiToken is required: a PagerDuty REST API key (read-only is enough); remove ${CONFIG_KEY} to turn the PagerDuty module off`,
    );
  }
  return {
    apiToken,
    apiBaseUrl: readHttpBaseUrl(config, 'apiBaseUrl', {
      defaultUrl: 'https://api.pagerduty.com',
      fullKey: `${CONFIG_KEY}.apiBaseUrl`,
    }),
    eventsBaseUrl: readHttpBaseUrl(config, 'eventsBaseUrl', {
      defaultUrl: 'https://events.pagerduty.com',
      fullKey: `${CONFIG_KEY}.eventsBaseUrl`,
    }),
    changeEventsEnabled:
      config.getOptionalBoolean('changeEvents.enabled') ?? true,
    timeoutMs: readDurationMs(config, 'timeout', {
      defaultMs: 10_000,
      fullKey: `${CONFIG_KEY}.timeout`,
    }),
  };
}
