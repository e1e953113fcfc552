/**
 * Property-based fuzzing of the token decoder, the Go URL and query parsers and parseToken.
 *
 * Each property runs KUBEIAM_FUZZ_RUNS inputs (default 20 000, so `npm test` stays fast). With 8
 * properties, this command runs 2 000 000 inputs:
 *
 *   KUBEIAM_FUZZ_RUNS=250000 npx vitest run test/hardening/fuzz-token.test.ts
 *
 * It took 57 s on a 2-core container with Node 20 (the default run takes about 5 s there).
 *
 * Set KUBEIAM_FUZZ_SEED to replay the seed a failure reports.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeRawUrlBase64,
  encodeRawUrlBase64,
  GoQueryError,
  GoUrlError,
  HostCache,
  parseGoQuery,
  parseGoUrl,
  parseToken,
  presignGetCallerIdentity,
  TOKEN_PREFIX,
  TOKEN_VALIDITY_MS,
  TokenError,
  verifyStsHost,
  type ParsedToken,
  type QueryParameter,
} from '../../src/token/index.js';
import { CLUSTER_ID, NOW, NOW_PARAM, tokenOf, tokenOfBytes, urlOf, VALID_PARAMETERS, VALID_QUERY } from './tokens.js';

const RUNS = Number(process.env['KUBEIAM_FUZZ_RUNS'] ?? 20_000);
const SEED = process.env['KUBEIAM_FUZZ_SEED'] === undefined ? undefined : Number(process.env['KUBEIAM_FUZZ_SEED']);
const PARAMETERS: fc.Parameters<unknown> = SEED === undefined ? { numRuns: RUNS } : { numRuns: RUNS, seed: SEED };

// The slowest property took 0.05 ms an input on that container; 5 ms leaves room for slow machines.
const TIMEOUT_MS = Math.max(30_000, RUNS * 5);

/** One input may take this long; a super-linear path on a 4 KiB token would take far longer. */
const MAX_INPUT_MS = 250;

const OPTIONS = { partition: 'aws', region: '', now: NOW } as const;

// What an accepted host may look like for partition aws and no server region.
const AWS_STS_HOST = /^(sts|sts-fips)\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.(amazonaws\.com|api\.aws)$|^sts\.amazonaws\.com$/;

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Runs `check` and fails when it takes longer than MAX_INPUT_MS. */
function bounded<T>(check: () => T): T {
  const start = performance.now();
  const result = check();
  const elapsed = performance.now() - start;
  if (elapsed > MAX_INPUT_MS) throw new Error(`one input took ${elapsed.toFixed(0)} ms`);
  return result;
}

/** Runs parseToken and returns the result, or undefined for a TokenError. Any other error escapes. */
function parseOrReject(token: string, hostCache?: HostCache): ParsedToken | undefined {
  try {
    return bounded(() => parseToken(token, { ...OPTIONS, hostCache }));
  } catch (error) {
    if (error instanceof TokenError) return undefined;
    throw error;
  }
}

