import { startFakeGithub } from './fakeGithub';

/**
 * Starts the fake GitHub (fakeGithub.ts) and waits until the backend is ready
 * and the catalog has read the example services, so browser tests start
 * against a usable portal. The returned function stops the fake GitHub after
 * the run (Playwright calls it like globalTeardown).
 */
const BACKEND = 'http://localhost:7007';
const TIMEOUT_MS = 180_000;

async function ready(): Promise<boolean> {
  try {
    const health = await fetch(`${BACKEND}/.backstage/health/v1/readiness`);
    if (!health.ok) return false;
    const auth = await fetch(`${BACKEND}/api/auth/guest/refresh`, {
      method: 'POST',
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    if (!auth.ok) return false;
    const token = (await auth.json()).backstageIdentity.token;
    const entity = await fetch(
      `${BACKEND}/api/catalog/entities/by-name/component/default/checkout-service`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    return entity.ok;
  } catch {
    return false;
  }
}

export default async function globalSetup() {
  const fakeGithub = await startFakeGithub();
  const stopFakeGithub = () =>
    new Promise<void>(resolve => {
      fakeGithub.closeAllConnections();
      fakeGithub.close(() => resolve());
    });
  const deadline = Date.now() + TIMEOUT_MS;
  while (!(await ready())) {
    if (Date.now() > deadline) {
      await stopFakeGithub();
      throw new Error(
        `The backend at ${BACKEND} did not become ready with the example catalog within ${
          TIMEOUT_MS / 1000
        }s`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
  return stopFakeGithub;
}
