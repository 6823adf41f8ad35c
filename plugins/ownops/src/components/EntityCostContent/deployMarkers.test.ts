import { deployment } from '../../__testUtils__/fixtures';
import { deployMarkers } from './deployMarkers';

describe('deployMarkers', () => {
  const range = { from: '2026-11-01', to: '2026-11-21' };
  const deployments = [
    deployment({
      id: 3,
      version: '1.3.0',
      environment: 'production',
      finishedAt: '2026-11-05T18:00:00.000Z',
    }),
    deployment({
      id: 2,
      version: '1.2.0',
      environment: 'staging',
      finishedAt: '2026-11-05T09:00:00.000Z',
    }),
    deployment({
      id: 4,
      kind: 'rollback',
      version: '1.2.0',
      environment: 'production',
      finishedAt: '2026-11-20T23:59:59.000Z',
    }),
    deployment({ id: 5, status: 'failed', finishedAt: '2026-11-07T00:00:00Z' }),
    deployment({ id: 6, finishedAt: '2026-11-21T00:00:00.000Z' }),
    deployment({ id: 7, finishedAt: '2026-10-31T23:59:59.000Z' }),
  ];

  it('marks succeeded deploys and rollbacks per day, in range, in order', () => {
    expect(
      deployMarkers(deployments, range).map(m => [m.day, m.label]),
    ).toEqual([
      ['2026-11-05', '1.2.0, 1.3.0'],
      ['2026-11-20', 'rollback to 1.2.0'],
    ]);
  });

  it('keeps only the chosen environment', () => {
    expect(
      deployMarkers(deployments, range, 'staging').map(m => m.label),
    ).toEqual(['1.2.0']);
  });
});
