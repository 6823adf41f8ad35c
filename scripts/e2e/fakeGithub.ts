import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';

/**
 * A GitHub Enterprise Server stand-in on loopback for the browser tests: the
 * REST shapes the GitHub deploy target reads (/work/shared/PROVIDERS.md,
 * plugins/ownops-backend-module-github/src/__testUtils__/fixtures.ts) for the
 * one repository acme/inventory, with deploy.yml on its default branch main.
 *
 * A dispatch starts a run that is queued, then in_progress, then completed
 * with success as Ownops polls it, and records a GitHub deployment of the
 * dispatched environment, like a workflow job with `environment:` does.
 * `GET /__test/dispatches` lists what was dispatched, so a test can check the
 * inputs; `POST /__test/reset` forgets the dispatches and runs.
 */
export const FAKE_GITHUB_PORT = 7290;
/** Must equal integrations.github[].token in app-config.e2e.yaml. */
export const FAKE_GITHUB_TOKEN = 'ghp_0wn0psE2eFakeTokenForLoopbackOnly';

const HOST = `localhost:${FAKE_GITHUB_PORT}`;
const WEB = `http://${HOST}`;
const OWNER = 'acme';
const REPO = 'inventory';
const API = `${WEB}/api/v3/repos/${OWNER}/${REPO}`;
const WORKFLOW = 'deploy.yml';
const WORKFLOW_ID = 159038;
const DEFAULT_BRANCH = 'main';
const HEAD_SHA = 'acb5820ced9479c074f688cc328bf03f341a511d';
const FIRST_RUN_ID = 30433642;

/** Status polls a run answers before it moves on: queued, then in_progress, then completed. */
const POLLS_QUEUED = 1;
const POLLS_IN_PROGRESS = 1;

export interface RecordedDispatch {
  workflow: string;
  ref: string;
  inputs: Record<string, unknown>;
  returnRunDetails: boolean;
  runId?: number;
}

interface Run {
  id: number;
  runNumber: number;
  polls: number;
  cancelled: boolean;
  createdAt: string;
  deploymentId?: number;
}

interface DeploymentStatus {
  state: string;
  createdAt: string;
  logUrl: string;
}

interface Deployment {
  id: number;
  ref: string;
  payload: unknown;
  environment: string;
  creator: string;
  description: string | null;
  createdAt: string;
  statuses: DeploymentStatus[];
}

const runUrl = (id: number) => `${WEB}/${OWNER}/${REPO}/actions/runs/${id}`;

/** A deployment made outside Ownops, so the history shows more than Ownops' own. */
function seededDeployments(): Deployment[] {
  return [
    {
      id: 1001,
      ref: 'v2.2.0',
      payload: { version: 'v2.2.0' },
      environment: 'staging',
      creator: 'octocat',
      description: 'Deployed by hand',
      createdAt: '2026-11-20T10:00:00Z',
      statuses: [
        {
          state: 'success',
          createdAt: '2026-11-20T10:03:00Z',
          logUrl: runUrl(30430001),
        },
      ],
    },
  ];
}

class FakeGithub {
  dispatches: RecordedDispatch[] = [];
  unauthorized = 0;
  private runs = new Map<number, Run>();
  private deployments = seededDeployments();
  private nextRunId = FIRST_RUN_ID;
  private nextDeploymentId = 2001;

  reset() {
    this.dispatches = [];
    this.unauthorized = 0;
    this.runs.clear();
    this.deployments = seededDeployments();
  }

  dispatch(body: any): { status: number; json?: unknown } {
    if (typeof body?.ref !== 'string' || !body.ref) {
      return githubError(422, 'Invalid request.\n\n"ref" wasn\'t supplied.');
    }
    if (body.ref !== DEFAULT_BRANCH) {
      return githubError(422, `No ref found for: ${body.ref}`);
    }
    const inputs = body.inputs ?? {};
    const unexpected = Object.keys(inputs).filter(
      name => name !== 'version' && name !== 'environment',
    );
    if (unexpected.length > 0) {
      return githubError(
        422,
        `Unexpected inputs provided: ${JSON.stringify(unexpected)}`,
      );
    }
    if (typeof inputs.version !== 'string' || !inputs.version) {
      return githubError(422, "Required input 'version' not provided");
    }
    const run: Run = {
      id: this.nextRunId++,
      runNumber: 562 + this.runs.size,
      polls: 0,
      cancelled: false,
      createdAt: new Date().toISOString(),
    };
    this.runs.set(run.id, run);
    if (typeof inputs.environment === 'string' && inputs.environment) {
      const deployment: Deployment = {
        id: this.nextDeploymentId++,
        ref: body.ref,
        payload: '',
        environment: inputs.environment,
        creator: 'github-actions[bot]',
        description: null,
        createdAt: run.createdAt,
        statuses: [],
      };
      this.addStatus(deployment, 'queued', run);
      this.deployments.unshift(deployment);
      run.deploymentId = deployment.id;
    }
    const returnRunDetails = body.return_run_details === true;
    this.dispatches.push({
      workflow: WORKFLOW,
      ref: body.ref,
      inputs,
      returnRunDetails,
      runId: run.id,
    });
    if (!returnRunDetails) {
      return { status: 204 };
    }
    return {
      status: 200,
      json: {
        workflow_run_id: run.id,
        run_url: `${API}/actions/runs/${run.id}`,
        html_url: runUrl(run.id),
      },
    };
  }

