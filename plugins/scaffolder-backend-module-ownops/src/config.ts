import { Config, readDurationFromConfig } from '@backstage/config';
import {
  DEFAULT_OWNER_TAG_KEYS,
  OwnerTagKeys,
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
  const keysConfig = config.getOptionalConfig('ownops.tags.keys');
  const tagKeys: OwnerTagKeys = {
    entity:
      keysConfig?.getOptionalString('entity') ?? DEFAULT_OWNER_TAG_KEYS.entity,
    owner:
      keysConfig?.getOptionalString('owner') ?? DEFAULT_OWNER_TAG_KEYS.owner,
    costCenter:
      keysConfig?.getOptionalString('costCenter') ??
      DEFAULT_OWNER_TAG_KEYS.costCenter,
    environment:
      keysConfig?.getOptionalString('environment') ??
      DEFAULT_OWNER_TAG_KEYS.environment,
  };
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
    allowCostCenterOverride:
      config.getOptionalBoolean('ownops.tags.allowCostCenterOverride') ?? false,
    requireOwnerMembership:
      config.getOptionalBoolean('ownops.scaffolder.requireOwnerMembership') ??
      true,
    localPublishDir: localPublishDir ? resolve(localPublishDir) : undefined,
    registerTimeoutMs,
  };
}
