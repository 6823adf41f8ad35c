import { ProviderRequestError } from '../http/ProviderRequestError';
import { rewordProviderError } from './rewordProviderError';

describe('rewordProviderError', () => {
  it('keeps everything but the message, with the original as cause', () => {
    const original = new ProviderRequestError({
      provider: 'Example',
      status: 403,
      providerMessage: 'Forbidden',
      body: { message: 'Forbidden' },
      rateLimited: true,
      message: 'Example answered GET https://api.example.com/x with 403',
    });
    const reworded = rewordProviderError(
      original,
      'give the token read access',
    );
    expect(reworded).toBeInstanceOf(ProviderRequestError);
    expect(reworded).not.toBe(original);
    expect(reworded.message).toBe('give the token read access');
    expect(reworded).toMatchObject({
      name: 'ProviderRequestError',
      provider: 'Example',
      status: 403,
      providerMessage: 'Forbidden',
      body: { message: 'Forbidden' },
      rateLimited: true,
      cause: original,
    });
  });

  it('keeps a failure without an answer without a status', () => {
    const original = new ProviderRequestError({
      provider: 'Example',
      message: 'timed out',
    });
    const reworded = rewordProviderError(original, 'raise ownops.x.timeout');
    expect(reworded.status).toBeUndefined();
    expect(reworded.rateLimited).toBe(false);
    expect(reworded.cause).toBe(original);
  });
});
