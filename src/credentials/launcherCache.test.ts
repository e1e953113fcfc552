import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatLauncherEntry, launcherCachePath, posixCksum, writeLauncherCache, type LauncherEntry } from './launcherCache.js';

const OUTPUT = '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{},"status":{"expirationTimestamp":"2026-12-04T19:45:00Z","token":"k8s-aws-v1.x"}}\n';
const ENTRY: LauncherEntry = {
  output: OUTPUT,
  expiration: new Date('2026-12-04T19:45:00Z'),
  usableUntil: new Date('2026-12-04T19:40:00.900Z'),
};
const ARGS = ['token', '--cluster-name', 'demo', '--region', 'us-east-1', '--exec-cache', '--launcher-cache'];

let dir: string;

beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'kubeiam-launcher-cache-')), 'kubeiam');
});

afterEach(() => {
  rmSync(join(dir, '..'), { recursive: true, force: true });
});

function systemCksum(bytes: Uint8Array): string {
  return spawnSync('cksum', [], { input: bytes, encoding: 'utf8' }).stdout.trim();
}

describe('posixCksum', () => {
  it.each([
    ['empty input', ''],
    ['one byte', 'a'],
    ['a line', 'token\n'],
    ['UTF-8 text', '令牌 ExecCredential\n'],
    ['256 bytes', 'x'.repeat(256)],
    ['70,000 bytes', 'y'.repeat(70_000)],
  ])('matches the cksum command for %s', (_name, text) => {
    const bytes = new TextEncoder().encode(text);
    expect(posixCksum(bytes)).toBe(systemCksum(bytes));
  });
});

describe('launcherCachePath', () => {
  it('names the cksum of the count, arguments and variables', () => {
    const env = { AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'secret' };
    const path = launcherCachePath(dir, ARGS, env) ?? '';
    expect(basename(path)).toMatch(/^launcher-\d+-\d+\.txt$/);
    expect(launcherCachePath(dir, ARGS, { ...env, AWS_SECRET_ACCESS_KEY: 'other' })).not.toBe(path);
    expect(launcherCachePath(dir, [...ARGS, ''], env)).not.toBe(path);
  });

  it('treats unset and empty variables alike', () => {
    expect(launcherCachePath(dir, ARGS, { AWS_PROFILE: '' })).toBe(launcherCachePath(dir, ARGS, {}));
  });

  it.each([
    ['an argument', ['token', '--cluster-name', 'a\nb'], {}],
    ['a variable', ARGS, { AWS_SESSION_TOKEN: 'a\nb' }],
  ])('returns undefined for a newline in %s', (_name, args, env) => {
    expect(launcherCachePath(dir, args, env)).toBeUndefined();
  });

  it('accepts the newline kubectl ends KUBERNETES_EXEC_INFO with', () => {
    const execInfo = '{"kind":"ExecCredential"}';
    const path = launcherCachePath(dir, ARGS, { KUBERNETES_EXEC_INFO: `${execInfo}\n` });
    expect(path).toBeDefined();
    expect(path).not.toBe(launcherCachePath(dir, ARGS, { KUBERNETES_EXEC_INFO: execInfo }));
  });
});

describe('formatLauncherEntry', () => {
  it('writes the header in whole epoch seconds', () => {
    const until = Math.floor(ENTRY.usableUntil.getTime() / 1000);
    const expires = ENTRY.expiration.getTime() / 1000;
    expect(formatLauncherEntry(ENTRY)).toBe(`kubeiam-launcher 1 ${until} ${expires}\n${OUTPUT}`);
  });

  it.each([
    ['a bare token', 'k8s-aws-v1.x\n'],
    ['two lines', `${OUTPUT}${OUTPUT}`],
    ['no final newline', OUTPUT.trimEnd()],
    ['indented JSON', '{\n  "kind": "ExecCredential"\n}\n'],
  ])('rejects %s', (_name, output) => {
    expect(formatLauncherEntry({ ...ENTRY, output })).toBeUndefined();
  });
});

describe('writeLauncherCache', () => {
  const env = { AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'secret' };

  it('creates a 0700 directory and a 0600 file without the secret', () => {
    const path = writeLauncherCache(dir, ARGS, env, ENTRY) ?? '';
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).not.toContain('secret');
  });

  it('keeps an identical private file', () => {
    const path = writeLauncherCache(dir, ARGS, env, ENTRY) ?? '';
    const before = statSync(path).ino;
    writeLauncherCache(dir, ARGS, env, ENTRY);
    expect(statSync(path).ino).toBe(before);
  });

  it('replaces a file others can read', () => {
    const path = writeLauncherCache(dir, ARGS, env, ENTRY) ?? '';
    chmodSync(path, 0o644);
    writeLauncherCache(dir, ARGS, env, ENTRY);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('rejects a directory others can read', () => {
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    chmodSync(dir, 0o755);
    expect(() => writeLauncherCache(dir, ARGS, env, ENTRY)).toThrow(/accessible by other users \(mode 755\)/);
  });

  it('writes nothing for output the launcher cannot print', () => {
    expect(writeLauncherCache(dir, ARGS, env, { ...ENTRY, output: 'k8s-aws-v1.x\n' })).toBeUndefined();
  });
});
