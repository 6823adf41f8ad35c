import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { handle } from '../src/server.mjs';

test('answers its name and a health check', async () => {
  const server = createServer(handle).listen(0);
  const { port } = server.address();
  try {
    const root = await fetch(`http://127.0.0.1:${port}/`).then(r => r.json());
    assert.equal(root.name, '${{ values.name }}');
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    assert.equal(health.status, 200);
  } finally {
    server.close();
  }
});
