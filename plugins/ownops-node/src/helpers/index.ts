export { CatalogPeople, personOfCatalogUser } from './CatalogPeople';
export type { ProviderPerson } from './CatalogPeople';
export {
  chunksOf,
  dayStart,
  isoSeconds,
  monthStart,
  monthsOverlapping,
} from './calendar';
export { readDurationMs } from './readDurationMs';
export { readHttpBaseUrl } from './readHttpBaseUrl';
export { rewordProviderError } from './rewordProviderError';
export { TtlCache } from './TtlCache';
export { UniqueConfigIds } from './UniqueConfigIds';