/** Checks what every accepted token must satisfy, independently of the checks that accepted it. */
function expectSafe(parsed: ParsedToken): void {
  expect(parsed.host).toMatch(AWS_STS_HOST);
  expect(() => verifyStsHost(parsed.host, { partition: 'aws', region: '' })).not.toThrow();
  expect(parsed.requestTarget.startsWith('/?')).toBe(true);
  expect(parsed.requestTarget).not.toMatch(/[\x00-\x1f\x7f#]/);

  // The URL the verifier would request parses back to the same host, path and query.
  const resent = parseGoUrl(`https://${parsed.host}${parsed.requestTarget}`);
  expect(resent.host).toBe(parsed.host);
  expect(resent.path).toBe('/');
  expect(resent.rawQuery).toBe(parsed.rawQuery);

  expect(parsed.query.get('action')).toBe('GetCallerIdentity');
  expect(NOW.getTime()).toBeLessThanOrEqual(parsed.date.epochMs + TOKEN_VALIDITY_MS);
}

/** Counts accepted inputs, so a property whose generator never produces one can fail. */
class Tally {
  accepted = 0;
  total = 0;

  record(parsed: ParsedToken | undefined): void {
    this.total++;
    if (parsed === undefined) return;
    this.accepted++;
    expectSafe(parsed);
  }
}

// Characters that mean something to a URL, base64 or query parser, plus some look-alikes.
const SPECIAL_CHARS = [
  ':', '/', '?', '#', '@', '%', '.', '[', ']', '\\', ';', '&', '=', '+', '-', '_', ' ', '~', '"', '<',
  '\r', '\n', '\t', '\u0000', '\u007f', '\u0085', '\u3002', '\uff0e', '\uff61', 'é', '\u0130', '\u212a',
];

const URL_FRAGMENTS = [
  'https://', 'HTTPS://', 'http://', 'https:', '//', 'sts.amazonaws.com', 'sts.us-east-1.amazonaws.com',
  'sts-fips.us-west-2.api.aws', '169.254.169.254', 'localhost', 'evil.example.com', ':443', '%2F', '%2e', '%25',
  '%zz', '%', '%00', '%FF', 'xn--', 'Action=GetCallerIdentity', 'X-Amz-Date=', NOW_PARAM, 'X-Amz-Expires=60',
  'X-Amz-SignedHeaders=x-k8s-aws-id', '&', '?', '#', '@',
];

/** One character of a byte string (0–255), biased to characters that parsers treat specially. */
const byteChar: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SPECIAL_CHARS.filter((char) => char.charCodeAt(0) < 256)) },
  { weight: 4, arbitrary: fc.constantFrom(...BASE64URL) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 255 }).map((code) => String.fromCharCode(code)) },
);

/** One piece of URL text: a character or a meaningful fragment. */
const urlPiece: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SPECIAL_CHARS) },
  { weight: 3, arbitrary: fc.constantFrom(...BASE64URL) },
  { weight: 2, arbitrary: fc.constantFrom(...URL_FRAGMENTS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) },
);

const urlText = fc.array(urlPiece, { maxLength: 60 }).map((pieces) => pieces.join(''));

const byteString = (maxLength: number): fc.Arbitrary<string> => fc.string({ unit: byteChar, maxLength });

const HOSTS = [
  'sts.amazonaws.com', 'sts.us-east-1.amazonaws.com', 'sts.eu-west-1.amazonaws.com', 'sts-fips.us-east-1.amazonaws.com',
  'sts.us-west-2.api.aws', 'sts.cn-north-1.amazonaws.com.cn', 'sts.amazonaws.com:443', 'STS.AMAZONAWS.COM',
  'sts.amazonaws.com.', '169.254.169.254', '[::1]', 'localhost', 'evil.example.com', 'user@sts.amazonaws.com',
  'sts.amazonaws.com@evil.example.com', 'sts\u3002amazonaws.com', '', 'sts.us-east-1.amazonaws.com.evil.com',
];

const DATES = [NOW_PARAM, '20260115T114500Z', '20260115T114459Z', '20991231T235959Z', '20260230T120000Z', '20260115T120000.5Z', ''];
const EXPIRES = ['60', '0', '900', '901', '-1', '+60', '%2B60', '1e3', ''];

