import { Config, readDurationFromConfig } from '@backstage/config';
import {
  OwnerTagKeys,
  readOwnerTagPolicy,
  validateOwnerTagKeys,
} from '@ownops/backstage-plugin-common';
import { durationToMilliseconds } from '@backstage/types';
import { resolve } from 'node:path';

/** What the Ownops scaffolder actions read from app-config. */
export interface OwnopsScaffolderConfig {
  tagKeys: OwnerTagKeys;
  allowCostCenterOverride: boolean;
  requireOwnerMembership: boolean;
  /** Absolute path, when configured. */
  localPublishDir?: string;
  registerTimeoutMs: number;
}

export function readOwnopsScaffolderConfig(
  config: Config,
): OwnopsScaffolderConfig {
  const { keys: tagKeys, allowCostCenterOverride } = readOwnerTagPolicy(config);
  const keyProblems = validateOwnerTagKeys(tagKeys);
  if (keyProblems.length > 0) {
    throw new Error(
      `Invalid ownops.tags.keys in app-config: ${keyProblems.join('; ')}`,
    );
  }
  const localPublishDir = config.getOptionalString(
    'ownops.scaffolder.localPublishDir',
  );
  const registerTimeoutMs = config.has('ownops.scaffolder.registerTimeout')
    ? durationToMilliseconds(
        readDurationFromConfig(config, {
          key: 'ownops.scaffolder.registerTimeout',
        }),
      )
    : 60_000;
  return {
    tagKeys,
    allowCostCenterOverride,
    requireOwnerMembership:
      config.getOptionalBoolean('ownops.scaffolder.requireOwnerMembership') ??
      true,
    localPublishDir: localPublishDir ? resolve(localPublishDir) : undefined,
    registerTimeoutMs,
  };
}
