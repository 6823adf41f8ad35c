// The example service that examples/deploy/deploy.mjs starts: a tiny HTTP
// server that reports its name, environment and version, and whose health
// depends on the release (see releases.json).
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const service = process.env.SERVICE_NAME ?? 'example-service';
const environment = process.env.SERVICE_ENVIRONMENT ?? 'local';
const version = process.env.SERVICE_VERSION ?? '0.0.0';
const port = Number(process.env.PORT ?? 7100);

const releases = JSON.parse(
  readFileSync(new URL('./releases.json', import.meta.url), 'utf8'),
);
const healthy = releases.find(r => r.version === version)?.healthy !== false;
const startedAt = new Date().toISOString();

const server = createServer((req, res) => {
  const body = { service, environment, version, startedAt };
  if (req.url === '/health') {
    res.writeHead(healthy ? 200 : 500, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ status: healthy ? 'ok' : 'failing', ...body }));
    return;
  }
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ message: `Hello from ${service}`, ...body }));
});

server.on('error', error => {
  console.error(
    `${service} ${version} cannot listen on :${port}: ${error.message}`,
  );
  process.exit(1);
});

server.listen(port, '127.0.0.1', () => {
  console.log(`${service} ${version} (${environment}) listening on :${port}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
