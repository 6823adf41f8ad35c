import { ConfigReader } from '@backstage/config';
import { UniqueConfigIds } from './UniqueConfigIds';

function readAll(ids: string[]): string[] {
  const reader = new UniqueConfigIds({
    configKey: 'ownops.x.targets',
    entryName: 'X target',
  });
  return ids.map((id, index) => reader.read(new ConfigReader({ id }), index));
}

describe('UniqueConfigIds', () => {
  it('returns well-formed, distinct ids', () => {
    expect(readAll(['prod', 'eu-west.1', 'a_b', '9'])).toEqual([
      'prod',
      'eu-west.1',
      'a_b',
      '9',
    ]);
  });

  it('names the earlier entry that uses the same id', () => {
    expect(() => readAll(['a', 'b', 'a'])).toThrow(
      'ownops.x.targets[2].id "a" is already used by ownops.x.targets[0]; every X target needs a unique id',
    );
  });

  it.each(['Prod', 'my target', '-prod', '.x', 'a'.repeat(64)])(
    'refuses the id %j',
    id => {
      expect(() => readAll([id])).toThrow(
        `ownops.x.targets[0].id "${id}" must be lower-case letters`,
      );
    },
  );

  it('accepts an id of 63 characters', () => {
    expect(readAll(['a'.repeat(63)])).toEqual(['a'.repeat(63)]);
  });

  it('names the key when the id is missing', () => {
    const reader = new UniqueConfigIds({
      configKey: 'ownops.x.targets',
      entryName: 'X target',
    });
    const [entry] = new ConfigReader({
      ownops: { x: { targets: [{ title: 'no id' }] } },
    }).getConfigArray('ownops.x.targets');
    expect(() => reader.read(entry, 0)).toThrow(
      "Missing required config value at 'ownops.x.targets[0].id'",
    );
  });
});
