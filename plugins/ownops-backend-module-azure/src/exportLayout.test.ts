import { ExportLayout } from './exportLayout';

describe('ExportLayout', () => {
  const layout = new ExportLayout('cost/focus-daily');

  it.each<[string, string | undefined]>([
    [
      'cost/focus-daily/20261101-20261130/202611050603/manifest.json',
      '20261101-20261130',
    ],
    ['cost/focus-daily/20261101-20261130/manifest.json', '20261101-20261130'],
    [
      'cost/focus-daily/20261101-20261130/202611050603/7b1f/manifest.json',
      '20261101-20261130',
    ],
    [
      'cost/focus-daily/20261101-20261130/202611050603/7b1f/part_0_0001.csv',
      undefined,
    ],
    ['cost/focus-daily/202611/202611050603/manifest.json', undefined],
    [
      'cost/focus-daily-eu/20261101-20261130/202611050603/manifest.json',
      undefined,
    ],
    ['cost/focus-daily/manifest.json', undefined],
    [
      'cost/focus-daily/20261101-20261130/manifest.json/part_0_0001.csv',
      undefined,
    ],
  ])('finds the date range of %s: %s', (blobName, range) => {
    expect(layout.manifestRange(blobName)).toBe(range);
  });

  it('puts a run in the folder of its manifest', () => {
    expect(
      layout.runFolder(
        'cost/focus-daily/20261101-20261130/202611050603/manifest.json',
      ),
    ).toBe('cost/focus-daily/20261101-20261130/202611050603');
  });
});
