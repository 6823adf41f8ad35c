import { formatTagProblems, missingKeys } from './problems';

describe('formatTagProblems', () => {
  it('writes one line per problem, with the detail in parentheses', () => {
    expect(
      formatTagProblems([
        {
          file: 'infra/main.tf',
          resource: 'aws_s3_bucket.assets',
          missingKeys: ['cost-center', 'environment'],
        },
        {
          file: 'infra/main.tf',
          resource: 'azurerm_key_vault.main',
          missingKeys: ['owner'],
          detail: 'tags is not a literal map, so its keys cannot be checked',
        },
      ]),
    ).toBe(
      [
        'infra/main.tf: aws_s3_bucket.assets lacks cost-center, environment',
        'infra/main.tf: azurerm_key_vault.main lacks owner (tags is not a literal map, so its keys cannot be checked)',
      ].join('\n'),
    );
  });

  it('is empty without problems', () => {
    expect(formatTagProblems([])).toBe('');
  });
});

describe('missingKeys', () => {
  it('keeps the required order', () => {
    expect(missingKeys(['b', 'a', 'c'], new Set(['a']))).toEqual(['b', 'c']);
  });
});
