import { HttpResponse } from 'msw';
import { Entity } from '@backstage/catalog-model';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { DeployRequest, DeployTarget } from '@ownops/backstage-plugin-node';
import { GithubApi } from '../api/GithubApi';
import { createGithubDeployTarget } from '../GithubDeployTarget';
import { GithubTargetConfig } from '../config/readGithubTargets';

export const TOKEN = 'ghp_0wn0psT3stT0kenThatMustNeverLeak';
export const API = 'https://api.github.com/repos/acme/checkout';
export const GHE_API = 'https://ghe.example.com/api/v3/repos/acme/checkout';
export const RUN_ID = 30433642;

export const integrationsConfig = new ConfigReader({
  integrations: {
    github: [
      { host: 'github.com', token: TOKEN },
      {
        host: 'ghe.example.com',
        apiBaseUrl: 'https://ghe.example.com/api/v3',
        token: TOKEN,
      },
    ],
  },
});

export function targetConfig(
  overrides: Partial<GithubTargetConfig> = {},
): GithubTargetConfig {
  return {
    id: 'gha-prod',
    host: 'github.com',
    workflow: 'deploy.yml',
    inputs: { version: 'version', environment: 'environment' },
    versions: 'none',
    timeoutMs: 5_000,
    ...overrides,
  };
}

/** A target with GitHub's real credentials provider over a token integration, and quick retries. */
export function makeTarget(
  overrides: Partial<GithubTargetConfig> = {},
  options: { credentialsProvider?: GithubCredentialsProvider } = {},
) {
  const integrations = ScmIntegrations.fromConfig(integrationsConfig);
  const logger = mockServices.logger.mock();
  const api = new GithubApi({
    integrations,
    credentialsProvider:
      options.credentialsProvider ??
      DefaultGithubCredentialsProvider.fromIntegrations(integrations),
    logger,
    http: { retryBaseDelayMs: 1, maxRetries: 2 },
  });
  const target: DeployTarget = createGithubDeployTarget({
    config: targetConfig(overrides),
    api,
    runLookup: { attempts: 3, intervalMs: 1 },
  });
  return { target, logger };
}

export function entity(annotations: Record<string, string> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'checkout',
      annotations: {
        'github.com/project-slug': 'acme/checkout',
        'ownops.io/deploy-target': 'gha-prod',
        ...annotations,
      },
    },
    spec: { type: 'service', owner: 'group:default/team-checkout' },
  };
}

export function deployRequest(
  overrides: Partial<DeployRequest> = {},
): DeployRequest {
  return {
    deploymentId: 42,
    kind: 'deploy',
    entity: entity(),
    entityRef: 'component:default/checkout',
    environment: 'production',
    version: 'v1.4.0',
    ...overrides,
  };
}

/** A deploy context whose log lines are kept. */
export function deployContext(signal = new AbortController().signal) {
  const lines: string[] = [];
  return {
    lines,
    context: {
      signal,
      log: {
        info: (message: string) => lines.push(message),
        error: (message: string) => lines.push(`ERROR ${message}`),
      },
    },
  };
}

/** Every text a mock logger was given. */
export function loggedText(
  logger: ReturnType<typeof mockServices.logger.mock>,
) {
  return [logger.debug, logger.info, logger.warn, logger.error]
    .flatMap(fn => fn.mock.calls)
    .map(call => JSON.stringify(call))
    .join('\n');
}

/** `GET /repos/{owner}/{repo}` (trimmed to the fields Ownops reads and a few more). */
export const repository = {
  id: 1296269,
  node_id: 'MDEwOlJlcG9zaXRvcnkxMjk2MjY5',
  name: 'checkout',
  full_name: 'acme/checkout',
  private: true,
  html_url: 'https://github.com/acme/checkout',
  default_branch: 'main',
  visibility: 'private',
};

