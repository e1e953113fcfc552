import { describe, expect, it } from 'vitest';
import { TokenError } from './errors.js';
import { HostCache, verifyStsHost } from './hostAllowList.js';

type Case = readonly [partition: string, region: string, host: string, accepted: boolean];

const check = (partition: string, region: string, host: string): boolean => {
  try {
    verifyStsHost(host, { partition, region });
    return true;
  } catch (error) {
    if (error instanceof TokenError) return false;
    throw error;
  }
};

const commercialRegions = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ap-south-1', 'ap-northeast-1', 'ap-northeast-2',
  'ap-southeast-1', 'ap-southeast-2', 'ca-central-1', 'eu-central-1', 'eu-west-1', 'eu-west-2', 'eu-west-3',
  'eu-north-1',
];

// aws-iam-authenticator's TestSTSEndpoints.
const referenceCases: Case[] = [
  ['aws', '', 'sts.amazonaws.com', true],
  ...['aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-not-a-partition'].map(
    (partition): Case => [partition, '', 'sts.amazonaws.com', false],
  ),
  ['aws-cn', '', 'sts.cn-northwest-1.amazonaws.com.cn', true],
  ['aws-cn', '', 'sts.cn-north-1.amazonaws.com.cn', true],
  ['aws-cn', '', 'sts.us-iso-east-1.c2s.ic.gov', false],
  ['aws-cn', '', 'sts.not-a-region1.amazonaws.com.cn', false],
  ['aws-cn', 'not-a-region2', 'sts.not-a-region2.amazonaws.com.cn', true],
  ['aws', '', 'sts-fips.us-west-2.amazonaws.com', true],
  ['aws', '', 'sts-fips.us-east-1.amazonaws.com', true],
  ...commercialRegions.map((region): Case => ['aws', '', `sts.${region}.amazonaws.com`, true]),
  ['aws', '', 'sts.amazonaws.com.cn', false],
  ['aws', '', 'website.amazonaws.com', false],
  ['aws', 'default-region', 'sts.default-region.amazonaws.com', true],
  ['aws-iso', '', 'sts.us-iso-east-1.c2s.ic.gov', true],
  ['aws-iso', '', 'sts.cn-north-1.amazonaws.com.cn', false],
  ['aws-iso-b', '', 'sts.cn-north-1.amazonaws.com.cn', false],
  ['aws-us-gov', '', 'sts.us-gov-east-1.amazonaws.com', true],
  ['aws-cn', '', 'sts-fips.us-east-1.amazonaws.com', false],
  ['aws-cn', '', 'sts.us-isob-east-1.amazonaws.com.cn', false],
  ['aws-cn', 'us-isob-east-1', 'sts.us-isob-east-1.amazonaws.com.cn', true],
  ['aws-iso-b', '', 'sts.us-isob-east-1.amazonaws.com.cn', false],
  ['aws-iso-b', 'us-isob-east-1', 'sts.us-isob-east-1.amazonaws.com.cn', false],
  ['aws', '', 'sts.us-west-2.api.aws', true],
  ['aws-cn', '', 'sts.cn-north-1.api.amazonwebservices.com.cn', true],
  ['aws', '', 'sts.cn-north-1.api.amazonwebservices.com.cn', false],
  ['aws', '', 'sts.not-a-region.amazonaws.com', true],
  ['aws', 'not-a-region', 'sts.not-a-region.amazonaws.com', true],
  ['aws', 'us-west-2', 'sts.not-a-region.amazonaws.com', true],
  ['aws-cn', '', 'sts.not-a-region3.amazonaws.com.cn', false],
  ['aws-cn', 'not-a-region4', 'sts.not-a-region4.amazonaws.com.cn', true],
  ['aws-cn', 'us-west-2', 'sts.not-a-region5.amazonaws.com.cn', false],
];

// aws-iam-authenticator's TestSTSEndpointResolution.
const resolutionCases: Case[] = [
  ['aws-cn', '', 'sts.us-west-2.amazonaws.com.cn', false],
  ['aws', '', 'sts.us-west-2.amazonaws.com.cn', false],
  ['aws', 'us-west-2', 'sts.us-west-2.amazonaws.com.cn', false],
  ['aws-cn', 'not-a-region', 'sts.not-a-region.amazonaws.com', false],
];

