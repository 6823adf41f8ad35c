export { CatalogPeople, personOfCatalogUser } from './CatalogPeople';
export type { ProviderPerson } from './CatalogPeople';
export {
  chunksOf,
  dayStart,
  isoSeconds,
  monthStart,
  monthsOverlapping,
} from './calendar';
export { latestCompleteDeliveries } from './latestCompleteDeliveries';
export type {
  CheckedManifest,
  DeliveryWords,
} from './latestCompleteDeliveries';
export { readDurationMs } from './readDurationMs';
export { readHttpBaseUrl } from './readHttpBaseUrl';
export { readTagColumns } from './readTagColumns';
export { redactSecrets } from './redactSecrets';
export { rewordProviderError } from './rewordProviderError';
export { TtlCache } from './TtlCache';
export { UniqueConfigIds } from './UniqueConfigIds';
