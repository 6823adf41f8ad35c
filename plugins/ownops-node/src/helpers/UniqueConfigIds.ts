import { Config } from '@backstage/config';

const ID_PATTERN = /^[a-z0-9]([a-z0-9._-]{0,62})$/;

/**
 * Reads the `id` of each entry of a config array, such as
 * `ownops.argocd.instances`, and refuses ids that are malformed (lower-case
 * letters, digits, ".", "_" and "-", at most 63 characters, starting with a
 * letter or digit) or already used by an earlier entry. Errors name the key,
 * e.g. `ownops.argocd.instances[1].id`.
 *
 * @public
 */
export class UniqueConfigIds {
  private readonly seen = new Map<string, number>();

  /**
   * @param options - `configKey` is the array's key; `entryName` says what an
   * entry is, e.g. "Argo CD instance".
   */
  constructor(
    private readonly options: { configKey: string; entryName: string },
  ) {}

  /** The id of the entry at `index` of the array. */
  read(entry: Config, index: number): string {
    const { configKey, entryName } = this.options;
    const where = `${configKey}[${index}]`;
    const id = entry.getString('id');
    if (!ID_PATTERN.test(id)) {
      throw new Error(
        `${where}.id "${id}" must be lower-case letters, digits, ".", "_" or "-" (at most 63)`,
      );
    }
    const earlier = this.seen.get(id);
    if (earlier !== undefined) {
      throw new Error(
        `${where}.id "${id}" is already used by ${configKey}[${earlier}]; every ${entryName} needs a unique id`,
      );
    }
    this.seen.set(id, index);
    return id;
  }
}
