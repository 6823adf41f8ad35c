import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';
import { lookUpOwner, OwnerLookup } from '../lib/ownerTags';

/** Loads the owner from the catalog; `value` is undefined while loading or without a ref. */
export function useOwnerLookup(ref: string | undefined): {
  loading: boolean;
  value?: OwnerLookup;
} {
  const catalogApi = useApi(catalogApiRef);
  const state = useAsync(
    async () => (ref ? lookUpOwner(catalogApi, ref) : undefined),
    [catalogApi, ref],
  );
  return { loading: state.loading, value: state.value };
}
