import { mockServices } from '@backstage/backend-test-utils';
import { ReplicaTroubles } from './ReplicaTroubles';
import { retryWithBackoff } from './retryWithBackoff';

describe('retryWithBackoff', () => {
  it('retries until the work succeeds and records each failure', async () => {
    const troubles = new ReplicaTroubles();
    let calls = 0;
    const result = await retryWithBackoff(
      'settling deployment #1',
      async () => {
        calls += 1;
        if (calls < 3) throw new Error('Connection terminated unexpectedly');
        return 'settled';
      },
      { troubles, logger: mockServices.logger.mock(), firstDelayMs: 1 },
    );
    expect(result).toBe('settled');
    expect(calls).toBe(3);
    expect(troubles.list().map(t => t.operation)).toEqual([
      'settling deployment #1',
      'settling deployment #1',
    ]);
  });

  it('throws the last error when the attempts run out', async () => {
    let calls = 0;
    await expect(
      retryWithBackoff(
        'reading deployment #1',
        async () => {
          calls += 1;
          throw new Error(`attempt ${calls}`);
        },
        { logger: mockServices.logger.mock(), attempts: 3, firstDelayMs: 1 },
      ),
    ).rejects.toThrow('attempt 3');
    expect(calls).toBe(3);
  });
});
