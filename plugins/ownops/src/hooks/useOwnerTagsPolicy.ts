import { configApiRef, useApi } from '@backstage/core-plugin-api';
import { useMemo } from 'react';
import { readOwnerTagPolicy } from '@ownops/backstage-plugin-common';
import { OwnerTagsPolicy } from '../lib/ownerTags';

/** The owner tag keys and override policy from the frontend config. */
export function useOwnerTagsPolicy(): OwnerTagsPolicy {
  const configApi = useApi(configApiRef);
  return useMemo(() => readOwnerTagPolicy(configApi), [configApi]);
}
