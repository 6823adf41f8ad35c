import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogLocationsExtensionPoint } from '@backstage/plugin-catalog-node';

/**
 * Lets the catalog register `file` locations through its API, which the
 * `ownops:publish:local` template action uses on portals without a git host
 * (the embedded default). Only for such portals: with a git host, templates
 * publish there and register by URL, and this module should not be installed.
 */
export default createBackendModule({
  pluginId: 'catalog',
  moduleId: 'ownops-local-services',
  register(reg) {
    reg.registerInit({
      deps: { locations: catalogLocationsExtensionPoint },
      async init({ locations }) {
        locations.setAllowedLocationTypes(['url', 'file']);
      },
    });
  },
});
