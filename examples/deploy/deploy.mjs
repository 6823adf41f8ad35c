#!/usr/bin/env node
// The example deploy script behind the `local` command target in
// app-config.yaml. It really deploys: it stops the running instance of the
// service in that environment, starts examples/service/server.mjs at the
// requested version on the environment's port (examples/deploy/ports.json, or
// one from 7200 up for services created from the template), and waits for it
// to be healthy.
//
//   deploy.mjs versions   prints the releases, newest first (version<TAB>description)
//   deploy.mjs deploy     deploys $OWNOPS_VERSION of $OWNOPS_ENTITY_NAME to $OWNOPS_ENVIRONMENT
//
// Ownops passes OWNOPS_ACTION, OWNOPS_ENTITY_REF, OWNOPS_ENTITY_NAME,
// OWNOPS_ENVIRONMENT, OWNOPS_VERSION, OWNOPS_PREVIOUS_VERSION and
// OWNOPS_DEPLOYMENT_ID. OWNOPS_EXAMPLE_RUN_DIR moves pid and log files.
import { spawn } from 'node:child_process';
import {
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');
const serverScript = join(repoRoot, 'examples/service/server.mjs');
const releases = JSON.parse(
  readFileSync(join(repoRoot, 'examples/service/releases.json'), 'utf8'),
);
const ports = JSON.parse(readFileSync(join(here, 'ports.json'), 'utf8'));
const runDir = resolve(
  process.env.OWNOPS_EXAMPLE_RUN_DIR ?? join(repoRoot, '.ownops/run'),
);

function fail(message) {
  console.error(message);
  process.exit(1);
}

function versions() {
  for (const release of releases) {
    console.log(`${release.version}\t${release.description}`);
  }
}

function isRunning(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // Where the system tells (Linux), make sure the pid is still our example
  // service and not an unrelated process that got the pid later.
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('server.mjs');
  } catch {
    return true;
  }
}

async function stopPrevious(pidFile) {
  let pid;
  try {
    pid = Number(readFileSync(pidFile, 'utf8'));
  } catch {
    console.log('No running instance to stop');
    return;
  }
  if (!pid || !isRunning(pid)) {
    console.log('The previous instance is not running');
    return;
  }
  console.log(`Stopping the running instance (pid ${pid})`);
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 50 && isRunning(pid); i++) {
    await new Promise(r => setTimeout(r, 100));
  }
  if (isRunning(pid)) {
    console.log(`Pid ${pid} did not stop within 5 seconds; killing it`);
    process.kill(pid, 'SIGKILL');
  }
  rmSync(pidFile, { force: true });
}

function logTail(logFile, lines = 5) {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines);
  } catch {
    return [];
  }
}

async function waitForVersion(port, version, child, logFile) {
  const url = `http://127.0.0.1:${port}/`;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  for (let attempt = 1; attempt <= 50; attempt++) {
    if (exited) {
      for (const line of logTail(logFile)) console.log(`  ${line}`);
      fail(
        `The service exited right after starting (is port ${port} taken by another process?)`,
      );
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      const body = await response.json();
      if (body.version === version) {
        console.log(
          `The service answers on ${url} with version ${body.version}`,
        );
        return;
      }
      if (attempt % 10 === 0) {
        console.log(`${url} still answers with version ${body.version}`);
      }
    } catch {
      if (attempt % 10 === 0) {
        console.log(`Still waiting for ${url} …`);
      }
    }
    await new Promise(r => setTimeout(r, 200));
  }
  fail(
    `The service did not answer with version ${version} on ${url} within 10 seconds`,
  );
}

// Services created from the template get a port on their first deploy,
// remembered in the run directory; a directory lock keeps two deploys from
// taking the same one.
const FIRST_ALLOCATED_PORT = 7200;
const LAST_ALLOCATED_PORT = 7999;

async function allocatePort(name, environment) {
  mkdirSync(runDir, { recursive: true });
  const lock = join(runDir, 'ports.lock');
  for (let attempt = 0; ; attempt++) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (attempt > 50)
        fail(`Could not lock ${lock}; remove it if no deploy is running`);
      await new Promise(r => setTimeout(r, 100));
    }
  }
  try {
    const file = join(runDir, 'ports.json');
    let allocated = {};
    try {
      allocated = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      allocated = {};
    }
    const key = `${name}/${environment}`;
    if (allocated[key]) return allocated[key];
    const taken = new Set([
      ...Object.values(allocated),
      ...Object.values(ports).flatMap(byEnvironment =>
        Object.values(byEnvironment),
      ),
    ]);
    for (let port = FIRST_ALLOCATED_PORT; port <= LAST_ALLOCATED_PORT; port++) {
      if (!taken.has(port)) {
        allocated[key] = port;
        writeFileSync(file, `${JSON.stringify(allocated, null, 2)}\n`);
        console.log(`Assigned port ${port} to ${name} in ${environment}`);
        return port;
      }
    }
    return fail('Every example port (7200-7999) is taken');
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function deploy() {
  const name = process.env.OWNOPS_ENTITY_NAME;
  const environment = process.env.OWNOPS_ENVIRONMENT;
  const version = process.env.OWNOPS_VERSION;
  const action = process.env.OWNOPS_ACTION ?? 'deploy';
  if (!name || !environment || !version) {
    fail(
      'OWNOPS_ENTITY_NAME, OWNOPS_ENVIRONMENT and OWNOPS_VERSION are required',
    );
  }
  const release = releases.find(r => r.version === version);
  if (!release) {
    fail(
      `Version ${version} is not a release of the example service (releases: ${releases
        .map(r => r.version)
        .join(', ')})`,
    );
  }
  const port =
    ports[name]?.[environment] ?? (await allocatePort(name, environment));

  console.log(
    `${
      action === 'rollback' ? 'Rolling back' : 'Deploying'
    } ${name} ${version} to ${environment}` +
      (process.env.OWNOPS_PREVIOUS_VERSION
        ? ` (replacing ${process.env.OWNOPS_PREVIOUS_VERSION})`
        : ''),
  );
  mkdirSync(runDir, { recursive: true });
  const pidFile = join(runDir, `${name}-${environment}.pid`);
  await stopPrevious(pidFile);

  const logFile = join(runDir, `${name}-${environment}.log`);
  const out = openSync(logFile, 'a');
  const child = spawn(process.execPath, [serverScript], {
    detached: true,
    stdio: ['ignore', out, out],
    env: {
      PATH: process.env.PATH,
      SERVICE_NAME: name,
      SERVICE_ENVIRONMENT: environment,
      SERVICE_VERSION: version,
      PORT: String(port),
    },
  });
  writeFileSync(pidFile, String(child.pid));
  console.log(
    `Started ${name} ${version} on port ${port} (pid ${child.pid}, log ${logFile})`,
  );
  await waitForVersion(port, version, child, logFile);
  child.unref();
  console.log('Done');
}

const command = process.argv[2];
if (command === 'versions') {
  versions();
} else if (command === 'deploy') {
  await deploy();
} else {
  fail('usage: deploy.mjs versions|deploy');
}
