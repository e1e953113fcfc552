import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CacheError,
  defaultCacheFilePath,
  openCredentialFileCache,
  type CacheWarning,
  type CredentialFileCacheOptions,
  type ProvidedCredentials,
} from './cache.js';
import { formatRfc3339NanoLocal, parseCacheFile } from './cacheYaml.js';

// The filecache cases of aws-iam-authenticator 0.7.18 (pkg/filecache), adapted where the Go test
// exercises flock: this cache reads without a lock and writes under an O_EXCL lock file.

const NOW = new Date('2026-12-04T19:31:00Z');
const SIX_HOURS_MS = 6 * 60 * 60 * 1000;

let dir: string;
let path: string;
let warnings: CacheWarning[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubeiam-filecache-'));
  path = join(dir, 'cache', 'credentials.yaml');
  warnings = [];
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  vi.unstubAllEnvs();
});

function stubProvider(credentials: ProvidedCredentials) {
  return vi.fn(async () => credentials);
}

const expiring: ProvidedCredentials = {
  accessKeyId: 'AKID',
  secretAccessKey: 'SECRET',
  sessionToken: 'TOKEN',
  source: 'stubProvider',
  expiration: new Date(NOW.getTime() + SIX_HOURS_MS),
};

function options(overrides: Partial<CredentialFileCacheOptions> = {}): CredentialFileCacheOptions {
  return {
    path,
    clusterId: 'CLUSTER',
    profile: 'PROFILE',
    roleArn: 'ARN',
    provider: stubProvider(expiring),
    clock: () => NOW,
    onWarning: (warning) => warnings.push(warning),
    ...overrides,
  };
}

function writeCache(content: string, mode = 0o600): void {
  mkdirSync(join(dir, 'cache'), { recursive: true, mode: 0o700 });
  writeFileSync(path, content, { mode });
  chmodSync(path, mode);
}

function openError(): CacheError {
  try {
    openCredentialFileCache(options());
  } catch (error) {
    if (error instanceof CacheError) return error;
    throw error;
  }
  throw new Error('openCredentialFileCache did not throw');
}

describe('defaultCacheFilePath', () => {
  it('defaults under the home directory', () => {
    expect(defaultCacheFilePath({}, '/home/someone')).toBe('/home/someone/.kube/cache/aws-iam-authenticator/credentials.yaml');
  });

  it('takes AWS_IAM_AUTHENTICATOR_CACHE_FILE', () => {
    expect(defaultCacheFilePath({ AWS_IAM_AUTHENTICATOR_CACHE_FILE: 'special.yaml' }, '/home/someone')).toBe('special.yaml');
  });

  it('ignores an empty override', () => {
    expect(defaultCacheFilePath({ AWS_IAM_AUTHENTICATOR_CACHE_FILE: '' }, '/h')).toBe('/h/.kube/cache/aws-iam-authenticator/credentials.yaml');
  });
});

