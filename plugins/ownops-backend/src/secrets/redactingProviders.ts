import {
  CostRecord,
  CostSource,
  FocusExportDelivery,
  FocusExportSource,
  OnCallProvider,
} from '@ownops/backstage-plugin-node';
import { Redact, redactError, redactStrings } from './redactSecrets';

/**
 * The on-call provider with configured secrets taken out of what it reports
 * and of its errors, which the summary and the on-call routes show.
 */
export function redactingOnCallProvider(
  provider: OnCallProvider,
  redact: Redact,
): OnCallProvider {
  return {
    id: provider.id,
    appliesTo: entity => provider.appliesTo(entity),
    async getOnCall(entity, options) {
      try {
        return redactStrings(await provider.getOnCall(entity, options), redact);
      } catch (error) {
        throw redactError(error, redact);
      }
    },
  };
}

/**
 * The cost source with configured secrets taken out of its records (names,
 * tags, where they came from) and of its errors, which ingestion runs store.
 */
export function redactingCostSource(
  source: CostSource,
  redact: Redact,
): CostSource {
  return {
    id: source.id,
    ...(source.location !== undefined && {
      location: redact(source.location),
    }),
    async *read(window) {
      try {
        for await (const record of source.read(window)) {
          yield redactStrings<CostRecord>(record, redact);
        }
      } catch (error) {
        throw redactError(error, redact);
      }
    },
  };
}

/** Runs `work`, rethrowing its error with configured secrets taken out. */
async function redacted<T>(work: () => Promise<T>, redact: Redact) {
  try {
    return await work();
  } catch (error) {
    throw redactError(error, redact);
  }
}

/**
 * The export source with configured secrets taken out of its locations and
 * of its errors, which ingestion runs and the Finance page show. The files
 * it downloads are read as they are: rows go through the same checks.
 */
export function redactingFocusExportSource(
  source: FocusExportSource,
  redact: Redact,
): FocusExportSource {
  const delivery = (d: FocusExportDelivery): FocusExportDelivery => ({
    key: redact(d.key),
    fingerprint: d.fingerprint,
    location: redact(d.location),
    ...(d.expectedRows !== undefined && { expectedRows: d.expectedRows }),
    ...(d.root !== undefined && { root: d.root }),
    files: (scratch, signal) =>
      redacted(() => d.files(scratch, signal), redact),
  });
  return {
    id: source.id,
    location: redact(source.location),
    ...(source.tagColumns && { tagColumns: source.tagColumns }),
    deliveries: signal =>
      redacted(
        async () => (await source.deliveries(signal)).map(delivery),
        redact,
      ),
  };
}
