import { createApiRef } from '@backstage/core-plugin-api';
import { OwnopsApi } from '@ownops/backstage-plugin-common';

/**
 * The Ownops backend API, as used by the Ownops cards and tabs.
 *
 * @public
 */
export const ownopsApiRef = createApiRef<OwnopsApi>({
  id: 'plugin.ownops.service',
});