  /** The run as one more poll sees it. */
  pollRun(id: number) {
    const run = this.runs.get(id);
    if (!run) {
      return undefined;
    }
    run.polls += 1;
    let status = 'queued';
    let conclusion: string | null = null;
    if (run.cancelled) {
      status = 'completed';
      conclusion = 'cancelled';
    } else if (run.polls > POLLS_QUEUED + POLLS_IN_PROGRESS) {
      status = 'completed';
      conclusion = 'success';
    } else if (run.polls > POLLS_QUEUED) {
      status = 'in_progress';
    }
    const deployment = this.deployments.find(d => d.id === run.deploymentId);
    if (deployment) {
      const state =
        status === 'completed'
          ? conclusion === 'success'
            ? 'success'
            : 'failure'
          : status;
      if (deployment.statuses[0]?.state !== state) {
        this.addStatus(deployment, state, run);
      }
    }
    return workflowRun(run, status, conclusion);
  }

  cancelRun(id: number): boolean {
    const run = this.runs.get(id);
    if (!run) {
      return false;
    }
    run.cancelled = true;
    return true;
  }

  listDeployments(environment: string | null, perPage: number) {
    return this.deployments
      .filter(d => !environment || d.environment === environment)
      .slice(0, perPage)
      .map(githubDeployment);
  }

  listStatuses(deploymentId: number, perPage: number) {
    const deployment = this.deployments.find(d => d.id === deploymentId);
    return deployment?.statuses
      .slice(0, perPage)
      .map((status, index) =>
        deploymentStatus(
          deployment,
          status,
          deployment.statuses.length - index,
        ),
      );
  }

  private addStatus(deployment: Deployment, state: string, run: Run) {
    deployment.statuses.unshift({
      state,
      createdAt: new Date().toISOString(),
      logUrl: runUrl(run.id),
    });
  }
}

/** `GET /repos/{owner}/{repo}`, trimmed like the module's fixture. */
const repository = {
  id: 1296270,
  node_id: 'MDEwOlJlcG9zaXRvcnkxMjk2Mjcw',
  name: REPO,
  full_name: `${OWNER}/${REPO}`,
  private: true,
  html_url: `${WEB}/${OWNER}/${REPO}`,
  default_branch: DEFAULT_BRANCH,
  visibility: 'private',
};

function workflowRun(run: Run, status: string, conclusion: string | null) {
  const url = `${API}/actions/runs/${run.id}`;
  return {
    id: run.id,
    name: 'Deploy',
    node_id: 'MDEyOldvcmtmbG93IFJ1bjI2OTI4OQ==',
    check_suite_id: 42,
    check_suite_node_id: 'MDEwOkNoZWNrU3VpdGU0Mg==',
    head_branch: DEFAULT_BRANCH,
    head_sha: HEAD_SHA,
    path: `.github/workflows/${WORKFLOW}@${DEFAULT_BRANCH}`,
    run_number: run.runNumber,
    event: 'workflow_dispatch',
    display_title: 'Deploy',
    status,
    conclusion,
    workflow_id: WORKFLOW_ID,
    url,
    html_url: runUrl(run.id),
    pull_requests: [],
    created_at: run.createdAt,
    updated_at: new Date().toISOString(),
    actor: { login: 'ownops-bot[bot]', id: 1, type: 'Bot' },
    run_attempt: 1,
    run_started_at: run.createdAt,
    triggering_actor: { login: 'ownops-bot[bot]', id: 1, type: 'Bot' },
    jobs_url: `${url}/jobs`,
    logs_url: `${url}/logs`,
    workflow_url: `${API}/actions/workflows/${WORKFLOW_ID}`,
  };
}

function githubDeployment(deployment: Deployment) {
  return {
    url: `${API}/deployments/${deployment.id}`,
    id: deployment.id,
    node_id: 'MDEwOkRlcGxveW1lbnQx',
    sha: HEAD_SHA,
    ref: deployment.ref,
    task: 'deploy',
    payload: deployment.payload,
    original_environment: deployment.environment,
    environment: deployment.environment,
    description: deployment.description,
    creator: creatorOf(deployment),
    created_at: deployment.createdAt,
    updated_at: deployment.statuses[0]?.createdAt ?? deployment.createdAt,
    statuses_url: `${API}/deployments/${deployment.id}/statuses`,
    repository_url: API,
    transient_environment: false,
    production_environment: deployment.environment === 'production',
  };
}

