import { Config } from '@backstage/config';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { readDurationMs, UniqueConfigIds } from '@ownops/backstage-plugin-node';

/** Where a target's deployable versions come from. */
export type GithubVersionSource = 'releases' | 'tags' | 'none';

/** One entry of `ownops.github.targets`, validated. */
export interface GithubTargetConfig {
  id: string;
  title?: string;
  /** The `integrations.github` host whose credentials and API URL are used. */
  host: string;
  /** Workflow file name (`deploy.yml`) or numeric workflow id. */
  workflow: string;
  /** Branch or tag the workflow runs on; the repository's default branch when absent. */
  ref?: string;
  /** Names of the `workflow_dispatch` inputs; `environment` absent when disabled. */
  inputs: { version: string; environment?: string };
  versions: GithubVersionSource;
  /** Longest wait for one GitHub answer. */
  timeoutMs: number;
}

export const TARGETS_KEY = 'ownops.github.targets';

const DEFAULT_TIMEOUT_MS = 10_000;
const WORKFLOW_PATTERN = /^(\d+|[A-Za-z0-9._-]+\.ya?ml)$/;
const INPUT_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]{0,99}$/;
const VERSION_SOURCES: GithubVersionSource[] = ['releases', 'tags', 'none'];

/** Whether a workflow reference is a file name or numeric id GitHub accepts. */
export function isWorkflowReference(value: string): boolean {
  return WORKFLOW_PATTERN.test(value);
}

/**
 * Reads `ownops.github.targets`. Throws, naming the key, on anything a
 * deploy would later trip over: duplicate ids, an unknown integration host,
 * a host without credentials, a malformed workflow or input name.
 */
export function readGithubTargets(
  rootConfig: Config,
  integrations: ScmIntegrationRegistry,
): GithubTargetConfig[] {
  const entries = rootConfig.getOptionalConfigArray(TARGETS_KEY) ?? [];
  const ids = new UniqueConfigIds({
    configKey: TARGETS_KEY,
    entryName: 'GitHub deploy target',
  });
  return entries.map((entry, index) => {
    const where = `${TARGETS_KEY}[${index}]`;
    const id = ids.read(entry, index);
    const target: GithubTargetConfig = {
      id,
      title: entry.getOptionalString('title'),
      host: readHost(entry, where, integrations),
      workflow: readWorkflow(entry, where),
      ref: readOptionalNonEmpty(entry, 'ref', where),
      inputs: readInputs(entry, where),
      versions: readVersionSource(entry, where),
      timeoutMs: readDurationMs(entry, 'timeout', {
        defaultMs: DEFAULT_TIMEOUT_MS,
        fullKey: `${where}.timeout`,
      }),
    };
    return target;
  });
}

function readHost(
  entry: Config,
  where: string,
  integrations: ScmIntegrationRegistry,
): string {
  const host = entry.getOptionalString('host')?.trim() || 'github.com';
  const integration = integrations.github.byHost(host);
  if (!integration) {
    throw new Error(
      `${where}.host "${host}" has no entry in integrations.github; add one with host: ${host} and a token or a GitHub App`,
    );
  }
  const { token, apps } = integration.config;
  if (!token && !apps?.length) {
    throw new Error(
      `${where}: integrations.github for host ${host} has neither a token nor apps; GitHub deploy targets need credentials that may dispatch workflows (actions: write)`,
    );
  }
  return host;
}

function readWorkflow(entry: Config, where: string): string {
  const workflow = entry.getString('workflow').trim();
  if (!isWorkflowReference(workflow)) {
    throw new Error(
      `${where}.workflow "${workflow}" must be a workflow file name such as deploy.yml (from .github/workflows) or a numeric workflow id`,
    );
  }
  return workflow;
}

function readOptionalNonEmpty(
  entry: Config,
  key: string,
  where: string,
): string | undefined {
  if (!entry.has(key)) {
    return undefined;
  }
  const value = entry.getString(key).trim();
  if (!value) {
    throw new Error(`${where}.${key} must not be empty; leave it out instead`);
  }
  return value;
}

function readInputs(entry: Config, where: string) {
  const version = readInputName(entry, 'version', where);
  const environment = readInputName(entry, 'environment', where);
  if (version === undefined) {
    throw new Error(
      `${where}.inputs.version cannot be disabled: the workflow needs the version to deploy`,
    );
  }
  if (version === environment) {
    throw new Error(
      `${where}.inputs: version and environment are both "${version}"; give them different input names`,
    );
  }
  return { version, environment };
}

/** An input name, its default when unset, or undefined when set to false. */
function readInputName(
  entry: Config,
  name: 'version' | 'environment',
  where: string,
): string | undefined {
  const key = `inputs.${name}`;
  const value = entry.getOptional(key);
  if (value === undefined) {
    return name;
  }
  if (value === false) {
    return undefined;
  }
  const text = typeof value === 'string' ? value.trim() : '';
  if (!INPUT_NAME_PATTERN.test(text)) {
    throw new Error(
      `${where}.${key} must be the name of a workflow_dispatch input (letters, digits, "_" or "-")${
        name === 'environment' ? ', or false to send none' : ''
      }`,
    );
  }
  return text;
}

function readVersionSource(entry: Config, where: string): GithubVersionSource {
  const value = entry.getOptionalString('versions') ?? 'none';
  if (!VERSION_SOURCES.includes(value as GithubVersionSource)) {
    throw new Error(
      `${where}.versions "${value}" must be one of ${VERSION_SOURCES.join(
        ', ',
      )}`,
    );
  }
  return value as GithubVersionSource;
}