/** A query made of the valid parameters, some dropped, re-cased, changed or joined by extras. */
const queryText: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(fc.constant([...VALID_PARAMETERS]), fc.subarray([...VALID_PARAMETERS])),
    fc.array(fc.tuple(fc.nat(8), fc.constantFrom('lower', 'upper', 'same')), { maxLength: 2 }),
    fc.constantFrom(...DATES),
    fc.constantFrom(...EXPIRES),
    fc.array(fc.tuple(urlText, urlText), { maxLength: 2 }),
    fc.shuffledSubarray(['&', '&&', ';'], { minLength: 1, maxLength: 1 }),
  )
  .map(([parameters, recasings, date, expires, extras, [separator]]) => {
    const pairs = parameters.map(([key, value]) => {
      if (key === 'X-Amz-Date') return [key, date] as const;
      if (key === 'X-Amz-Expires') return [key, expires] as const;
      return [key, value] as const;
    });
    const recased = pairs.map(([key, value], index) => {
      const mode = recasings.find(([target]) => target === index)?.[1] ?? 'same';
      if (mode === 'lower') return `${key.toLowerCase()}=${value}`;
      if (mode === 'upper') return `${key.toUpperCase()}=${value}`;
      return `${key}=${value}`;
    });
    return [...recased, ...extras.map(([key, value]) => `${key}=${value}`)].join(separator === ';' ? '&' : separator);
  });

/** A URL built from plausible parts, so a share of the inputs passes every check. */
const structuredUrl: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof({ weight: 4, arbitrary: fc.constant('https://') }, fc.constantFrom('HTTPS://', 'http://', 'https:', '//', 'https:///')),
    fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...HOSTS) }, { weight: 1, arbitrary: urlText }),
    fc.oneof({ weight: 4, arbitrary: fc.constant('/') }, fc.constantFrom('', '//', '/%2F', '/.', '/?')),
    fc.oneof({ weight: 1, arbitrary: fc.constant(VALID_QUERY) }, { weight: 1, arbitrary: queryText }),
    fc.option(urlText, { nil: undefined }),
  )
  .map(([start, host, path, query, fragment]) => `${start}${host}${path}?${query}${fragment === undefined ? '' : `#${fragment}`}`);

/** Valid tokens to mutate: one per host variant, presigned like a real client or built by hand. */
async function validTokens(): Promise<string[]> {
  const credentials = { accessKeyId: 'ASIAFUZZEXAMPLE00000', secretAccessKey: 'b'.repeat(40), sessionToken: 'FwoGZXIvYXdzEFuzzSessionToken' };
  const presigned = await Promise.all([
    presignGetCallerIdentity({ credentials, region: 'us-east-1', clusterId: CLUSTER_ID, now: NOW }),
    presignGetCallerIdentity({ credentials, region: 'aws-global', clusterId: CLUSTER_ID, now: NOW }),
    presignGetCallerIdentity({ credentials, region: 'eu-west-1', clusterId: CLUSTER_ID, now: NOW, fips: true }),
    presignGetCallerIdentity({ credentials, region: 'ap-south-1', clusterId: CLUSTER_ID, now: NOW, dualStack: true }),
  ]);
  return [...presigned.map((entry) => entry.token), tokenOf(urlOf()), tokenOf(urlOf({ host: 'sts.us-west-2.amazonaws.com' }))];
}

type Mutation =
  | { readonly kind: 'replace'; readonly at: number; readonly text: string }
  | { readonly kind: 'insert'; readonly at: number; readonly text: string }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  | { readonly kind: 'truncate'; readonly at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), text: urlPiece }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: urlPiece }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

/** Applies a mutation at a position taken modulo the text length. */
function mutate(text: string, change: Mutation): string {
  const at = text.length === 0 ? 0 : change.at % text.length;
  switch (change.kind) {
    case 'replace':
      return text.slice(0, at) + change.text + text.slice(at + 1);
    case 'insert':
      return text.slice(0, at) + change.text + text.slice(at);
    case 'delete':
      return text.slice(0, at) + text.slice(at + change.length);
    case 'truncate':
      return text.slice(0, at);
  }
}

/** Decodes a token body the trusted way, for mutating the URL inside a valid token. */
function urlOfToken(token: string): string {
  return Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url').toString('latin1');
}

