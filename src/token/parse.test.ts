import { describe, expect, it } from 'vitest';
import { TokenError } from './errors.js';
import { HostCache } from './hostAllowList.js';
import { parseToken, type ParseTokenOptions } from './parse.js';

const now = new Date('2019-12-16T10:20:30.000Z');
const nowParam = '20191216T102030Z';
const options: ParseTokenOptions = { partition: 'aws', region: '', now };

const tokenOf = (url: string): string => `k8s-aws-v1.${Buffer.from(url, 'utf8').toString('base64url')}`;
const validQuery =
  'action=GetCallerIdentity&X-Amz-Credential=ASIABCDEFGHIJKLMNOPQ%2F20191216%2Fus-west-2%2Fs3%2Faws4_request' +
  `&x-amz-signedheaders=x-k8s-aws-id&x-amz-expires=60&x-amz-date=${nowParam}`;
const validUrl = `https://sts.amazonaws.com/?${validQuery}`;

const messageOf = (token: string, overrides: Partial<ParseTokenOptions> = {}): string => {
  try {
    parseToken(token, { ...options, ...overrides });
    return '';
  } catch (error) {
    if (error instanceof TokenError) return error.message;
    throw error;
  }
};

const format = (reason: string): string => `input token was not properly formatted: ${reason}`;

describe('parseToken', () => {
  // aws-iam-authenticator's TestVerifyTokenPreSTSValidations.
  it.each([
    ['\0'.repeat(4097), format('token is too large')],
    ['k8s-aws-v2.asdfasdfa', format('token is missing expected "k8s-aws-v1." prefix')],
    ['k8s-aws-v1.decodingerror', format('illegal base64 data at input byte 12')],
    [tokenOf(':ab:cd.af:/asda'), format('parse ":ab:cd.af:/asda": missing protocol scheme')],
    [tokenOf('http://'), format('unexpected scheme "http" in pre-signed URL')],
    [
      tokenOf('https://google.com'),
      format('could not parse region for pre-signed URL google.com, invalid host format: google.com'),
    ],
    [tokenOf('https://sts.amazonaws.com/abc'), format('unexpected path in pre-signed URL')],
    [tokenOf('https://sts.amazonaws.com/?NoInWhiteList=abc'), format('non-whitelisted query parameter "NoInWhiteList"')],
    [tokenOf('https://sts.amazonaws.com/?action=get&action=post'), format('query parameter with multiple values not supported')],
    [tokenOf('https://sts.amazonaws.com/?action=NotGetCallerIdenity'), format('unexpected action parameter in pre-signed URL')],
    [
      tokenOf('https://sts.amazonaws.com/?action=GetCallerIdentity&x-amz-signedheaders=abc%3bx-k8s-aws-i%3bdef'),
      format('client did not sign the x-k8s-aws-id header in the pre-signed URL'),
    ],
    [
      tokenOf(`https://sts.amazonaws.com/?action=GetCallerIdentity&x-amz-signedheaders=x-k8s-aws-id&x-amz-date=${nowParam}&x-amz-expires=9999999`),
      format('invalid X-Amz-Expires parameter in pre-signed URL: 9999999'),
    ],
    [
      tokenOf('https://sts.amazonaws.com/?action=GetCallerIdentity&x-amz-signedheaders=x-k8s-aws-id&x-amz-date=xxxxxxx&x-amz-expires=60'),
      format(
        'error parsing X-Amz-Date parameter xxxxxxx into format 20060102T150405Z: parsing time "xxxxxxx" as "20060102T150405Z": cannot parse "xxxxxxx" as "2006"',
      ),
    ],
    [
      tokenOf('https://sts.amazonaws.com/?action=GetCallerIdentity&x-amz-signedheaders=x-k8s-aws-id&x-amz-date=19900422T010203Z&x-amz-expires=60'),
      format('X-Amz-Date parameter is expired (15 minute expiration) 1990-04-22 01:02:03 +0000 UTC'),
    ],
    [
      tokenOf(`https://sts.sa-east-1.amazonaws.com/?action=GetCallerIdentity&x-amz-signedheaders=x-k8s-aws-id&x-amz-date=${nowParam}&x-amz-expires=60%gh`),
      format('malformed query parameter'),
    ],
    [
      tokenOf(
        'https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256' +
          '&X-Amz-Credential=ASIAR2TG44V6AS3ZZE7C%2F20230428%2Fus-west-2%2Fsts%2Faws4_request' +
          `&X-Amz-Date=${nowParam}&X-Amz-Expires=900&X-Amz-Security-Token=XXXXXXXXXXXXX` +
          '&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&X-Amz-Signature=000000000000000000000000000000000000000000000000000000000000000' +
          '&x-amz-credential=eve',
      ),
      format('duplicate query parameter found: "x-amz-credential"'),
    ],
  ])('rejects reference case %#', (token, message) => {
    expect(messageOf(token)).toBe(message);
  });

  it('rejects an unexpected path in aws-cn', () => {
    expect(messageOf(tokenOf('https://sts.cn-north-1.amazonaws.com.cn/abc'), { partition: 'aws-cn' })).toBe(
      format('unexpected path in pre-signed URL'),
    );
  });

  it.each(['us-east-2', 'ap-northeast-2', 'ca-central-1', 'eu-west-1', 'sa-east-1'])('accepts a minimal token for %s', (region) => {
    const url = `https://sts.${region}.amazonaws.com/?action=GetCallerIdentity&x-amz-signedheaders=x-k8s-aws-id&x-amz-date=${nowParam}&x-amz-expires=60`;
    expect(messageOf(tokenOf(url))).toBe('');
  });

  it('returns the parts of a valid token', () => {
    const parsed = parseToken(tokenOf(validUrl), options);
    expect(parsed.host).toBe('sts.amazonaws.com');
    expect(parsed.stsRegion).toBe('global');
    expect(parsed.accessKeyId).toBe('ASIABCDEFGHIJKLMNOPQ');
    expect(parsed.rawQuery).toBe(validQuery);
    expect(parsed.requestTarget).toBe(`/?${validQuery}`);
    expect(parsed.query.get('x-amz-credential')).toBe('ASIABCDEFGHIJKLMNOPQ/20191216/us-west-2/s3/aws4_request');
  });

  it('caches the accepted host', () => {
    const hostCache = new HostCache();
    parseToken(tokenOf(validUrl), { ...options, hostCache });
    expect(hostCache.has('sts.amazonaws.com')).toBe(true);
  });

  it('rejects an escaped slash after the root', () => {
    expect(messageOf(tokenOf(validUrl.replace('.com/?', '.com/%2F?')))).toBe(format('unexpected path in pre-signed URL'));
  });
});

