import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Stops the example services that deploys during the browser tests started. */
export default async function globalTeardown() {
  const runDir = resolve(__dirname, '../../.ownops/e2e/run');
  let files: string[] = [];
  try {
    files = readdirSync(runDir).filter(file => file.endsWith('.pid'));
  } catch {
    return;
  }
  for (const file of files) {
    const pid = Number(readFileSync(join(runDir, file), 'utf8'));
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already stopped
    }
  }
}