/** Decodes base64url as Go does, written apart from the decoder under test. The first illegal byte wins. */
function modelDecode(input: string): { ok: true; bytes: Buffer } | { ok: false; offset: number } {
  for (let index = 0; index < input.length; index++) {
    const char = input[index] ?? '';
    if (!BASE64URL.includes(char) && char !== '\r' && char !== '\n') return { ok: false, offset: index };
  }
  const symbols = input.replace(/[\r\n]/g, '');
  if (symbols.length % 4 === 1) return { ok: false, offset: -1 };
  return { ok: true, bytes: Buffer.from(symbols, 'base64url') };
}

/** Parses a query as Go's url.ParseQuery does, written apart from parseGoQuery with regular expressions. */
function modelQuery(raw: string): QueryParameter[] | 'error' {
  const byKey = new Map<string, string[]>();
  let failed = false;
  for (const pair of raw.split('&')) {
    if (pair.includes(';')) failed = true;
    if (pair === '' || pair.includes(';')) continue;
    const equals = pair.indexOf('=');
    const key = modelUnescape(equals < 0 ? pair : pair.slice(0, equals));
    const value = modelUnescape(equals < 0 ? '' : pair.slice(equals + 1));
    if (key === undefined || value === undefined) {
      failed = true;
      continue;
    }
    byKey.set(key, [...(byKey.get(key) ?? []), value]);
  }
  return failed ? 'error' : [...byKey].map(([key, values]) => ({ key, values }));
}

function modelUnescape(text: string): string | undefined {
  if (/%(?![0-9A-Fa-f]{2})/.test(text)) return undefined;
  return text.replace(/%([0-9A-Fa-f]{2})|\+/g, (_match, hex: string | undefined) =>
    hex === undefined ? ' ' : String.fromCharCode(parseInt(hex, 16)),
  );
}

describe('fuzz base64url decoder', () => {
  it(
    'round trip',
    () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 3100 }), (bytes) => {
          const decoded = bounded(() => decodeRawUrlBase64(Buffer.from(encodeRawUrlBase64(bytes), 'latin1')));
          expect(decoded.ok).toBe(true);
          if (decoded.ok) expect(Buffer.from(decoded.bytes).equals(Buffer.from(bytes))).toBe(true);
        }),
        PARAMETERS,
      );
    },
    TIMEOUT_MS,
  );

  it(
    'arbitrary input matches model',
    () => {
      const symbol = fc.oneof(
        { weight: 12, arbitrary: fc.constantFrom(...BASE64URL) },
        { weight: 1, arbitrary: fc.constantFrom('\r', '\n', '=', '+', '/', ' ', '.', '\u0000', '\u00ff') },
      );
      fc.assert(
        fc.property(fc.string({ unit: symbol, maxLength: 200 }), (input) => {
          const actual = bounded(() => decodeRawUrlBase64(Buffer.from(input, 'latin1')));
          const expected = modelDecode(input);

          expect(actual.ok).toBe(expected.ok);
          if (actual.ok && expected.ok) expect(Buffer.from(actual.bytes).equals(expected.bytes)).toBe(true);
          if (!actual.ok && !expected.ok && expected.offset >= 0) expect(actual.offset).toBe(expected.offset);
          if (!actual.ok) expect(actual.offset).toBeLessThan(input.length);
        }),
        PARAMETERS,
      );
    },
    TIMEOUT_MS,
  );
});