describe('parseToken size', () => {
  // Pads a valid token with 2-byte characters (and one ASCII byte when needed) to `bytes` UTF-8 bytes.
  const padTo = (bytes: number): string => {
    const base = tokenOf(validUrl);
    const missing = bytes - base.length;
    return base + 'é'.repeat(Math.floor(missing / 2)) + 'a'.repeat(missing % 2);
  };

  it('accepts 4096 bytes', () => {
    const token = padTo(4096);
    expect(Buffer.byteLength(token)).toBe(4096);
    expect(messageOf(token)).toMatch(/illegal base64 data/);
  });

  it('rejects 4097 bytes', () => {
    const token = padTo(4097);
    expect(Buffer.byteLength(token)).toBe(4097);
    expect(token.length).toBeLessThan(4096);
    expect(messageOf(token)).toBe(format('token is too large'));
  });

  it('counts bytes, not characters', () => {
    const token = tokenOf(validUrl) + '€'.repeat(1300);
    expect(token.length).toBeLessThan(4096);
    expect(messageOf(token)).toBe(format('token is too large'));
  });
});

describe('parseToken edge cases', () => {
  const body = Buffer.from(validUrl, 'utf8').toString('base64url');

  it.each([
    ['padding', `k8s-aws-v1.${body}==`, format(`illegal base64 data at input byte ${body.length}`)],
    ['standard alphabet', `k8s-aws-v1.${body.slice(0, 8)}+${body.slice(9)}`, format('illegal base64 data at input byte 8')],
    ['lower-case prefix', `K8S-aws-v1.${body}`, format('token is missing expected "k8s-aws-v1." prefix')],
    ['semicolon', tokenOf(`${validUrl};x=1`), format('malformed query parameter')],
    ['semicolon key', tokenOf(validUrl.replace('action=', 'act;ion=')), format('malformed query parameter')],
    ['upper-case host', tokenOf(validUrl.replace('sts.amazonaws.com', 'STS.amazonaws.com')), format('unexpected hostname "STS.amazonaws.com" in pre-signed URL')],
    [
      'port in host',
      tokenOf(validUrl.replace('sts.amazonaws.com', 'sts.us-west-2.amazonaws.com:443')),
      format('unexpected hostname "sts.us-west-2.amazonaws.com:443" in pre-signed URL'),
    ],
    [
      'trailing dot',
      tokenOf(validUrl.replace('sts.amazonaws.com', 'sts.us-west-2.amazonaws.com.')),
      format('unexpected hostname "sts.us-west-2.amazonaws.com." in pre-signed URL'),
    ],
    [
      'percent-encoded host',
      tokenOf(validUrl.replace('sts.amazonaws.com', 'sts%2Eamazonaws.com')),
      format('parse "https://sts%2Eamazonaws.com/?REDACTED": invalid URL escape "%2E"'),
    ],
    [
      'space in host',
      tokenOf(validUrl.replace('sts.amazonaws.com', 'sts.us west.amazonaws.com')),
      format('parse "https://sts.us west.amazonaws.com/?REDACTED": invalid character " " in host name'),
    ],
    ['opaque', tokenOf('https:sts.amazonaws.com/?a=b'), format('could not parse region for pre-signed URL , host is empty')],
    ['empty path', tokenOf(validUrl.replace('.com/?', '.com?')), format('unexpected path in pre-signed URL')],
    ['double slash', tokenOf(validUrl.replace('.com/?', '.com//?')), format('unexpected path in pre-signed URL')],
    ['mixed-case duplicate', tokenOf(`${validUrl}&ACTION=GetCallerIdentity`), format('duplicate query parameter found: "ACTION"')],
    ['wrong action case', tokenOf(validUrl.replace('GetCallerIdentity', 'getcalleridentity')), format('unexpected action parameter in pre-signed URL')],
    ['missing expires', tokenOf(validUrl.replace('&x-amz-expires=60', '')), format('invalid X-Amz-Expires parameter in pre-signed URL: 0')],
    ['negative expires', tokenOf(validUrl.replace('x-amz-expires=60', 'x-amz-expires=-1')), format('invalid X-Amz-Expires parameter in pre-signed URL: -1')],
    ['expires 901', tokenOf(validUrl.replace('x-amz-expires=60', 'x-amz-expires=901')), format('invalid X-Amz-Expires parameter in pre-signed URL: 901')],
    ['expires plus', tokenOf(validUrl.replace('x-amz-expires=60', 'x-amz-expires=+60')), format('invalid X-Amz-Expires parameter in pre-signed URL: 0')],
    [
      'expires overflow',
      tokenOf(validUrl.replace('x-amz-expires=60', 'x-amz-expires=99999999999999999999')),
      format('invalid X-Amz-Expires parameter in pre-signed URL: 9223372036854775807'),
    ],
    ['missing date', tokenOf(validUrl.replace(`&x-amz-date=${nowParam}`, '')), format('X-Amz-Date parameter must be present in pre-signed URL')],
    [
      'missing signed header',
      tokenOf(validUrl.replace('x-amz-signedheaders=x-k8s-aws-id', 'x-amz-signedheaders=host')),
      format('client did not sign the x-k8s-aws-id header in the pre-signed URL'),
    ],
    ['non-ASCII key', tokenOf(`${validUrl}&caf%C3%A9=1`), format('non-whitelisted query parameter "café"')],
    ['invalid UTF-8 key', tokenOf(`${validUrl}&a%FF=1`), format('non-whitelisted query parameter "a\\xff"')],
  ])('rejects %s', (_name, token, message) => {
    expect(messageOf(token)).toBe(message);
  });

  it.each([
    ['line breaks in base64', `k8s-aws-v1.${body.slice(0, 10)}\r\n${body.slice(10, 40)}\n${body.slice(40)}`],
    ['expires plus escaped', tokenOf(validUrl.replace('x-amz-expires=60', 'x-amz-expires=%2B60'))],
    ['expires 0', tokenOf(validUrl.replace('x-amz-expires=60', 'x-amz-expires=0'))],
    ['expires 900', tokenOf(validUrl.replace('x-amz-expires=60', 'x-amz-expires=900'))],
    ['userinfo', tokenOf(validUrl.replace('https://', 'https://evil.com@'))],
    ['upper-case scheme', tokenOf(validUrl.replace('https://', 'HTTPS://'))],
    ['fragment', tokenOf(`${validUrl}#fragment`)],
    ['signed headers in upper case', tokenOf(validUrl.replace('signedheaders=x-k8s-aws-id', 'signedheaders=host%3BX-K8S-AWS-ID'))],
    // Go lower-cases U+212A (Kelvin sign) to k, so this key is allowed.
    ['Kelvin sign in a key', tokenOf(`${validUrl}&x-amz-security-to%E2%84%AAen=t`)],
    ['future date', tokenOf(validUrl.replace(nowParam, '20991216T102030Z'))],
  ])('accepts %s', (_name, token) => {
    expect(messageOf(token)).toBe('');
  });

});

describe('parseToken expiry', () => {
  const dated = (date: string): string => tokenOf(validUrl.replace(nowParam, date));
  const at = (iso: string): Partial<ParseTokenOptions> => ({ now: new Date(iso) });

  it('accepts exactly 15 minutes', () => {
    expect(messageOf(dated('20191216T100530Z'), at('2019-12-16T10:20:30.000Z'))).toBe('');
  });

  it('rejects one millisecond later', () => {
    expect(messageOf(dated('20191216T100530Z'), at('2019-12-16T10:20:30.001Z'))).toBe(
      format('X-Amz-Date parameter is expired (15 minute expiration) 2019-12-16 10:05:30 +0000 UTC'),
    );
  });

  it('counts a fractional second', () => {
    expect(messageOf(dated('20191216T100530.5Z'), at('2019-12-16T10:20:30.500Z'))).toBe('');
  });

  it('prints the fraction when expired', () => {
    expect(messageOf(dated('20191216T100530.5Z'), at('2019-12-16T10:20:30.501Z'))).toBe(
      format('X-Amz-Date parameter is expired (15 minute expiration) 2019-12-16 10:05:30.5 +0000 UTC'),
    );
  });
});
