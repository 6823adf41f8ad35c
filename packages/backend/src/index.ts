/*
 * Hi!
 *
 * Note that this is an EXAMPLE Backstage backend. Please check the README.
 *
 * Happy hacking!
 */

import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// scaffolder plugin
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
// Ownops template actions: owner tags stamped and verified, budget set at birth
backend.add(import('@ownops/backstage-plugin-scaffolder-backend-module'));

// auth plugin
backend.add(import('@backstage/plugin-auth-backend'));
// See https://backstage.io/docs/backend-system/building-backends/migrating#the-auth-plugin
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// See https://backstage.io/docs/auth/guest/provider

// catalog plugin
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
// Services created from templates without a git host are registered as
// files from .ownops/services; see ./catalog/localServicesModule.ts
backend.add(import('./catalog/localServicesModule'));

// See https://backstage.io/docs/features/software-catalog/configuration#subscribing-to-catalog-errors
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// permission plugin
backend.add(import('@backstage/plugin-permission-backend'));
// The example policy: owners deploy and roll back their own entities,
// the finance group reads all cost. See ./permissions/OwnopsExamplePolicy.ts
backend.add(import('./permissions/module'));

// search plugin
backend.add(import('@backstage/plugin-search-backend'));

// search engine
// See https://backstage.io/docs/features/search/search-engines
backend.add(import('@backstage/plugin-search-backend-module-pg'));

// search collators
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

// kubernetes plugin
backend.add(import('@backstage/plugin-kubernetes-backend'));

// user settings plugin
backend.add(import('@backstage/plugin-user-settings-backend'));

// notifications and signals plugins
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// Ownops: deploy, roll back and approve from the entity page
backend.add(import('@ownops/backstage-plugin-backend'));
// Ownops provider modules. Each registers nothing until its config is set
// (see the commented examples in app-config.yaml).
backend.add(import('@ownops/backstage-plugin-backend-module-github'));
backend.add(import('@ownops/backstage-plugin-backend-module-argocd'));
backend.add(import('@ownops/backstage-plugin-backend-module-kubernetes'));
backend.add(import('@ownops/backstage-plugin-backend-module-pagerduty'));
backend.add(import('@ownops/backstage-plugin-backend-module-opsgenie'));
backend.add(import('@ownops/backstage-plugin-backend-module-aws'));
backend.add(import('@ownops/backstage-plugin-backend-module-opencost'));
backend.add(import('@ownops/backstage-plugin-backend-module-azure'));

// mcp actions plugin
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.start();
