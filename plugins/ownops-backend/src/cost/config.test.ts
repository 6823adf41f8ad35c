import { ConfigReader } from '@backstage/config';
import { readCostConfig } from './config';

describe('readCostConfig', () => {
  it('reads focus-files tag columns, and refuses an empty tag key naming it', () => {
    const config = (tagColumns: Record<string, string>) =>
      new ConfigReader({
        ownops: {
          cost: {
            focusFiles: [{ id: 'azure', path: '/exports/azure', tagColumns }],
          },
        },
      });
    expect(
      readCostConfig(config({ x_CostCenter: ' cost-center ' })).focusFiles,
    ).toEqual([
      {
        id: 'azure',
        path: '/exports/azure',
        tagColumns: { x_CostCenter: 'cost-center' },
      },
    ]);
    expect(() => readCostConfig(config({ x_CostCenter: ' ' }))).toThrow(
      'ownops.cost.focusFiles[0].tagColumns.x_CostCenter must be the tag key the column',
    );
  });
});
