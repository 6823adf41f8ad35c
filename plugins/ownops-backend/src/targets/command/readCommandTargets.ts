import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';

export interface CommandTargetConfig {
  id: string;
  title?: string;
  command: string[];
  versionsCommand?: string[];
  workingDirectory?: string;
  timeoutMs: number;
  env: Record<string, string>;
}

const ID_PATTERN = /^[a-z0-9]([a-z0-9._-]{0,62})$/;

function readArgv(config: Config, key: string, where: string): string[] {
  const argv = config.getStringArray(key);
  if (argv.length === 0 || argv[0].trim() === '') {
    throw new Error(`${where}.${key} must name a program to run`);
  }
  return argv;
}

/** Reads `ownops.commandTargets` from app-config. */
export function readCommandTargets(rootConfig: Config): CommandTargetConfig[] {
  const entries = rootConfig.getOptionalConfigArray('ownops.commandTargets');
  return (entries ?? []).map((entry, index) => {
    const where = `ownops.commandTargets[${index}]`;
    const id = entry.getString('id');
    if (!ID_PATTERN.test(id)) {
      throw new Error(
        `${where}.id "${id}" must be lower-case letters, digits, ".", "_" or "-"`,
      );
    }
    const envConfig = entry.getOptionalConfig('env');
    const env: Record<string, string> = {};
    for (const key of envConfig?.keys() ?? []) {
      env[key] = envConfig!.getString(key);
    }
    return {
      id,
      title: entry.getOptionalString('title'),
      command: readArgv(entry, 'command', where),
      versionsCommand: entry.has('versionsCommand')
        ? readArgv(entry, 'versionsCommand', where)
        : undefined,
      workingDirectory: entry.getOptionalString('workingDirectory'),
      timeoutMs: durationToMilliseconds(
        entry.has('timeout')
          ? readDurationFromConfig(entry, { key: 'timeout' })
          : { minutes: 10 },
      ),
      env,
    };
  });
}
