import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { InputError } from '@backstage/errors';
import { ENVIRONMENT_NAME_PATTERN } from '@ownops/backstage-plugin-common';

export interface DeployConfig {
  protectedEnvironments: Set<string>;
  autoRollback: boolean;
  healthCheck: {
    timeoutMs: number;
    intervalMs: number;
    /** URL templates per environment, with `{name}` and `{namespace}`. */
    urls: Record<string, string>;
  };
  timeoutMs: number;
  heartbeatIntervalMs: number;
  /** How often the status of an external deployment is asked. */
  statusPollIntervalMs: number;
  staleAfterMs: number;
  reconcilerSchedule: {
    frequency: HumanDuration;
    timeout: HumanDuration;
    initialDelay: HumanDuration;
  };
  maxLogLines: number;
}

function durationMs(
  config: Config | undefined,
  key: string,
  fallback: HumanDuration,
): number {
  return durationToMilliseconds(
    config?.has(key) ? readDurationFromConfig(config, { key }) : fallback,
  );
}

function humanDuration(
  config: Config | undefined,
  key: string,
  fallback: HumanDuration,
): HumanDuration {
  return config?.has(key) ? readDurationFromConfig(config, { key }) : fallback;
}

export function readDeployConfig(rootConfig: Config): DeployConfig {
  const deploy = rootConfig.getOptionalConfig('ownops.deploy');
  const protectedEnvironments =
    deploy?.getOptionalStringArray('protectedEnvironments') ?? [];
  for (const name of protectedEnvironments) {
    if (!ENVIRONMENT_NAME_PATTERN.test(name)) {
      throw new InputError(
        `ownops.deploy.protectedEnvironments: "${name}" is not a valid environment name`,
      );
    }
  }
  const schedule = deploy?.getOptionalConfig('reconcilerSchedule');
  const maxLogLines = deploy?.getOptionalNumber('maxLogLines') ?? 5000;
  if (!Number.isInteger(maxLogLines) || maxLogLines < 10) {
    throw new InputError(
      'ownops.deploy.maxLogLines must be an integer of at least 10',
    );
  }
  return {
    protectedEnvironments: new Set(protectedEnvironments),
    autoRollback: deploy?.getOptionalBoolean('autoRollback') ?? false,
    healthCheck: {
      timeoutMs: durationMs(deploy, 'healthCheck.timeout', { seconds: 60 }),
      intervalMs: durationMs(deploy, 'healthCheck.interval', { seconds: 2 }),
      urls: readHealthCheckUrls(deploy),
    },
    timeoutMs: durationMs(deploy, 'timeout', { minutes: 30 }),
    heartbeatIntervalMs: durationMs(deploy, 'heartbeatInterval', {
      seconds: 5,
    }),
    statusPollIntervalMs: durationMs(deploy, 'statusPollInterval', {
      seconds: 5,
    }),
    staleAfterMs: durationMs(deploy, 'staleAfter', { minutes: 1 }),
    reconcilerSchedule: {
      frequency: humanDuration(schedule, 'frequency', { seconds: 30 }),
      timeout: humanDuration(schedule, 'timeout', { minutes: 2 }),
      initialDelay: humanDuration(schedule, 'initialDelay', { seconds: 10 }),
    },
    maxLogLines,
  };
}

function readHealthCheckUrls(
  deploy: Config | undefined,
): Record<string, string> {
  const urls = deploy?.getOptionalConfig('healthCheck.urls');
  const result: Record<string, string> = {};
  for (const environment of urls?.keys() ?? []) {
    const url = urls!.getString(environment);
    if (!/^https?:\/\//.test(url)) {
      throw new InputError(
        `ownops.deploy.healthCheck.urls.${environment} must be an http(s) URL, got "${url}"`,
      );
    }
    result[environment] = url;
  }
  return result;
}
