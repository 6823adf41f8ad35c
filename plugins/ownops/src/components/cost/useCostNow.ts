import { configApiRef, useApi } from '@backstage/core-plugin-api';
import { readCostClock } from '@ownops/backstage-plugin-common';
import { useMemo } from 'react';

/**
 * The clock cost ranges are computed by: the real time, or noon (UTC) of
 * `ownops.cost.asOf` when the portal reads a fixed example bill. The backend
 * reads the same key, so "this month" means the same month on both sides.
 */
export function useCostNow(): () => Date {
  const config = useApi(configApiRef);
  return useMemo(() => readCostClock(config), [config]);
}
