import { Config } from '@backstage/config';
import { readDurationMs, readHttpBaseUrl } from '@ownops/backstage-plugin-node';

export const CONFIG_KEY = 'ownops.opsgenie';

export interface OpsgenieConfig {
  apiKey: string;
  apiBaseUrl: string;
  timeoutMs: number;
}

/**
 * Reads `ownops.opsgenie`; undefined when the key is absent. Throws an error
 * naming the key when a setting is invalid.
 */
export function readOpsgenieConfig(root: Config): OpsgenieConfig | undefined {
  const config = root.getOptionalConfig(CONFIG_KEY);
  if (!config) return undefined;
  const apiKey = config.getOptionalString('apiKey')?.trim();
  if (!apiKey) {
    throw new Error(
      `${CONFIG_KEY}.apiKey is required: an Opsgenie API key with read and configuration access; remove ${CONFIG_KEY} to turn the Opsgenie module off`,
    );
  }
  return {
    apiKey,
    apiBaseUrl: readHttpBaseUrl(config, 'apiBaseUrl', {
      defaultUrl: 'https://api.opsgenie.com',
      fullKey: `${CONFIG_KEY}.apiBaseUrl`,
    }),
    timeoutMs: readDurationMs(config, 'timeout', {
      defaultMs: 10_000,
      fullKey: `${CONFIG_KEY}.timeout`,
    }),
  };
}