describe('fuzz Go URL parsers', () => {
  it(
    'parseGoUrl throws only GoUrlError',
    () => {
      fc.assert(
        fc.property(fc.oneof(byteString(80), urlText.map((text) => Buffer.from(text, 'utf8').toString('latin1'))), (raw) => {
          let url;
          try {
            url = bounded(() => parseGoUrl(raw));
          } catch (error) {
            if (error instanceof GoUrlError) return;
            throw error;
          }

          expect(url.scheme).toMatch(/^([a-z][a-z0-9+.-]*)?$/);
          expect(url.host).not.toMatch(/[/?#\x00-\x1f\x7f]/);
          expect(url.rawQuery).not.toMatch(/[#\x00-\x1f\x7f]/);
          if (url.host !== '' && !url.host.includes('%')) {
            expect(parseGoUrl(`https://${url.host}/?${url.rawQuery}`).host).toBe(url.host);
          }
        }),
        PARAMETERS,
      );
    },
    TIMEOUT_MS,
  );

  it(
    'parseGoQuery matches model',
    () => {
      const queryChar = fc.constantFrom('&', '=', ';', '%', '+', 'a', 'B', '0', 'f', 'G', ' ', '\u00e9', '2', 'F');
      fc.assert(
        fc.property(fc.oneof(fc.string({ unit: queryChar, maxLength: 40 }), byteString(60)), (raw) => {
          const expected = modelQuery(raw);
          let actual: QueryParameter[] | 'error';
          try {
            actual = bounded(() => parseGoQuery(raw));
          } catch (error) {
            if (!(error instanceof GoQueryError)) throw error;
            actual = 'error';
          }
          expect(actual).toEqual(expected);
        }),
        PARAMETERS,
      );
    },
    TIMEOUT_MS,
  );
});

describe('fuzz parseToken', () => {
  it(
    'arbitrary strings',
    () => {
      const tally = new Tally();
      const body = fc.string({ unit: fc.constantFrom(...BASE64URL, '\r', '\n', '=', '.'), maxLength: 300 });
      const utf16 = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 300 });
      const nearLimit = fc
        .tuple(fc.integer({ min: 4080, max: 4110 }), fc.constantFrom('A', '\n', 'é', '€', '😀'))
        .map(([bytes, filler]) => TOKEN_PREFIX + 'A'.repeat(bytes - TOKEN_PREFIX.length - Buffer.byteLength(filler)) + filler);
      const tokens = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), utf16, nearLimit, body.map((text) => TOKEN_PREFIX + text));
      fc.assert(
        fc.property(tokens, (token) => {
          tally.record(parseOrReject(token));
        }),
        PARAMETERS,
      );
      expect(tally.total).toBe(RUNS);
    },
    TIMEOUT_MS,
  );

  it(
    'structured URLs',
    () => {
      const tally = new Tally();
      const hostCache = new HostCache(16);
      fc.assert(
        fc.property(structuredUrl, fc.boolean(), (url, asBytes) => {
          const token = asBytes ? tokenOfBytes(Buffer.from(url, 'latin1')) : tokenOf(url);
          tally.record(parseOrReject(token, hostCache));
        }),
        PARAMETERS,
      );
      expect(tally.accepted).toBeGreaterThan(RUNS / 100);
    },
    TIMEOUT_MS,
  );

  it(
    'mutated token text',
    async () => {
      const tokens = await validTokens();
      const tally = new Tally();
      fc.assert(
        fc.property(fc.constantFrom(...tokens), fc.array(mutation, { minLength: 1, maxLength: 3 }), (token, changes) => {
          const mutated = changes.reduce(mutate, token);
          tally.record(parseOrReject(mutated));
        }),
        PARAMETERS,
      );
      expect(tally.accepted).toBeGreaterThan(RUNS / 100);
    },
    TIMEOUT_MS,
  );

  it(
    'mutated URLs re-encoded',
    async () => {
      const urls = (await validTokens()).map(urlOfToken);
      const tally = new Tally();
      const hostCache = new HostCache(16);
      fc.assert(
        fc.property(fc.constantFrom(...urls), fc.array(mutation, { minLength: 1, maxLength: 3 }), (url, changes) => {
          const mutated = changes.reduce(mutate, url);
          tally.record(parseOrReject(tokenOfBytes(Buffer.from(mutated, 'utf8')), hostCache));
        }),
        PARAMETERS,
      );
      expect(tally.accepted).toBeGreaterThan(RUNS / 100);
    },
    TIMEOUT_MS,
  );
});
