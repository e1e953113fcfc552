import { describe, expect, it } from 'vitest';
import { StsError } from './errors.js';
import {
  canonicalHeaderValue,
  canonicalQuery,
  canonicalUri,
  sha256Hex,
  signingKey,
} from './sigv4-canonical.js';
import { formatAmzDate, parseAmzDate, verifySigV4, type SigningCredentials, type SigV4Request } from './sigv4.js';
import { FORM_CONTENT_TYPE, signWithSmithy, toSigV4Request, withHeader, type WireRequest } from './testkit.js';

const LONG_TERM = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const TEMPORARY = {
  accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
  sessionToken: 'FwoGZXIvYXdzEXAMPLE+token/with=padding',
  expiration: new Date('2026-12-04T20:31:00Z'),
};
const SIGNED_AT = new Date('2026-12-04T19:31:00Z');
const HOST = 'sts.us-east-1.amazonaws.com';
const GET_CALLER_IDENTITY = { Action: 'GetCallerIdentity', Version: '2011-06-15' };

function lookupFrom(...known: SigningCredentials[]) {
  return (accessKeyId: string): SigningCredentials | undefined => known.find((c) => c.accessKeyId === accessKeyId);
}

function verify(request: SigV4Request, now = SIGNED_AT, ...known: SigningCredentials[]) {
  const credentials = known.length > 0 ? known : [LONG_TERM, TEMPORARY];
  return verifySigV4(request, { lookup: lookupFrom(...credentials), now });
}

function presignedGet(credentials = LONG_TERM as SigningCredentials, date = SIGNED_AT): Promise<WireRequest> {
  return signWithSmithy(
    { host: HOST, query: GET_CALLER_IDENTITY, headers: { 'x-k8s-aws-id': 'demo' } },
    { credentials, region: 'us-east-1', date, presign: true },
  );
}

function headerSignedPost(credentials = LONG_TERM as SigningCredentials, date = SIGNED_AT): Promise<WireRequest> {
  return signWithSmithy(
    {
      method: 'POST',
      host: HOST,
      headers: { 'content-type': FORM_CONTENT_TYPE },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    },
    { credentials, region: 'us-east-1', date },
  );
}

function rejection(run: () => unknown): StsError {
  try {
    run();
  } catch (error) {
    if (error instanceof StsError) return error;
    throw error;
  }
  throw new Error('expected an StsError, but verification passed');
}

/** Replaces one query parameter's raw value in the target. */
function withQueryValue(wire: WireRequest, name: string, rawValue: string | undefined): WireRequest {
  const [path, query = ''] = wire.target.split('?');
  const pairs = query.split('&').filter((pair) => !pair.startsWith(`${name}=`));
  if (rawValue !== undefined) pairs.push(`${name}=${rawValue}`);
  return { ...wire, target: `${path}?${pairs.join('&')}` };
}

function queryValue(wire: WireRequest, name: string): string {
  const pair = wire.target.split('?')[1]?.split('&').find((p) => p.startsWith(`${name}=`));
  return decodeURIComponent(pair?.slice(name.length + 1) ?? '');
}

describe('canonical parts', () => {
  it('canonicalQuery sorts by name then value and re-encodes', () => {
    const pairs: Array<[string, string]> = [
      ['b', 'x y'],
      ['a', '2'],
      ['a', '1'],
      ['c', 'a+b/c~d*'],
    ];
    expect(canonicalQuery(pairs)).toBe('a=1&a=2&b=x%20y&c=a%2Bb%2Fc~d%2A');
  });

  it('canonicalQuery encodes UTF-8 bytes in upper-case hex', () => {
    expect(canonicalQuery([['name', 'é']])).toBe('name=%C3%A9');
  });

  it('canonicalHeaderValue trims and collapses whitespace', () => {
    expect(canonicalHeaderValue(['  a   b\t c  ', 'd'])).toBe('a b c,d');
  });

  it.each([
    ['/', '/'],
    ['', '/'],
    ['/a%20b', '/a%2520b'],
    ['/a/./b/../c/', '/a/c/'],
    ['//a//b', '/a/b'],
  ])('canonicalUri %s', (path, expected) => {
    expect(canonicalUri(path)).toBe(expected);
  });

  it('parseAmzDate reads the basic format', () => {
    expect(parseAmzDate('20261204T193100Z').toISOString()).toBe('2026-12-04T19:31:00.000Z');
  });

  it.each(['20261304T193100Z', '20260230T000000Z', '20261204T193100', '2026-12-04T19:31:00Z', '20261204T246000Z'])(
    'parseAmzDate rejects %s',
    (text) => {
      expect(rejection(() => parseAmzDate(text)).code).toBe('IncompleteSignature');
    },
  );

  it('formatAmzDate drops separators and milliseconds', () => {
    expect(formatAmzDate(new Date('2026-12-04T19:31:00.123Z'))).toBe('20261204T193100Z');
  });
});

