import { ConfigReader } from '@backstage/config';
import { readHttpBaseUrl } from './readHttpBaseUrl';

const read = (apiBaseUrl?: string) =>
  readHttpBaseUrl(
    new ConfigReader(apiBaseUrl === undefined ? {} : { apiBaseUrl }),
    'apiBaseUrl',
    {
      defaultUrl: 'https://api.example.com',
      fullKey: 'ownops.x.apiBaseUrl',
    },
  );

describe('readHttpBaseUrl', () => {
  it('gives the default when the key is absent or blank', () => {
    expect(read()).toBe('https://api.example.com');
    expect(read('  ')).toBe('https://api.example.com');
  });

  it('trims the value and drops trailing slashes', () => {
    expect(read(' https://api.eu.example.com/v2// ')).toBe(
      'https://api.eu.example.com/v2',
    );
    expect(read('http://localhost:8080/')).toBe('http://localhost:8080');
  });

  it.each([
    [
      'api.example.com',
      'Invalid ownops.x.apiBaseUrl: "api.example.com" is not a URL',
    ],
    [
      'ftp://files.example.com',
      'Invalid ownops.x.apiBaseUrl: "ftp://files.example.com" is not an http(s) URL',
    ],
  ])('refuses %j, naming the key', (value, message) => {
    expect(() => read(value)).toThrow(message);
  });
});
