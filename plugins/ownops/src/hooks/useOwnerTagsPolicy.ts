import { configApiRef, useApi } from '@backstage/core-plugin-api';
import { useMemo } from 'react';
import { OwnerTagsPolicy, readOwnerTagsPolicy } from '../lib/ownerTags';

/** The owner tag keys and override policy from the frontend config. */
export function useOwnerTagsPolicy(): OwnerTagsPolicy {
  const configApi = useApi(configApiRef);
  return useMemo(() => readOwnerTagsPolicy(configApi), [configApi]);
}
