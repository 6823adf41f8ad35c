import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { rotationProblems } from './rotation/rotationShifts';

/** Rotation settings every group uses unless its annotations say otherwise. */
export interface RotationDefaults {
  lengthDays: number;
  handoffTime: string;
  timeZone: string;
  startDate: string;
}

export interface OnCallConfig {
  /** How long a provider may take to answer, in milliseconds. */
  timeoutMs: number;
  rotation: RotationDefaults;
}

export const DEFAULT_ROTATION: RotationDefaults = {
  lengthDays: 7,
  handoffTime: '09:00',
  timeZone: 'UTC',
  startDate: '2026-01-05',
};

/** Reads `ownops.oncall`; throws naming the key when a setting is invalid. */
export function readOnCallConfig(root: Config): OnCallConfig {
  const config = root.getOptionalConfig('ownops.oncall');
  const timeoutMs = config?.has('timeout')
    ? durationToMilliseconds(readDurationFromConfig(config, { key: 'timeout' }))
    : 5_000;
  if (!(timeoutMs > 0)) {
    throw new Error('ownops.oncall.timeout must be a positive duration');
  }
  const rotation = config?.getOptionalConfig('rotation');
  const defaults: RotationDefaults = {
    lengthDays:
      rotation?.getOptionalNumber('lengthDays') ?? DEFAULT_ROTATION.lengthDays,
    handoffTime:
      rotation?.getOptionalString('handoffTime') ??
      DEFAULT_ROTATION.handoffTime,
    timeZone:
      rotation?.getOptionalString('timeZone') ?? DEFAULT_ROTATION.timeZone,
    startDate:
      rotation?.getOptionalString('startDate') ?? DEFAULT_ROTATION.startDate,
  };
  const problems = rotationProblems({ ...defaults, members: ['x'] });
  if (problems.length > 0) {
    throw new Error(`Invalid ownops.oncall.rotation: ${problems.join('; ')}`);
  }
  return { timeoutMs, rotation: defaults };
}