describe('AWS documentation example', () => {
  // The IAM ListUsers GET request that the AWS SigV4 documentation signs as its worked example.
  const request: SigV4Request = {
    method: 'GET',
    path: '/',
    query: [
      ['Action', 'ListUsers'],
      ['Version', '2010-05-08'],
    ],
    headers: [
      ['Host', 'iam.amazonaws.com'],
      ['Content-Type', 'application/x-www-form-urlencoded; charset=utf-8'],
      ['X-Amz-Date', '20150830T123600Z'],
      [
        'Authorization',
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, ' +
          'SignedHeaders=content-type;host;x-amz-date, ' +
          'Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
      ],
    ],
    body: new Uint8Array(),
  };
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

  it('derives the documented signing key', () => {
    const key = signingKey(credentials.secretAccessKey, { date: '20150830', region: 'us-east-1', service: 'iam' });
    expect(key.toString('hex')).toBe('c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9');
  });

  it('verifies the documented signature', () => {
    const verified = verifySigV4(request, {
      lookup: lookupFrom(credentials),
      now: new Date('2015-08-30T12:36:00Z'),
      service: 'iam',
    });
    expect(verified.mode).toBe('header');
  });

  it('sha256Hex of the empty body', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

describe('verifySigV4 accepts', () => {
  it('presigned GET with long-term key', async () => {
    const verified = verify(toSigV4Request(await presignedGet()));
    expect(verified).toMatchObject({ mode: 'query', accessKeyId: LONG_TERM.accessKeyId, region: 'us-east-1' });
    expect(verified.signedAt).toEqual(SIGNED_AT);
    expect(verified.signedHeaders).toEqual(['host', 'x-k8s-aws-id']);
  });

  it('presigned GET with session token', async () => {
    const wire = await presignedGet(TEMPORARY);
    expect(queryValue(wire, 'X-Amz-Security-Token')).toBe(TEMPORARY.sessionToken);
    expect(verify(toSigV4Request(wire)).accessKeyId).toBe(TEMPORARY.accessKeyId);
  });

  it('header-signed POST with long-term key', async () => {
    const wire = await headerSignedPost();
    const contentHash = wire.headers.find(([name]) => name === 'x-amz-content-sha256')?.[1];
    expect(contentHash).toBe(sha256Hex(wire.body));
    expect(verify(toSigV4Request(wire)).mode).toBe('header');
  });

  it('header-signed POST with session token', async () => {
    const wire = await headerSignedPost(TEMPORARY);
    expect(wire.headers.some(([name]) => name === 'x-amz-security-token')).toBe(true);
    expect(verify(toSigV4Request(wire)).accessKeyId).toBe(TEMPORARY.accessKeyId);
  });

  it('presigned GET with parameters in another order', async () => {
    const wire = await presignedGet(TEMPORARY);
    const [path, query = ''] = wire.target.split('?');
    const reversed = { ...wire, target: `${path}?${query.split('&').reverse().join('&')}` };
    expect(verify(toSigV4Request(reversed)).mode).toBe('query');
  });

  it('request signed exactly 15 minutes ago', async () => {
    const now = new Date(SIGNED_AT.getTime() + 15 * 60 * 1000);
    expect(verify(toSigV4Request(await presignedGet()), now).mode).toBe('query');
  });

  it('header value with extra whitespace', async () => {
    const wire = await presignedGet();
    expect(verify(toSigV4Request(withHeader(wire, 'x-k8s-aws-id', '   demo  '))).mode).toBe('query');
  });
});

describe('verifySigV4 rejects', () => {
  const tampering: Array<[string, (wire: WireRequest) => WireRequest, string, RegExp?]> = [
    ['signed header value', (w) => withHeader(w, 'x-k8s-aws-id', 'other'), 'SignatureDoesNotMatch'],
    ['signed header removed', (w) => withHeader(w, 'x-k8s-aws-id', undefined), 'SignatureDoesNotMatch'],
    ['host', (w) => withHeader(w, 'host', 'sts.us-west-2.amazonaws.com'), 'SignatureDoesNotMatch'],
    ['query value', (w) => withQueryValue(w, 'Action', 'AssumeRole'), 'SignatureDoesNotMatch'],
    ['added query parameter', (w) => withQueryValue(w, 'Extra', '1'), 'SignatureDoesNotMatch'],
    ['X-Amz-Expires', (w) => withQueryValue(w, 'X-Amz-Expires', '900'), 'SignatureDoesNotMatch'],
    ['X-Amz-Date second', (w) => withQueryValue(w, 'X-Amz-Date', '20261204T193101Z'), 'SignatureDoesNotMatch'],
    ['X-Amz-Date day', (w) => withQueryValue(w, 'X-Amz-Date', '20261205T193100Z'), 'SignatureDoesNotMatch', /Date in Credential scope/],
    [
      'scope region',
      (w) => withQueryValue(w, 'X-Amz-Credential', 'AKIAIOSFODNN7EXAMPLE%2F20261204%2Fus-west-2%2Fsts%2Faws4_request'),
      'SignatureDoesNotMatch',
    ],
    [
      'scope region unknown',
      (w) => withQueryValue(w, 'X-Amz-Credential', 'AKIAIOSFODNN7EXAMPLE%2F20261204%2Fmars-1%2Fsts%2Faws4_request'),
      'SignatureDoesNotMatch',
      /valid region/,
    ],
    [
      'scope service',
      (w) => withQueryValue(w, 'X-Amz-Credential', 'AKIAIOSFODNN7EXAMPLE%2F20261204%2Fus-east-1%2Fs3%2Faws4_request'),
      'SignatureDoesNotMatch',
      /correct service/,
    ],
    [
      'scope terminator',
      (w) => withQueryValue(w, 'X-Amz-Credential', 'AKIAIOSFODNN7EXAMPLE%2F20261204%2Fus-east-1%2Fsts%2Faws5_request'),
      'SignatureDoesNotMatch',
      /valid terminator/,
    ],
    [
      'credential with four parts',
      (w) => withQueryValue(w, 'X-Amz-Credential', 'AKIAIOSFODNN7EXAMPLE%2F20261204%2Fus-east-1%2Fsts'),
      'IncompleteSignature',
    ],
    [
      'unknown access key',
      (w) => withQueryValue(w, 'X-Amz-Credential', 'AKIAUNKNOWNKEY000000%2F20261204%2Fus-east-1%2Fsts%2Faws4_request'),
      'InvalidClientTokenId',
    ],
    ['signature', (w) => withQueryValue(w, 'X-Amz-Signature', '0'.repeat(64)), 'SignatureDoesNotMatch'],
    ['missing signature', (w) => withQueryValue(w, 'X-Amz-Signature', undefined), 'IncompleteSignature'],
    ['algorithm', (w) => withQueryValue(w, 'X-Amz-Algorithm', 'AWS4-HMAC-SHA512'), 'IncompleteSignature'],
    ['host not signed', (w) => withQueryValue(w, 'X-Amz-SignedHeaders', 'x-k8s-aws-id'), 'IncompleteSignature', /'Host'/],
    ['session token for long-term key', (w) => withQueryValue(w, 'X-Amz-Security-Token', 'token'), 'InvalidClientTokenId'],
    ['path', (w) => ({ ...w, target: w.target.replace(/^\//, '/other') }), 'SignatureDoesNotMatch'],
    ['method', (w) => ({ ...w, method: 'POST' }), 'SignatureDoesNotMatch'],
    ['both auth mechanisms', (w) => withHeader(w, 'Authorization', 'AWS4-HMAC-SHA256 Credential=x'), 'IncompleteSignature'],
  ];

  it.each(tampering)('presigned GET with changed %s', async (_name, tamper, code, message) => {
    const request = toSigV4Request(tamper(expectPresigned(await presignedGet())));
    const error = rejection(() => verify(request));
    expect(error.code).toBe(code);
    if (message !== undefined) expect(error.message).toMatch(message);
  });

  it('presigned GET verified with another secret', async () => {
    const other = { ...LONG_TERM, secretAccessKey: 'x'.repeat(40) };
    const request = toSigV4Request(await presignedGet());
    const error = rejection(() => verify(request, SIGNED_AT, other));
    expect(error.code).toBe('SignatureDoesNotMatch');
    expect(error.message).toMatch(/^The request signature we calculated does not match/);
  });

  it('presigned GET after 15 minutes', async () => {
    const now = new Date(SIGNED_AT.getTime() + (15 * 60 + 1) * 1000);
    const request = toSigV4Request(await presignedGet());
    const error = rejection(() => verify(request, now));
    expect(error.code).toBe('SignatureDoesNotMatch');
    expect(error.message).toBe(
      'Signature expired: 20261204T193100Z is now earlier than 20261204T193101Z (20261204T194601Z - 15 min.)',
    );
  });

  it('header-signed POST more than 15 minutes ahead', async () => {
    const now = new Date(SIGNED_AT.getTime() - (15 * 60 + 1) * 1000);
    const request = toSigV4Request(await headerSignedPost());
    const error = rejection(() => verify(request, now));
    expect(error.code).toBe('SignatureDoesNotMatch');
    expect(error.message).toMatch(/^Signature not yet current: 20261204T193100Z is still later than/);
  });

  it('header-signed POST with changed body', async () => {
    const wire = await headerSignedPost();
    const error = rejection(() => verify(toSigV4Request({ ...wire, body: 'Action=AssumeRole&Version=2011-06-15' })));
    expect(error.code).toBe('SignatureDoesNotMatch');
  });

  it('header-signed POST with UNSIGNED-PAYLOAD', async () => {
    const wire = await signWithSmithy(
      {
        method: 'POST',
        host: HOST,
        headers: { 'content-type': FORM_CONTENT_TYPE, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
        body: 'Action=GetCallerIdentity&Version=2011-06-15',
      },
      { credentials: LONG_TERM, region: 'us-east-1', date: SIGNED_AT },
    );
    const request = toSigV4Request(wire);
    expect(rejection(() => verify(request)).code).toBe('SignatureDoesNotMatch');
  });

  it('header-signed POST with changed Authorization signature', async () => {
    const wire = await headerSignedPost();
    const authorization = wire.headers.find(([name]) => name === 'authorization')?.[1] ?? '';
    const changed = authorization.replace(/Signature=[0-9a-f]{64}/, `Signature=${'a'.repeat(64)}`);
    expect(rejection(() => verify(toSigV4Request(withHeader(wire, 'authorization', changed)))).code).toBe(
      'SignatureDoesNotMatch',
    );
  });

  it('header-signed POST without X-Amz-Date', async () => {
    const wire = withHeader(await headerSignedPost(), 'x-amz-date', undefined);
    expect(rejection(() => verify(toSigV4Request(wire))).code).toBe('IncompleteSignature');
  });

  it('header-signed POST with Authorization lacking Signature', async () => {
    const wire = await headerSignedPost();
    const authorization = wire.headers.find(([name]) => name === 'authorization')?.[1] ?? '';
    const changed = authorization.replace(/, Signature=[0-9a-f]{64}/, '');
    const error = rejection(() => verify(toSigV4Request(withHeader(wire, 'authorization', changed))));
    expect(error.code).toBe('IncompleteSignature');
    expect(error.message).toMatch(/requires 'Signature' parameter/);
  });

  it('session token missing for temporary key', async () => {
    const wire = withQueryValue(await presignedGet(TEMPORARY), 'X-Amz-Security-Token', undefined);
    expect(rejection(() => verify(toSigV4Request(wire))).code).toBe('InvalidClientTokenId');
  });

  it('session token wrong for temporary key', async () => {
    const wire = withHeader(await headerSignedPost(TEMPORARY), 'x-amz-security-token', 'other-token');
    const error = rejection(() => verify(toSigV4Request(wire)));
    expect(error.code).toBe('InvalidClientTokenId');
    expect(error.message).toBe('The security token included in the request is invalid.');
  });

  it('expired temporary credentials', async () => {
    const signedAt = new Date(TEMPORARY.expiration.getTime() + 60 * 1000);
    const request = toSigV4Request(await presignedGet(TEMPORARY, signedAt));
    const error = rejection(() => verify(request, signedAt));
    expect(error.code).toBe('ExpiredToken');
    expect(error.message).toBe('The security token included in the request is expired');
  });

  it('request without authentication', () => {
    const request: SigV4Request = { method: 'GET', path: '/', query: [['Action', 'GetCallerIdentity']], headers: [], body: new Uint8Array() };
    expect(rejection(() => verify(request)).code).toBe('MissingAuthenticationToken');
  });

  it('secret never appears in an error message', async () => {
    const wire = withHeader(await headerSignedPost(TEMPORARY), 'x-amz-security-token', 'other-token');
    const messages = [
      rejection(() => verify(toSigV4Request(wire))).message,
      rejection(() => verify(toSigV4Request(withQueryValue(wire, 'X', '1')))).message,
    ];
    for (const message of messages) {
      expect(message).not.toContain(TEMPORARY.secretAccessKey);
      expect(message).not.toContain(TEMPORARY.sessionToken);
    }
  });
});

/** Guards the tamper table: it must start from a request that verifies. */
function expectPresigned(wire: WireRequest): WireRequest {
  expect(verify(toSigV4Request(wire)).mode).toBe('query');
  return wire;
}
