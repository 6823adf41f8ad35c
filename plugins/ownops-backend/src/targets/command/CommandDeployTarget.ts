import { stringifyEntityRef } from '@backstage/catalog-model';
import { AvailableVersion } from '@ownops/backstage-plugin-common';
import {
  DeployContext,
  DeployRequest,
  DeployResult,
  DeployTarget,
} from '@ownops/backstage-plugin-node';
import { Entity } from '@backstage/catalog-model';
import { CommandTargetConfig } from './readCommandTargets';
import { runCommand, RunCommandResult } from './runCommand';

const VERSIONS_TIMEOUT_MS = 15_000;
const MAX_VERSIONS = 200;

/**
 * The built-in deploy target: runs an administrator-configured argv with the
 * deployment described in environment variables, never through a shell.
 */
export class CommandDeployTarget implements DeployTarget {
  readonly type = 'command';

  constructor(private readonly config: CommandTargetConfig) {}

  get id() {
    return this.config.id;
  }

  /** The configured title, shown in the UI. */
  get title(): string | undefined {
    return this.config.title;
  }

  deploy(request: DeployRequest, context: DeployContext) {
    return this.run(request, context);
  }

  async listVersions(
    entity: Entity,
    environment: string,
    context: { signal: AbortSignal },
  ): Promise<AvailableVersion[]> {
    const argv = this.config.versionsCommand;
    if (!argv) {
      return [];
    }
    const stdout: string[] = [];
    const stderr: string[] = [];
    const result = await runCommand({
      argv,
      cwd: this.config.workingDirectory,
      env: this.environment({
        OWNOPS_ENTITY_REF: stringifyEntityRef(entity),
        OWNOPS_ENTITY_NAME: entity.metadata.name,
        OWNOPS_ENVIRONMENT: environment,
      }),
      timeoutMs: Math.min(this.config.timeoutMs, VERSIONS_TIMEOUT_MS),
      signal: context.signal,
      onLine: (stream, line) =>
        (stream === 'stdout' ? stdout : stderr).push(line),
    });
    const failure = describeFailure(result);
    if (failure) {
      throw new Error(
        `The versions command of deploy target "${this.id}" ${failure}${
          stderr.length ? `: ${stderr.slice(-3).join(' ')}` : ''
        }`,
      );
    }
    return stdout
      .map(line => line.trim())
      .filter(Boolean)
      .slice(0, MAX_VERSIONS)
      .map(line => {
        const [version, ...description] = line.split('\t');
        return description.length
          ? {
              version: version.trim(),
              description: description.join(' ').trim(),
            }
          : { version: version.trim() };
      });
  }

  private async run(
    request: DeployRequest,
    context: DeployContext,
  ): Promise<DeployResult> {
    context.log.info(
      `Running deploy target "${this.id}": ${this.config.command.join(' ')}`,
    );
    const result = await runCommand({
      argv: this.config.command,
      cwd: this.config.workingDirectory,
      env: this.environment({
        OWNOPS_ACTION: request.kind,
        OWNOPS_ENTITY_REF: request.entityRef,
        OWNOPS_ENTITY_NAME: request.entity.metadata.name,
        OWNOPS_ENVIRONMENT: request.environment,
        OWNOPS_VERSION: request.version,
        OWNOPS_PREVIOUS_VERSION: request.previousVersion ?? '',
        OWNOPS_DEPLOYMENT_ID: String(request.deploymentId),
      }),
      timeoutMs: this.config.timeoutMs,
      signal: context.signal,
      onLine: (stream, line) =>
        stream === 'stdout' ? context.log.info(line) : context.log.error(line),
    });
    const failure = describeFailure(result);
    return failure
      ? { state: 'failed', reason: `The deploy command ${failure}` }
      : { state: 'succeeded' };
  }

  private environment(vars: Record<string, string>): Record<string, string> {
    const inherited: Record<string, string> = {};
    for (const name of ['PATH', 'HOME', 'LANG', 'TZ']) {
      const value = process.env[name];
      if (value !== undefined) {
        inherited[name] = value;
      }
    }
    return { ...inherited, ...this.config.env, ...vars };
  }
}

function describeFailure(result: RunCommandResult): string | undefined {
  switch (result.outcome) {
    case 'exited':
      if (result.code === 0) {
        return undefined;
      }
      return result.signal
        ? `was killed by ${result.signal}`
        : `exited with code ${result.code}`;
    case 'timed-out':
      return 'timed out and was stopped';
    case 'aborted':
      return 'was cancelled';
    case 'spawn-failed':
      return `could not start (${result.error.message})`;
    default:
      return 'failed';
  }
}
