import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import {
  CacheFormatError,
  formatCacheFile,
  formatRfc3339NanoLocal,
  parseCacheFile,
  parseRfc3339,
  type CacheEntries,
  type CachedCredential,
} from './cacheYaml.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

const credential: CachedCredential = {
  accessKeyId: 'ASIAEXAMPLE',
  secretAccessKey: '4KD5cntGcVmLWRdF5wvNRuzNL5Qxmp6OKVY6Fz/Q',
  sessionToken: 'IQoJb3JpZ2luX2VjE+/=',
  source: 'SSOProvider',
  canExpire: true,
  expires: new Date('2026-12-04T19:31:00.250Z'),
  accountId: '012345678901',
};

function entries(cluster: string, profile: string, role: string, value: CachedCredential): CacheEntries {
  return new Map([[cluster, new Map([[profile, new Map([[role, value]])]])]]);
}

describe('parseCacheFile', () => {
  it('reads a file as aws-iam-authenticator writes it', () => {
    const text =
      'clusters:\n  prod:\n    default:\n      arn:aws:iam::111122223333:role/admin:\n' +
      '        accesskeyid: ASIAEXAMPLE\n        secretaccesskey: abc/def+ghi\n        sessiontoken: tok\n' +
      '        source: SharedConfigCredentials\n        canexpire: true\n' +
      '        expires: 2026-12-04T11:31:00.123456789-08:00\n        accountid: ""\n';
    const entry = parseCacheFile(text).get('prod')?.get('default')?.get('arn:aws:iam::111122223333:role/admin');
    expect(entry?.secretAccessKey).toBe('abc/def+ghi');
    expect(entry?.canExpire).toBe(true);
    expect(entry?.expires?.toISOString()).toBe('2026-12-04T19:31:00.123Z');
    expect(entry?.accountId).toBe('');
  });

  it.each([
    ['yes', true],
    ['on', true],
    ['True', true],
    ['no', false],
    ['false', false],
  ])('reads canexpire %s as YAML 1.1 does', (text, expected) => {
    const parsed = parseCacheFile(`clusters:\n  c:\n    p:\n      r:\n        canexpire: ${text}\n`);
    expect(parsed.get('c')?.get('p')?.get('r')?.canExpire).toBe(expected);
  });

  it('reads the zero time as no expiry', () => {
    const parsed = parseCacheFile('clusters:\n  c:\n    p:\n      r:\n        expires: 0001-01-01T00:00:00Z\n');
    expect(parsed.get('c')?.get('p')?.get('r')?.expires).toBeUndefined();
  });

  it('rejects a malformed time', () => {
    expect(() => parseCacheFile('clusters:\n  c:\n    p:\n      r:\n        expires: tomorrow\n')).toThrow(CacheFormatError);
  });

  it('reads an empty clusters mapping', () => {
    expect(parseCacheFile('clusters: {}\n').size).toBe(0);
  });
});

describe('formatCacheFile', () => {
  it('round-trips an entry', () => {
    const parsed = parseCacheFile(formatCacheFile(entries('prod', 'default', 'arn:aws:iam::1:role/x', credential)));
    expect(parsed.get('prod')?.get('default')?.get('arn:aws:iam::1:role/x')).toEqual(credential);
  });

  it.each(['', 'yes', 'NO', '~', 'null', '123', '1e3', '2026-01-01', 'a b', 'x: y', '#c', 'end:', 'ünï'])(
    'keeps %j a string for YAML 1.1 and 1.2 readers',
    (value) => {
      const text = formatCacheFile(entries(value, value, value, { ...credential, accountId: value, source: value }));
      const v11 = parse(text, { version: '1.1' }) as { clusters: Record<string, Record<string, Record<string, { accountid: unknown }>>> };
      const v12 = parse(text) as typeof v11;
      expect(v11.clusters[value]?.[value]?.[value]?.accountid).toBe(value);
      expect(v12.clusters[value]?.[value]?.[value]?.accountid).toBe(value);
    },
  );

  it('sorts keys', () => {
    const value: CacheEntries = new Map([
      ['b', new Map([['p', new Map([['r', credential]])]])],
      ['a', new Map([['p', new Map([['r', credential]])]])],
    ]);
    const text = formatCacheFile(value);
    expect(text.indexOf('  a:')).toBeLessThan(text.indexOf('  b:'));
  });

  it('writes a missing expiry as the Go zero time', () => {
    const text = formatCacheFile(entries('c', 'p', 'r', { ...credential, canExpire: false, expires: undefined }));
    expect(text).toContain('        expires: 0001-01-01T00:00:00Z\n');
  });

  it('writes an empty file as an empty mapping', () => {
    expect(formatCacheFile(new Map())).toBe('clusters: {}\n');
  });
});

describe('formatRfc3339NanoLocal', () => {
  it.each([
    ['UTC', '2026-12-04T19:31:00.25Z'],
    ['America/Los_Angeles', '2026-12-04T11:31:00.25-08:00'],
    ['Asia/Kolkata', '2026-12-05T01:01:00.25+05:30'],
  ])('formats in zone %s', (zone, expected) => {
    vi.stubEnv('TZ', zone);
    expect(formatRfc3339NanoLocal(new Date('2026-12-04T19:31:00.250Z'))).toBe(expected);
  });

  it('drops a zero fraction', () => {
    vi.stubEnv('TZ', 'UTC');
    expect(formatRfc3339NanoLocal(new Date('2026-12-04T19:31:00Z'))).toBe('2026-12-04T19:31:00Z');
  });
});

describe('parseRfc3339', () => {
  it.each([
    ['2026-12-04T19:31:00Z', '2026-12-04T19:31:00.000Z'],
    ['2026-12-04T11:31:00.999999999-08:00', '2026-12-04T19:31:00.999Z'],
    ['2026-12-04 19:31:00Z', '2026-12-04T19:31:00.000Z'],
  ])('parses %s', (text, iso) => {
    expect(parseRfc3339(text)?.toISOString()).toBe(iso);
  });

  it('keeps years below 100', () => {
    expect(parseRfc3339('0050-01-01T00:00:00Z')?.getUTCFullYear()).toBe(50);
  });

  it.each(['2026-12-04', 'now', '2026-13-45T99:00:00'])('rejects %s', (text) => {
    expect(parseRfc3339(text)).toBeUndefined();
  });
});
