import { LoggerService } from '@backstage/backend-plugin-api';
import { FocusExportDelivery } from '../costSource';
import {
  CheckedManifest,
  latestCompleteDeliveries,
} from './latestCompleteDeliveries';

/** A manifest of the test: its name, and the file it lacks, if any. */
interface Manifest {
  name: string;
  lacks?: string;
}

const delivery = (key: string, manifest: Manifest): FocusExportDelivery => ({
  key,
  fingerprint: manifest.name,
  location: `bucket/${key}`,
  files: async () => [],
});

async function deliveriesOf(manifests: Map<string, Manifest[]>) {
  const logger = {
    info: jest.fn(),
    warn: jest.fn(),
    error: jest.fn(),
    debug: jest.fn(),
    child: jest.fn(),
  };
  const checked: string[] = [];
  const deliveries = await latestCompleteDeliveries({
    manifests,
    check: async (manifest, key): Promise<CheckedManifest> => {
      checked.push(manifest.name);
      return manifest.lacks
        ? { incomplete: `${manifest.name} lacks ${manifest.lacks}` }
        : { name: manifest.name, delivery: delivery(key, manifest) };
    },
    logger: logger as LoggerService,
    words: {
      source: 'Test source t',
      location: 'bucket',
      keys: 'months',
      delivery: 'run',
    },
  });
  return {
    fingerprints: deliveries.map(({ key, fingerprint }) => [key, fingerprint]),
    checked,
    logged: logger.info.mock.calls.map(([message]) => message),
  };
}

describe('latestCompleteDeliveries', () => {
  it('delivers each key as its latest manifest lists it, in key order, reading no older one', async () => {
    const { fingerprints, checked, logged } = await deliveriesOf(
      new Map([
        ['2026-11', [{ name: 'nov-2' }, { name: 'nov-1' }]],
        ['2026-10', [{ name: 'oct-1' }]],
      ]),
    );

    expect(fingerprints).toEqual([
      ['2026-10', 'oct-1'],
      ['2026-11', 'nov-2'],
    ]);
    expect(checked).toEqual(['oct-1', 'nov-2']);
    expect(logged).toEqual([
      'Test source t found 2 complete months in bucket: 2026-10, 2026-11',
    ]);
  });

  it('reads the previous complete manifest of a key whose latest is not complete, saying why', async () => {
    const { fingerprints, logged } = await deliveriesOf(
      new Map([
        [
          '2026-11',
          [
            { name: 'nov-3', lacks: 'b.csv' },
            { name: 'nov-2', lacks: 'a.csv' },
            { name: 'nov-1' },
          ],
        ],
      ]),
    );

    expect(fingerprints).toEqual([['2026-11', 'nov-1']]);
    expect(logged).toEqual([
      'Test source t: the latest run of 2026-11 is not complete yet (nov-3 lacks b.csv); reading the previous complete one, nov-1',
      'Test source t found 1 complete months in bucket: 2026-11',
    ]);
  });

  it('leaves out a key with no complete manifest, naming every incomplete one', async () => {
    const { fingerprints, logged } = await deliveriesOf(
      new Map([
        [
          '2026-11',
          [
            { name: 'nov-2', lacks: 'b.csv' },
            { name: 'nov-1', lacks: 'a.csv' },
          ],
        ],
      ]),
    );

    expect(fingerprints).toEqual([]);
    expect(logged).toEqual([
      'Test source t: 2026-11 is left out until a later run finds it complete: nov-2 lacks b.csv; nov-1 lacks a.csv',
      'Test source t found 0 complete months in bucket',
    ]);
  });

  it('passes on what a check throws', async () => {
    await expect(
      latestCompleteDeliveries({
        manifests: new Map([['2026-11', ['manifest']]]),
        check: async () => {
          throw new Error('the manifest is not one Ownops understands');
        },
        logger: { info: jest.fn() } as unknown as LoggerService,
        words: { source: 's', location: 'l', keys: 'k', delivery: 'd' },
      }),
    ).rejects.toThrow('the manifest is not one Ownops understands');
  });
});
