import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  EXEC_CACHE_MIN_REMAINING_MS,
  execCacheDir,
  execCachePath,
  readExecCache,
  writeExecCache,
  type ExecCacheCredentials,
  type ExecCacheRequest,
} from './execCache.js';

const NOW = new Date('2026-12-04T19:31:00Z');
const EXPIRATION = new Date('2026-12-04T19:45:00Z');
const MINUTE_MS = 60 * 1000;

const request: ExecCacheRequest = {
  clusterId: 'demo',
  region: 'us-east-1',
  roleArn: '',
  sessionName: '',
  externalId: '',
  forwardSessionName: false,
  fips: false,
  dualStack: false,
  profile: '',
};
const credentials: ExecCacheCredentials = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

let root: string;
let dir: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kubeiam-exec-cache-'));
  dir = join(root, 'kubeiam');
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function store(overrides: { credentialsExpiration?: Date } = {}): string {
  return writeExecCache(dir, request, credentials, { token: 'k8s-aws-v1.cached', expiration: EXPIRATION, ...overrides }, NOW);
}

function at(ms: number): Date {
  return new Date(NOW.getTime() + ms);
}

describe('execCacheDir', () => {
  it('uses an absolute XDG_CACHE_HOME', () => {
    expect(execCacheDir({ XDG_CACHE_HOME: '/var/cache/me' }, '/home/me')).toBe('/var/cache/me/kubeiam');
  });

  it('ignores a relative XDG_CACHE_HOME', () => {
    expect(execCacheDir({ XDG_CACHE_HOME: 'cache' }, '/home/me')).toBe('/home/me/.cache/kubeiam');
  });

  it('defaults to ~/.cache/kubeiam', () => {
    expect(execCacheDir({}, '/home/me')).toBe('/home/me/.cache/kubeiam');
  });
});

