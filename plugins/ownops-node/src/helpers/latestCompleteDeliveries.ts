import { LoggerService } from '@backstage/backend-plugin-api';
import { FocusExportDelivery } from '../costSource';

/**
 * A manifest checked: its delivery and name for people, or why it is incomplete.
 *
 * @public
 */
export type CheckedManifest =
  | { name: string; delivery: FocusExportDelivery }
  | { incomplete: string };

/**
 * How the log names a source and its deliveries.
 *
 * @public
 */
export interface DeliveryWords {
  /** The source, e.g. `Azure export source azure-focus`. */
  source: string;
  /** Where the source reads. */
  location: string;
  /** What a key is, in the plural, e.g. `date ranges`. */
  keys: string;
  /** What one manifest lists, e.g. `run`. */
  delivery: string;
}

/**
 * Each key's latest complete delivery, in key order, logging what it passed over.
 *
 * @public
 */
export async function latestCompleteDeliveries<Manifest>(options: {
  /** Each key's manifests, latest first. */
  manifests: Map<string, Manifest[]>;
  /** Reads a manifest of the key and checks that its files are all there. */
  check: (manifest: Manifest, key: string) => Promise<CheckedManifest>;
  logger: LoggerService;
  words: DeliveryWords;
}): Promise<FocusExportDelivery[]> {
  const { manifests, check, logger, words } = options;
  const deliveries: FocusExportDelivery[] = [];
  for (const key of [...manifests.keys()].sort()) {
    const delivery = await latestComplete(key, manifests.get(key)!, check, {
      logger,
      words,
    });
    if (delivery) {
      deliveries.push(delivery);
    }
  }
  logger.info(
    `${words.source} found ${deliveries.length} complete ${words.keys} in ${
      words.location
    }${
      deliveries.length > 0
        ? `: ${deliveries.map(delivery => delivery.key).join(', ')}`
        : ''
    }`,
  );
  return deliveries;
}

async function latestComplete<Manifest>(
  key: string,
  candidates: Manifest[],
  check: (manifest: Manifest, key: string) => Promise<CheckedManifest>,
  { logger, words }: { logger: LoggerService; words: DeliveryWords },
): Promise<FocusExportDelivery | undefined> {
  const incomplete: string[] = [];
  for (const candidate of candidates) {
    const checked = await check(candidate, key);
    if ('incomplete' in checked) {
      incomplete.push(checked.incomplete);
      continue;
    }
    if (incomplete.length > 0) {
      logger.info(
        `${words.source}: the latest ${words.delivery} of ${key} is not complete yet (${incomplete[0]}); reading the previous complete one, ${checked.name}`,
      );
    }
    return checked.delivery;
  }
  logger.info(
    `${
      words.source
    }: ${key} is left out until a later run finds it complete: ${incomplete.join(
      '; ',
    )}`,
  );
  return undefined;
}
