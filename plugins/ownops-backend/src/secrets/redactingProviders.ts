import {
  CostRecord,
  CostSource,
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
