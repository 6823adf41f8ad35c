// ${{ values.name }}: ${{ values.description }}
import { createServer } from 'node:http';

const name = '${{ values.name }}';
const version = process.env.SERVICE_VERSION ?? '0.1.0';
const environment = process.env.SERVICE_ENVIRONMENT ?? 'local';

export function handle(request, response) {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (url.pathname === '/health') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ status: 'ok' }));
    return;
  }
  if (url.pathname === '/') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ name, version, environment }));
    return;
  }
  response.writeHead(404, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ error: `No route for ${url.pathname}` }));
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const port = Number(process.env.PORT ?? 8080);
  createServer(handle).listen(port, () => {
    console.log(`${name} ${version} (${environment}) listens on :${port}`);
  });
}