describe('writeExecCache', () => {
  it('creates a 0700 directory and a 0600 file', () => {
    const path = store();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('stores no secret', () => {
    const text = readFileSync(store(), 'utf8');
    expect(text).not.toContain(credentials.secretAccessKey);
    expect(text).toContain(credentials.accessKeyId);
  });

  it('rejects a directory others can read', () => {
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    expect(() => store()).toThrow(/accessible by other users \(mode 755\)/);
  });

  it('deletes entries older than 15 minutes', () => {
    mkdirSync(dir, { mode: 0o700 });
    const old = join(dir, 'exec-old.json');
    const oldLauncher = join(dir, 'launcher-1-2.txt');
    const fresh = join(dir, 'exec-fresh.json');
    const unrelated = join(dir, 'notes.txt');
    for (const path of [old, oldLauncher, fresh, unrelated]) writeFileSync(path, '{}', { mode: 0o600 });
    const sixteenMinutesAgo = at(-16 * MINUTE_MS);
    utimesSync(old, sixteenMinutesAgo, sixteenMinutesAgo);
    utimesSync(oldLauncher, sixteenMinutesAgo, sixteenMinutesAgo);
    utimesSync(unrelated, sixteenMinutesAgo, sixteenMinutesAgo);
    utimesSync(fresh, NOW, NOW);
    store();
    expect(existsSync(old)).toBe(false);
    expect(existsSync(oldLauncher)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    expect(existsSync(unrelated)).toBe(true);
  });
});

describe('readExecCache', () => {
  it('returns the stored token', () => {
    store();
    const lookup = readExecCache(dir, request, credentials, at(MINUTE_MS));
    expect(lookup).toMatchObject({ status: 'hit', cached: { token: 'k8s-aws-v1.cached', expiration: EXPIRATION } });
  });

  it('misses without a directory', () => {
    expect(readExecCache(dir, request, credentials, NOW).status).toBe('miss');
  });

  it.each([
    ['access key', { accessKeyId: 'AKIAI44QH8DHBEXAMPLE' }],
    ['secret key', { secretAccessKey: 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY' }],
    ['session token', { sessionToken: 'FwoGZXIvYXdzEXAMPLE' }],
  ])('misses for another %s', (_name, change) => {
    store();
    expect(readExecCache(dir, request, { ...credentials, ...change }, NOW).status).toBe('miss');
  });

  it.each([
    ['cluster', { clusterId: 'other' }],
    ['region', { region: 'eu-west-1' }],
    ['role', { roleArn: 'arn:aws:iam::111122223333:role/admin' }],
    ['profile', { profile: 'dev' }],
    ['FIPS', { fips: true }],
    ['dual-stack', { dualStack: true }],
  ])('misses for another %s', (_name, change) => {
    store();
    expect(readExecCache(dir, { ...request, ...change }, credentials, NOW).status).toBe('miss');
  });

  it('ignores session options without a role', () => {
    store();
    const withSession = { ...request, sessionName: 'me', externalId: 'x', forwardSessionName: true };
    expect(readExecCache(dir, withSession, credentials, NOW).status).toBe('hit');
  });

  it('tells session names apart with a role', () => {
    const role = { ...request, roleArn: 'arn:aws:iam::111122223333:role/admin', sessionName: 'alice' };
    writeExecCache(dir, role, credentials, { token: 't', expiration: EXPIRATION }, NOW);
    expect(readExecCache(dir, role, credentials, NOW).status).toBe('hit');
    expect(readExecCache(dir, { ...role, sessionName: 'bob' }, credentials, NOW).status).toBe('miss');
  });

  it('misses once 60 s or less remain', () => {
    store();
    const edge = EXPIRATION.getTime() - EXEC_CACHE_MIN_REMAINING_MS;
    expect(readExecCache(dir, request, credentials, new Date(edge - 1000)).status).toBe('hit');
    expect(readExecCache(dir, request, credentials, new Date(edge)).status).toBe('miss');
  });

  it('respects an earlier credentials expiry', () => {
    store({ credentialsExpiration: at(5 * MINUTE_MS) });
    expect(readExecCache(dir, request, credentials, at(3 * MINUTE_MS)).status).toBe('hit');
    expect(readExecCache(dir, request, credentials, at(4 * MINUTE_MS)).status).toBe('miss');
  });

  it('misses for a token from the future', () => {
    store();
    expect(readExecCache(dir, request, credentials, at(-2 * MINUTE_MS)).status).toBe('miss');
  });

  it.each([0o644, 0o640, 0o604])('refuses a file with mode %o', (mode) => {
    const path = store();
    chmodSync(path, mode);
    expect(readExecCache(dir, request, credentials, NOW)).toEqual({ status: 'not-private', path });
  });

  it.runIf(process.getuid?.() === 0)('refuses a file another user owns', () => {
    const path = store();
    chownSync(path, 65534, 65534);
    expect(readExecCache(dir, request, credentials, NOW)).toEqual({ status: 'not-private', path });
  });

  it.runIf(process.getuid?.() === 0)('refuses a directory another user owns', () => {
    store();
    chownSync(dir, 65534, 65534);
    expect(readExecCache(dir, request, credentials, NOW)).toEqual({ status: 'not-private', path: dir });
  });

  it('returns the credentials expiry as usableUntil', () => {
    const credentialsExpiration = at(5 * MINUTE_MS);
    store({ credentialsExpiration });
    const lookup = readExecCache(dir, request, credentials, NOW);
    expect(lookup).toMatchObject({ status: 'hit', cached: { expiration: EXPIRATION, usableUntil: credentialsExpiration } });
  });

  it('refuses a directory others can enter', () => {
    store();
    chmodSync(dir, 0o711);
    expect(readExecCache(dir, request, credentials, NOW)).toEqual({ status: 'not-private', path: dir });
  });

  it('does not follow a symlink', () => {
    const path = store();
    const target = join(root, 'elsewhere.json');
    writeFileSync(target, readFileSync(path), { mode: 0o600 });
    rmSync(path);
    symlinkSync(target, path);
    expect(readExecCache(dir, request, credentials, NOW).status).toBe('miss');
  });

  it('misses for a malformed file', () => {
    const path = store();
    writeFileSync(path, '{"version":1,', { mode: 0o600 });
    expect(readExecCache(dir, request, credentials, NOW).status).toBe('miss');
  });

  it('misses for a file of another format version', () => {
    const path = store();
    const file = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    writeFileSync(path, JSON.stringify({ ...file, version: 2 }), { mode: 0o600 });
    expect(readExecCache(dir, request, credentials, NOW).status).toBe('miss');
  });

  it('keeps one file per request', () => {
    store();
    store();
    expect(readdirSync(dir)).toEqual([execCachePath(dir, request, credentials).slice(dir.length + 1)]);
  });
});