describe('openCredentialFileCache', () => {
  it('opens without a file and warns', () => {
    const cache = openCredentialFileCache(options());
    expect(cache.cached).toBeUndefined();
    expect(warnings).toEqual([{ code: 'CACHE_FILE_MISSING', path, message: `Cache file ${path} does not exist.` }]);
  });

  it('creates the directory with mode 0700', () => {
    openCredentialFileCache(options());
    expect(statSync(join(dir, 'cache')).mode & 0o777).toBe(0o700);
  });

  it.each([0o777, 0o640, 0o604, 0o660])('rejects a file with mode %o', (mode) => {
    writeCache('', mode);
    const error = openError();
    expect(error.code).toBe('CACHE_NOT_PRIVATE');
    expect(error.message).toBe(`cache file ${path} is not private`);
  });

  it('reports a file it cannot read', () => {
    // A directory in place of the file fails the read as a lock or permission error does in Go.
    mkdirSync(path, { recursive: true, mode: 0o700 });
    const error = openError();
    expect(error.code).toBe('CACHE_READ_FAILED');
    expect(error.message).toMatch(new RegExp(`^unable to read cache file ${path}: EISDIR`));
  });

  it('reports invalid YAML', () => {
    writeCache('invalid: yaml: file');
    const error = openError();
    expect(error.code).toBe('CACHE_PARSE_FAILED');
    // NOTE: the YAML part of the message differs from Go's yaml.v2 ("mapping values are not allowed in this context").
    expect(error.message).toMatch(new RegExp(`^unable to parse file ${path}: yaml: `));
  });

  it('reports a cluster entry that is not a mapping', () => {
    writeCache('clusters:\n  CLUSTER: [1, 2]\n');
    expect(openError().message).toBe(`unable to parse file ${path}: yaml: clusters.CLUSTER is not a mapping`);
  });

  it('accepts an empty file', () => {
    writeCache('');
    const cache = openCredentialFileCache(options());
    expect(cache.cached).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it('finds nothing for another profile', () => {
    writeCache('clusters:\n  CLUSTER:\n    OTHER:\n      ARN:\n        accesskeyid: ABC\n        secretaccesskey: DEF\n');
    expect(openCredentialFileCache(options()).cached).toBeUndefined();
  });

  it('reads a matching entry', () => {
    const expires = new Date(NOW.getTime() + SIX_HOURS_MS);
    writeCache(
      `clusters:\n  CLUSTER:\n    PROFILE:\n      ARN:\n        accesskeyid: ABC\n        secretaccesskey: DEF\n        sessiontoken: GHI\n        source: JKL\n        expires: ${formatRfc3339NanoLocal(expires)}\n`,
    );
    const cache = openCredentialFileCache(options());
    expect(cache.cached).toMatchObject({ accessKeyId: 'ABC', secretAccessKey: 'DEF', sessionToken: 'GHI', source: 'JKL' });
    expect(cache.isExpired()).toBe(false);
    expect(cache.expiresAt()).toEqual(expires);
  });
});

describe('CredentialFileCache.retrieve', () => {
  it('returns non-expiring credentials without writing', async () => {
    const provider = stubProvider({ accessKeyId: 'AKID', secretAccessKey: 'SECRET', source: 'stubProvider' });
    const cache = openCredentialFileCache(options({ provider }));
    const credentials = await cache.retrieve();
    expect(credentials.accessKeyId).toBe('AKID');
    expect(existsSync(path)).toBe(false);
    expect(warnings.map((warning) => warning.message)).toContain(
      "Unable to cache credential: credential doesn't support expiration",
    );
  });

  it('returns the credentials when the lock stays held', async () => {
    const cache = openCredentialFileCache(options({ lock: { timeoutMs: 0 } }));
    writeFileSync(`${path}.lock`, '1\n');
    const credentials = await cache.retrieve();
    expect(credentials.accessKeyId).toBe('AKID');
    expect(existsSync(path)).toBe(false);
    expect(warnings.at(-1)).toMatchObject({ code: 'CACHE_WRITE_FAILED' });
    expect(warnings.at(-1)?.detail).toContain('is held by another process');
  });

  it('takes over a stale lock', async () => {
    const cache = openCredentialFileCache(options());
    writeFileSync(`${path}.lock`, '1\n');
    const old = new Date(Date.now() - 60 * 1000);
    utimesSync(`${path}.lock`, old, old);
    await cache.retrieve();
    expect(existsSync(path)).toBe(true);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('writes expiring credentials in the reference layout', async () => {
    const cache = openCredentialFileCache(options());
    const credentials = await cache.retrieve();
    expect(credentials).toEqual(expiring);
    expect(readFileSync(path, 'utf8')).toBe(
      'clusters:\n  CLUSTER:\n    PROFILE:\n      ARN:\n' +
        '        accesskeyid: AKID\n        secretaccesskey: SECRET\n        sessiontoken: TOKEN\n' +
        `        source: stubProvider\n        canexpire: true\n        expires: ${formatRfc3339NanoLocal(expiring.expiration as Date)}\n` +
        '        accountid: ""\n',
    );
  });

  it('writes the file 0600 and removes the lock', async () => {
    await openCredentialFileCache(options()).retrieve();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('returns a cached entry without calling the provider', async () => {
    const expires = formatRfc3339NanoLocal(new Date(NOW.getTime() + SIX_HOURS_MS));
    writeCache(
      'clusters:\n  CLUSTER:\n    PROFILE:\n      ARN:\n        credential: {}\n' +
        `        accesskeyid: ABC\n        secretaccesskey: DEF\n        sessiontoken: GHI\n        source: JKL\n        canexpire: true\n        expires: ${expires}\n`,
    );
    const provider = stubProvider(expiring);
    const credentials = await openCredentialFileCache(options({ provider })).retrieve();
    expect(provider).not.toHaveBeenCalled();
    expect(credentials).toMatchObject({ accessKeyId: 'ABC', secretAccessKey: 'DEF', sessionToken: 'GHI' });
  });

  it('refreshes an expired entry', async () => {
    const expired = formatRfc3339NanoLocal(new Date(NOW.getTime() - 1000));
    writeCache(
      `clusters:\n  CLUSTER:\n    PROFILE:\n      ARN:\n        accesskeyid: OLD\n        secretaccesskey: OLD\n        canexpire: true\n        expires: ${expired}\n`,
    );
    const provider = stubProvider(expiring);
    const cache = openCredentialFileCache(options({ provider }));
    expect(cache.isExpired()).toBe(true);
    const credentials = await cache.retrieve();
    expect(provider).toHaveBeenCalledOnce();
    expect(credentials.accessKeyId).toBe('AKID');
    expect(parseCacheFile(readFileSync(path, 'utf8')).get('CLUSTER')?.get('PROFILE')?.get('ARN')?.accessKeyId).toBe('AKID');
  });

  it('never expires an entry without canexpire', () => {
    const past = formatRfc3339NanoLocal(new Date(NOW.getTime() - SIX_HOURS_MS));
    writeCache(`clusters:\n  CLUSTER:\n    PROFILE:\n      ARN:\n        accesskeyid: A\n        secretaccesskey: B\n        expires: ${past}\n`);
    expect(openCredentialFileCache(options()).isExpired()).toBe(false);
  });

  it('calls the provider for an entry without keys', async () => {
    writeCache('clusters:\n  CLUSTER:\n    PROFILE:\n      ARN:\n        accesskeyid: ABC\n');
    const provider = stubProvider(expiring);
    await openCredentialFileCache(options({ provider })).retrieve();
    expect(provider).toHaveBeenCalledOnce();
  });

  it('keeps entries another process wrote after opening', async () => {
    const cache = openCredentialFileCache(options());
    writeCache('clusters:\n  OTHER:\n    default:\n      "":\n        accesskeyid: X\n        secretaccesskey: Y\n');
    await cache.retrieve();
    const entries = parseCacheFile(readFileSync(path, 'utf8'));
    expect(entries.get('OTHER')?.get('default')?.get('')?.accessKeyId).toBe('X');
    expect(entries.get('CLUSTER')?.get('PROFILE')?.get('ARN')?.accessKeyId).toBe('AKID');
  });

  it('loses no entry when two writers race', async () => {
    const first = openCredentialFileCache(options({ roleArn: 'first' }));
    const second = openCredentialFileCache(options({ roleArn: 'second', lock: { retryMs: 5 } }));
    await Promise.all([first.retrieve(), second.retrieve()]);
    const roles = parseCacheFile(readFileSync(path, 'utf8')).get('CLUSTER')?.get('PROFILE');
    expect([...(roles?.keys() ?? [])].sort()).toEqual(['first', 'second']);
  });
});
