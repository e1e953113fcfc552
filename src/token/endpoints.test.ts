import { describe, expect, it } from 'vitest';
import {
  candidateStsHosts,
  getDefaultHostNamesForRegion,
  getStsRegion,
  isValidRegion,
  stsEndpointForRegion,
} from './endpoints.js';
import { TokenError } from './errors.js';

describe('stsEndpointForRegion', () => {
  it.each([
    ['us-west-2', {}, 'sts.us-west-2.amazonaws.com', 'us-west-2'],
    ['aws-global', {}, 'sts.amazonaws.com', 'us-east-1'],
    ['us-west-2', { fips: true }, 'sts-fips.us-west-2.amazonaws.com', 'us-west-2'],
    ['us-west-2', { dualStack: true }, 'sts.us-west-2.api.aws', 'us-west-2'],
    ['us-west-2', { fips: true, dualStack: true }, 'sts-fips.us-west-2.api.aws', 'us-west-2'],
    ['us-gov-west-1', { fips: true }, 'sts.us-gov-west-1.amazonaws.com', 'us-gov-west-1'],
    ['us-gov-west-1', { fips: true, dualStack: true }, 'sts-fips.us-gov-west-1.api.aws', 'us-gov-west-1'],
    ['cn-north-1', {}, 'sts.cn-north-1.amazonaws.com.cn', 'cn-north-1'],
    ['cn-north-1', { dualStack: true }, 'sts.cn-north-1.api.amazonwebservices.com.cn', 'cn-north-1'],
    ['us-iso-east-1', {}, 'sts.us-iso-east-1.c2s.ic.gov', 'us-iso-east-1'],
    ['us-iso-east-1', { dualStack: true }, 'sts.us-iso-east-1.api.aws.ic.gov', 'us-iso-east-1'],
    ['eusc-de-east-1', {}, 'sts.eusc-de-east-1.amazonaws.eu', 'eusc-de-east-1'],
    ['not-a-region', {}, 'sts.not-a-region.amazonaws.com', 'not-a-region'],
  ])('maps %s %j', (region, variant, host, signingRegion) => {
    expect(stsEndpointForRegion(region, variant)).toEqual({ host, signingRegion });
  });
});

describe('candidateStsHosts', () => {
  it('lists the four SDK variants', () => {
    expect(candidateStsHosts('eu-west-1')).toEqual([
      'sts-fips.eu-west-1.api.aws',
      'sts-fips.eu-west-1.amazonaws.com',
      'sts.eu-west-1.api.aws',
      'sts.eu-west-1.amazonaws.com',
    ]);
  });
});

describe('getDefaultHostNamesForRegion', () => {
  it.each([
    ['aws-iso-e', 'eu-isoe-west-1', 'test', ['test.eu-isoe-west-1.cloud.adc-e.uk']],
    ['aws-iso-e', 'eu-isoe-test-1', 'test', ['test.eu-isoe-test-1.cloud.adc-e.uk']],
    ['aws-iso', 'us-iso-test-1', 'sts', ['sts.us-iso-test-1.c2s.ic.gov']],
    ['aws', 'us-west-2', 'sts', ['sts.us-west-2.amazonaws.com', 'sts.us-west-2.api.aws']],
  ])('builds %s %s', (partition, region, service, hosts) => {
    expect(getDefaultHostNamesForRegion(partition, region, service)).toEqual(hosts);
  });

  it('rejects an invalid region', () => {
    expect(() => getDefaultHostNamesForRegion('aws-iso', 'test_123', 'sts')).toThrow(
      'invalid region identifier format provided: test_123',
    );
  });

  it('rejects an unknown partition', () => {
    expect(() => getDefaultHostNamesForRegion('aws-xx', 'us-west-2', 'sts')).toThrow('partition aws-xx not valid');
  });
});

describe('getStsRegion', () => {
  it.each([
    ['sts.amazonaws.com', 'global'],
    ['sts.us-west-2.amazonaws.com', 'us-west-2'],
    ['sts.eu-central-1.amazonaws.com', 'eu-central-1'],
    ['sts-fips.us-west-2.amazonaws.com', 'us-west-2'],
  ])('labels %s', (host, region) => {
    expect(getStsRegion(host)).toBe(region);
  });

  it.each([
    ['', 'host is empty'],
    ['sts', 'invalid host format: sts'],
    ['sts.wrongformat', 'invalid host format: sts.wrongformat'],
  ])('rejects %j', (host, message) => {
    expect(() => getStsRegion(host)).toThrow(TokenError);
    expect(() => getStsRegion(host)).toThrow(message);
  });
});

describe('isValidRegion', () => {
  it.each([
    ['us-east-1', true],
    ['invalid.com', false],
    ['@invalid.com/%23', false],
    ['local', true],
    ['9-west-1', true],
    ['us_east_1', false],
    ['', false],
    ['-us', false],
    ['us-', false],
    ['us-east-1\n', false],
  ])('validates %j', (region, valid) => {
    expect(isValidRegion(region)).toBe(valid);
  });
});