function deploymentStatus(
  deployment: Deployment,
  status: DeploymentStatus,
  number: number,
) {
  return {
    url: `${API}/deployments/${deployment.id}/statuses/${number}`,
    id: deployment.id * 10 + number,
    node_id: 'MDE2OkRlcGxveW1lbnRTdGF0dXMx',
    state: status.state,
    creator: creatorOf(deployment),
    description: '',
    environment: deployment.environment,
    target_url: status.logUrl,
    created_at: status.createdAt,
    updated_at: status.createdAt,
    deployment_url: `${API}/deployments/${deployment.id}`,
    repository_url: API,
    environment_url: '',
    log_url: status.logUrl,
  };
}

/** GitHub's documented error body, `{ message, documentation_url, status }`. */
function githubError(status: number, message: string) {
  return {
    status,
    json: {
      message,
      documentation_url: 'https://docs.github.com/rest',
      status: String(status),
    },
  };
}

function send(
  res: ServerResponse,
  { status, json }: { status: number; json?: unknown },
) {
  const reset = Math.floor(Date.now() / 1000) + 3600;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'x-github-api-version-selected': '2022-11-28',
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-reset': String(reset),
    'x-ratelimit-used': '1',
    'x-ratelimit-resource': 'core',
  });
  res.end(json === undefined ? undefined : JSON.stringify(json));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const perPageOf = (url: URL) =>
  Math.max(1, Math.min(100, Number(url.searchParams.get('per_page')) || 30));

async function handle(
  github: FakeGithub,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const url = new URL(req.url ?? '/', WEB);
  const method = req.method ?? 'GET';
  const path = url.pathname;

  if (path === '/__test/dispatches' && method === 'GET') {
    return send(res, {
      status: 200,
      json: {
        dispatches: github.dispatches,
        unauthorized: github.unauthorized,
      },
    });
  }
  if (path === '/__test/reset' && method === 'POST') {
    github.reset();
    return send(res, { status: 204 });
  }

  if (req.headers.authorization !== `Bearer ${FAKE_GITHUB_TOKEN}`) {
    github.unauthorized += 1;
    return send(res, githubError(401, 'Bad credentials'));
  }

  const notFound = githubError(404, 'Not Found');
  const prefix = `/api/v3/repos/${OWNER}/${REPO}`;
  if (path !== prefix && !path.startsWith(`${prefix}/`)) {
    return send(res, notFound);
  }
  const rest = path.slice(prefix.length);
  let match: RegExpExecArray | null;

  if (rest === '' && method === 'GET') {
    return send(res, { status: 200, json: repository });
  }
  if (
    (match = /^\/actions\/workflows\/([^/]+)\/dispatches$/.exec(rest)) &&
    method === 'POST'
  ) {
    const workflow = decodeURIComponent(match[1]);
    if (workflow !== WORKFLOW && workflow !== String(WORKFLOW_ID)) {
      return send(res, notFound);
    }
    const body = await readJson(req);
    if (body === null) {
      return send(res, githubError(400, 'Problems parsing JSON'));
    }
    return send(res, github.dispatch(body));
  }
  if ((match = /^\/actions\/runs\/(\d+)$/.exec(rest)) && method === 'GET') {
    const run = github.pollRun(Number(match[1]));
    return send(res, run ? { status: 200, json: run } : notFound);
  }
  if (
    (match = /^\/actions\/runs\/(\d+)\/cancel$/.exec(rest)) &&
    method === 'POST'
  ) {
    return send(
      res,
      github.cancelRun(Number(match[1])) ? { status: 202, json: {} } : notFound,
    );
  }
  if (rest === '/deployments' && method === 'GET') {
    return send(res, {
      status: 200,
      json: github.listDeployments(
        url.searchParams.get('environment'),
        perPageOf(url),
      ),
    });
  }
  if (
    (match = /^\/deployments\/(\d+)\/statuses$/.exec(rest)) &&
    method === 'GET'
  ) {
    const statuses = github.listStatuses(Number(match[1]), perPageOf(url));
    return send(res, statuses ? { status: 200, json: statuses } : notFound);
  }
  return send(res, notFound);
}

/** Starts the fake on loopback; resolves once it listens. */
export async function startFakeGithub(): Promise<Server> {
  const github = new FakeGithub();
  const server = createServer((req, res) => {
    handle(github, req, res).catch(error => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: String(error) }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', error =>
      reject(
        new Error(
          `The fake GitHub could not listen on port ${FAKE_GITHUB_PORT} (${error.message}); stop whatever uses it`,
        ),
      ),
    );
    server.listen(FAKE_GITHUB_PORT, '127.0.0.1', () => resolve());
  });
  return server;
}

function creatorOf(deployment: Deployment) {
  const bot = deployment.creator.endsWith('[bot]');
  return {
    login: deployment.creator,
    id: bot ? 41898282 : 1,
    type: bot ? 'Bot' : 'User',
  };
}
