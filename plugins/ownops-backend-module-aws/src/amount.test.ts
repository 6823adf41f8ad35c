import { isZeroDecimal, plainDecimal } from './amount';
import { serviceCategoryOf } from './serviceCategory';

describe('plainDecimal', () => {
  it.each([
    ['40.35', '40.35'],
    ['-0.0000001', '-0.0000001'],
    ['1.2E-7', '0.00000012'],
    ['-3.5e2', '-350'],
    ['1.25E+1', '12.5'],
    ['5E0', '5'],
  ])('reads %s as %s', (amount, decimal) => {
    expect(plainDecimal(amount)).toBe(decimal);
  });

  it('refuses what is not a number', () => {
    expect(() => plainDecimal('12,5')).toThrow(
      'Cost Explorer sent the amount "12,5", which is not a number',
    );
  });

  it('knows zero in every spelling', () => {
    expect(['0', '0.000', '-0', '-0.0'].every(isZeroDecimal)).toBe(true);
    expect(['0.0001', '10', '-0.5'].some(isZeroDecimal)).toBe(false);
  });
});

describe('serviceCategoryOf', () => {
  it.each([
    ['Amazon Elastic Compute Cloud - Compute', 'Compute'],
    ['Amazon Relational Database Service', 'Databases'],
    ['Amazon Simple Storage Service', 'Storage'],
    ['AWS Lambda', 'Compute'],
    ['Amazon CloudFront', 'Networking'],
    ['AmazonCloudWatch', 'Management and Governance'],
    ['Tax', 'Other'],
    ['Amazon Aurora DSQL', 'Databases'],
    ['AWS Something New', 'Other'],
  ])('maps %s to %s', (service, category) => {
    expect(serviceCategoryOf(service)).toBe(category);
  });
});