// Consequences of exact string comparison and of the partition table.
const edgeCases: Case[] = [
  ['aws', '', 'sts.us-west-2.amazonaws.com:443', false],
  ['aws', '', 'STS.us-west-2.amazonaws.com', false],
  ['aws', '', 'sts.us-west-2.AMAZONAWS.com', false],
  // Any valid label counts as a commercial region, so an upper-case region label passes as in Go.
  ['aws', '', 'sts.US-WEST-2.amazonaws.com', true],
  ['aws', '', 'sts.us-west-2.amazonaws.com.', false],
  ['aws', '', 'sts.amazonaws.com.', false],
  ['aws', '', 'sts.amazonaws.com:443', false],
  ['aws', '', 'evil.com@sts.us-west-2.amazonaws.com', false],
  ['aws', '', 'sts.us-west-2.amazonaws.com.evil.com', false],
  ['aws-us-gov', '', 'sts.us-west-2.amazonaws.com', true],
  ['aws', '', 'sts.us-gov-west-1.amazonaws.com', true],
  ['aws-us-gov', '', 'sts-fips.us-gov-west-1.amazonaws.com', false],
  ['aws-us-gov', 'us-gov-west-1', 'sts-fips.us-gov-west-1.amazonaws.com', false],
  ['aws-us-gov', '', 'sts-fips.us-gov-west-1.api.aws', true],
  ['aws-iso', '', 'sts.us-iso-east-1.api.aws.ic.gov', false],
  ['aws-eusc', '', 'sts.eusc-de-east-1.amazonaws.eu', true],
  ['aws-eusc', '', 'sts.eusc-de-east-1.api.amazonwebservices.eu', true],
  ['aws', '', 'sts.us_west_2.amazonaws.com', false],
  ['aws', 'bad_region', 'sts.x.amazonaws.com.cn', false],
];

describe('verifyStsHost', () => {
  it.each([...referenceCases, ...resolutionCases, ...edgeCases])('%s region %j host %s', (partition, region, host, accepted) => {
    expect(check(partition, region, host)).toBe(accepted);
  });

  it.each([
    ['aws', '', '', 'input token was not properly formatted: could not parse region for pre-signed URL , host is empty'],
    [
      'aws',
      '',
      'google.com',
      'input token was not properly formatted: could not parse region for pre-signed URL google.com, invalid host format: google.com',
    ],
    ['aws-cn', '', 'sts.amazonaws.com', 'input token was not properly formatted: global endpoint unsupported in partition aws-cn'],
    [
      'aws',
      '',
      'sts.us_west_2.amazonaws.com',
      'input token was not properly formatted: invalid region identifier format provided: us_west_2',
    ],
    ['aws', '', 'website.amazonaws.com', 'input token was not properly formatted: unexpected hostname "website.amazonaws.com" in pre-signed URL'],
    [
      'aws-cn',
      '',
      'sts-fips.us-east-1.amazonaws.com',
      'input token was not properly formatted: partition {aws-cn} does not support hostname sts-fips.us-east-1.amazonaws.com',
    ],
    ['aws-not-a-partition', '', 'sts.us-west-2.amazonaws.com', 'partition aws-not-a-partition not valid'],
  ])('%s host %j message', (partition, region, host, message) => {
    expect(() => verifyStsHost(host, { partition, region })).toThrow(new TokenError('TOKEN_FORMAT', message).message);
  });

  it('reports an unknown partition as a plain error', () => {
    expect(() => verifyStsHost('sts.us-west-2.amazonaws.com', { partition: 'aws-xx', region: '' })).toThrow(
      expect.objectContaining({ code: 'TOKEN_HOST', message: 'partition aws-xx not valid' }),
    );
  });

  it('reports a bad host as a format error', () => {
    expect(() => verifyStsHost('website.amazonaws.com', { partition: 'aws', region: '' })).toThrow(
      expect.objectContaining({ code: 'TOKEN_FORMAT' }),
    );
  });
});

describe('HostCache', () => {
  const validHosts = [
    'sts.us-east-1.amazonaws.com',
    'sts.eu-west-2.amazonaws.com',
    'sts.ap-southeast-1.amazonaws.com',
    'sts.us-west-2.amazonaws.com',
    'sts.ca-central-1.amazonaws.com',
    'sts.eu-central-1.amazonaws.com',
  ];

  it.each(validHosts)('caches accepted %s', (host) => {
    const cache = new HostCache();
    verifyStsHost(host, { partition: 'aws', region: '', cache });
    expect(cache.has(host)).toBe(true);
  });

  it.each(['invalid.amazonaws.com', 'invalid2.amazonaws.com'])('skips rejected %s', (host) => {
    const cache = new HostCache();
    expect(() => verifyStsHost(host, { partition: 'aws', region: '', cache })).toThrow(TokenError);
    expect(cache.has(host)).toBe(false);
  });

  it('accepts a pre-seeded host', () => {
    const cache = new HostCache();
    cache.add('sts.sa-east-1.amazonaws.com');
    // The partition would reject this host without the cache entry.
    expect(() => verifyStsHost('sts.sa-east-1.amazonaws.com', { partition: 'aws-cn', region: '', cache })).not.toThrow();
  });

  it('drops the oldest entry when full', () => {
    const cache = new HostCache(2);
    cache.add('a');
    cache.add('b');
    cache.add('c');
    expect([cache.has('a'), cache.has('b'), cache.has('c'), cache.size]).toEqual([false, true, true, 2]);
  });

  it('keeps its size bounded', () => {
    const cache = new HostCache();
    for (let i = 0; i < 3000; i++) verifyStsHost(`sts.region${i}.amazonaws.com`, { partition: 'aws', region: '', cache });
    expect(cache.size).toBe(1024);
  });
});
