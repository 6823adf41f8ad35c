import {
  imageWithTag,
  isValidTag,
  parseImage,
  versionOfImage,
} from './imageReference';

describe('image references', () => {
  it.each([
    ['nginx', { repository: 'nginx' }],
    ['nginx:1.27', { repository: 'nginx', tag: '1.27' }],
    [
      'localhost:5000/shop/checkout',
      { repository: 'localhost:5000/shop/checkout' },
    ],
    [
      'localhost:5000/shop/checkout:1.4.0',
      { repository: 'localhost:5000/shop/checkout', tag: '1.4.0' },
    ],
    [
      'ghcr.io/acme/api:2.0@sha256:abc',
      { repository: 'ghcr.io/acme/api', tag: '2.0', digest: 'sha256:abc' },
    ],
    [
      'ghcr.io/acme/api@sha256:abc',
      { repository: 'ghcr.io/acme/api', digest: 'sha256:abc' },
    ],
  ])('parses %s', (image, expected) => {
    expect(parseImage(image)).toEqual({ digest: undefined, ...expected });
  });

  it('replaces the tag or digest and keeps registry and repository', () => {
    expect(imageWithTag('localhost:5000/shop/checkout', '1.5.0')).toBe(
      'localhost:5000/shop/checkout:1.5.0',
    );
    expect(imageWithTag('ghcr.io/acme/api:2.0@sha256:abc', '2.1')).toBe(
      'ghcr.io/acme/api:2.1',
    );
  });

  it('reads the version as the tag, else the digest, else latest', () => {
    expect(versionOfImage('nginx:1.27')).toBe('1.27');
    expect(versionOfImage('nginx@sha256:abc')).toBe('sha256:abc');
    expect(versionOfImage('nginx')).toBe('latest');
  });

  it('accepts only valid tags', () => {
    expect(isValidTag('v1.2.3-rc_1')).toBe(true);
    expect(isValidTag('.hidden')).toBe(false);
    expect(isValidTag('a/b')).toBe(false);
    expect(isValidTag('x'.repeat(129))).toBe(false);
  });
});
