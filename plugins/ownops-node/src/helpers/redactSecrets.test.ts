import { redactSecrets } from './redactSecrets';

describe('redactSecrets', () => {
  it('replaces every occurrence of each secret', () => {
    expect(redactSecrets('key s3cr3t, again s3cr3t', ['s3cr3t'])).toBe(
      'key ***, again ***',
    );
  });

  it('takes a secret that contains another out whole', () => {
    expect(redactSecrets('token abcd-efgh', ['abcd', 'abcd-efgh'])).toBe(
      'token ***',
    );
  });

  it('leaves secrets shorter than 4 characters, which would blank ordinary words', () => {
    expect(redactSecrets('a bc def', ['a', 'bc', 'def'])).toBe('a bc def');
  });

  it('gives the text as it is without secrets', () => {
    expect(redactSecrets('nothing to hide', [])).toBe('nothing to hide');
  });
});
