import { ConfigReader } from '@backstage/config';
import { readTagColumns } from './readTagColumns';

const read = (tagColumns?: object) =>
  readTagColumns(
    new ConfigReader(tagColumns === undefined ? {} : { tagColumns }),
    'ownops.x[0]',
  );

describe('readTagColumns', () => {
  it('reads each column as its tag key, trimmed', () => {
    expect(read({ x_CostCenter: ' cost-center ', x_Team: 'team' })).toEqual({
      x_CostCenter: 'cost-center',
      x_Team: 'team',
    });
  });

  it('reads no columns when the key is absent', () => {
    expect(read()).toEqual({});
  });

  it('refuses a blank tag key, naming the column', () => {
    expect(() => read({ x_CostCenter: '  ' })).toThrow(
      new Error(
        "ownops.x[0].tagColumns.x_CostCenter must be the tag key the column's values are read as, e.g. cost-center",
      ),
    );
  });
});