/** `GET /repos/{owner}/{repo}/actions/runs/{run_id}`, as documented. */
export function workflowRun(
  status: string,
  conclusion: string | null = null,
  overrides: Record<string, unknown> = {},
) {
  return {
    id: RUN_ID,
    name: 'Deploy',
    node_id: 'MDEyOldvcmtmbG93IFJ1bjI2OTI4OQ==',
    check_suite_id: 42,
    check_suite_node_id: 'MDEwOkNoZWNrU3VpdGU0Mg==',
    head_branch: 'main',
    head_sha: 'acb5820ced9479c074f688cc328bf03f341a511d',
    path: '.github/workflows/deploy.yml@main',
    run_number: 562,
    event: 'workflow_dispatch',
    display_title: 'Deploy',
    status,
    conclusion,
    workflow_id: 159038,
    url: `${API}/actions/runs/${RUN_ID}`,
    html_url: `https://github.com/acme/checkout/actions/runs/${RUN_ID}`,
    pull_requests: [],
    created_at: '2026-11-27T05:00:03Z',
    updated_at: '2026-11-27T05:00:09Z',
    actor: { login: 'ownops-bot[bot]', id: 1, type: 'Bot' },
    run_attempt: 1,
    run_started_at: '2026-11-27T05:00:03Z',
    triggering_actor: { login: 'ownops-bot[bot]', id: 1, type: 'Bot' },
    jobs_url: `${API}/actions/runs/${RUN_ID}/jobs`,
    logs_url: `${API}/actions/runs/${RUN_ID}/logs`,
    workflow_url: `${API}/actions/workflows/159038`,
    ...overrides,
  };
}

/** `GET /repos/{owner}/{repo}/releases`, one entry as documented. */
export function release(tag: string, overrides: Record<string, unknown> = {}) {
  return {
    url: `${API}/releases/1`,
    html_url: `https://github.com/acme/checkout/releases/${tag}`,
    id: 1,
    tag_name: tag,
    target_commitish: 'main',
    name: tag,
    body: 'Description of the release',
    draft: false,
    prerelease: false,
    created_at: '2026-11-20T10:00:00Z',
    published_at: '2026-11-20T10:05:00Z',
    author: { login: 'octocat', id: 1 },
    assets: [],
    ...overrides,
  };
}

/** `GET /repos/{owner}/{repo}/deployments`, one entry as documented. */
export function githubDeployment(
  id: number,
  overrides: Record<string, unknown> = {},
) {
  return {
    url: `${API}/deployments/${id}`,
    id,
    node_id: 'MDEwOkRlcGxveW1lbnQx',
    sha: 'a84d88e7554fc1fa21bcbc4efae3c782a70d2b9d',
    ref: 'v1.4.0',
    task: 'deploy',
    payload: {},
    original_environment: 'production',
    environment: 'production',
    description: 'Deploy request from Ownops',
    creator: { login: 'octocat', id: 1, type: 'User' },
    created_at: '2026-11-26T12:00:00Z',
    updated_at: '2026-11-26T12:03:00Z',
    statuses_url: `${API}/deployments/${id}/statuses`,
    repository_url: API,
    transient_environment: false,
    production_environment: true,
    ...overrides,
  };
}

/** `GET /repos/{owner}/{repo}/deployments/{id}/statuses`, one entry as documented. */
export function deploymentStatus(
  deploymentId: number,
  state: string,
  overrides: Record<string, unknown> = {},
) {
  return {
    url: `${API}/deployments/${deploymentId}/statuses/1`,
    id: deploymentId * 10,
    node_id: 'MDE2OkRlcGxveW1lbnRTdGF0dXMx',
    state,
    creator: { login: 'octocat', id: 1, type: 'User' },
    description: '',
    environment: 'production',
    target_url: '',
    created_at: '2026-11-26T12:03:00Z',
    updated_at: '2026-11-26T12:03:00Z',
    deployment_url: `${API}/deployments/${deploymentId}`,
    repository_url: API,
    environment_url: 'https://checkout.example.com',
    log_url: `https://github.com/acme/checkout/actions/runs/${deploymentId}`,
    ...overrides,
  };
}

/** GitHub's documented error body, `{ message, documentation_url, status }`. */
export function githubError(
  status: number,
  message: string,
  headers: Record<string, string> = {},
) {
  return HttpResponse.json(
    {
      message,
      documentation_url: 'https://docs.github.com/rest',
      status: String(status),
    },
    { status, headers },
  );
}
