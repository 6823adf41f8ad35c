import { Config } from '@backstage/config';
import { readBaseUrl, readTimeoutMs } from './readTimeout';

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
    apiBaseUrl: readBaseUrl(
      config,
      'apiBaseUrl',
      CONFIG_KEY,
      'https://api.pagerduty.com',
    ),
    eventsBaseUrl: readBaseUrl(
      config,
      'eventsBaseUrl',
      CONFIG_KEY,
      'https://events.pagerduty.com',
    ),
    changeEventsEnabled:
      config.getOptionalBoolean('changeEvents.enabled') ?? true,
    timeoutMs: readTimeoutMs(config, CONFIG_KEY, 10_000),
  };
}
