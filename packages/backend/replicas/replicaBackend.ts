/*
 * One replica of the replica tests: a real Backstage backend with the
 * catalog, auth (guest users and a static service token), the permission
 * backend with the example portal's policy, signals, notifications and
 * Ownops with a test deploy target that hands off to an "external system"
 * (fixtures/externalTargetModule.ts). The tests start two of these on one
 * PostgreSQL database, each with its own `--config` file (see
 * ReplicaCluster.ts).
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('../src/permissions/module'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@ownops/backstage-plugin-backend'));
// Only registers its target when the config names its folder.
backend.add(import('./fixtures/externalTargetModule'));
backend.start();

// A replica outlives no test run: it stops when the process that started it
// is gone, however that one ended.
const parent = Number(process.env.OWNOPS_REPLICA_PARENT_PID);
if (parent) {
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      process.exit(1);
    }
  }, 1000).unref();
}
