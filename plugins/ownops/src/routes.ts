import { createRouteRef } from '@backstage/core-plugin-api';

/**
 * The finance page (legacy frontend system), e.g. mounted at
 * `/ownops/finance`.
 *
 * @public
 */
export const ownopsFinanceRouteRef = createRouteRef({
  id: 'ownops:finance',
});

/**
 * The entity page's Cost tab (legacy frontend system).
 *
 * @public
 */
export const ownopsCostRouteRef = createRouteRef({
  id: 'ownops:cost',
});
