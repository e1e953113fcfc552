import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { launcherCachePath } from './launcherCache.js';
import { launcherExec, launcherScript } from './launcherScript.js';

// The launcher runs under /bin/sh, which is dash on Debian. The fallback command is a stub that
// records its arguments, so each case shows whether the shell printed the entry or fell back.
const CREDENTIAL = '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{},"status":{"expirationTimestamp":"2026-12-04T19:45:00Z","token":"k8s-aws-v1.cached"}}';
const EXEC_INFO = '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{"interactive":false}}';
const TOKEN_ARGS = ['--cluster-name', 'demo', '--region', 'us-east-1'];
const ARGV = launcherExec('unused', TOKEN_ARGS).args.slice(4);

let home: string;
let stub: string;
let env: Record<string, string>;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'kubeiam-launcher-'));
  stub = join(home, 'fallback');
  writeFileSync(stub, '#!/bin/sh\nprintf "fallback %s\\n" "$*"\n', { mode: 0o755 });
  env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    KUBERNETES_EXEC_INFO: EXEC_INFO,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  };
});

afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

function cacheDir(): string {
  return join(home, '.cache', 'kubeiam');
}

function entryPath(): string {
  const path = launcherCachePath(cacheDir(), ARGV, env);
  if (path === undefined) throw new Error('no launcher path for the test arguments');
  return path;
}

/** Writes an entry for ARGV and env: `usableIn` and `expiresIn` are seconds from now. */
function writeEntry(usableIn: number, expiresIn = usableIn, body = `${CREDENTIAL}\n`): string {
  mkdirSync(cacheDir(), { recursive: true, mode: 0o700 });
  const now = Math.floor(Date.now() / 1000);
  const path = entryPath();
  writeFileSync(path, `kubeiam-launcher 1 ${now + usableIn} ${now + expiresIn}\n${body}`, { mode: 0o600 });
  return path;
}

function runLauncher(extraEnv: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const { command, args } = launcherExec(stub, TOKEN_ARGS);
  return spawnSync(command, args, { env: { ...env, ...extraEnv }, encoding: 'utf8' });
}

const FALLBACK = `fallback ${ARGV.join(' ')}\n`;

describe('launcher script', () => {
  it('passes dash -n', () => {
    const result = spawnSync('/bin/sh', ['-n', '-c', launcherScript()], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('prints a valid entry without the fallback', () => {
    writeEntry(600);
    const result = runLauncher();
    expect(result.stdout).toBe(`${CREDENTIAL}\n`);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('reads $XDG_CACHE_HOME/kubeiam when absolute', () => {
    const xdg = join(home, 'xdg');
    env.XDG_CACHE_HOME = xdg;
    mkdirSync(join(xdg, 'kubeiam'), { recursive: true, mode: 0o700 });
    const path = launcherCachePath(join(xdg, 'kubeiam'), ARGV, env) ?? '';
    const now = Math.floor(Date.now() / 1000);
    writeFileSync(path, `kubeiam-launcher 1 ${now + 600} ${now + 600}\n${CREDENTIAL}\n`, { mode: 0o600 });
    expect(runLauncher().stdout).toBe(`${CREDENTIAL}\n`);
  });

  it('falls back when the entry is missing', () => {
    expect(runLauncher().stdout).toBe(FALLBACK);
  });

  it.each([
    ['expired', -10, -10],
    ['inside the 60 s margin', 59, 59],
    ['signed by a clock ahead', 600, 900],
  ])('falls back when %s', (_name, usableIn, expiresIn) => {
    writeEntry(usableIn, expiresIn);
    expect(runLauncher().stdout).toBe(FALLBACK);
  });

  it.each(['644', '640', '604', '660'])('falls back for file mode %s', (mode) => {
    chmodSync(writeEntry(600), Number.parseInt(mode, 8));
    expect(runLauncher().stdout).toBe(FALLBACK);
  });

  it('falls back for a directory others can read', () => {
    writeEntry(600);
    chmodSync(cacheDir(), 0o755);
    expect(runLauncher().stdout).toBe(FALLBACK);
  });

  it.runIf(process.getuid?.() === 0)('falls back for a file another user owns', () => {
    chownSync(writeEntry(600), 65534, 65534);
    expect(runLauncher().stdout).toBe(FALLBACK);
  });

  it('falls back for a symlink', () => {
    const target = writeEntry(600);
    const real = `${target}.real`;
    writeFileSync(real, readFileSync(target), { mode: 0o600 });
    rmSync(target);
    symlinkSync(real, target);
    expect(runLauncher().stdout).toBe(FALLBACK);
  });

  it.each([
    ['a truncated credential', `${CREDENTIAL.slice(0, 60)}`],
    ['no final newline', CREDENTIAL],
    ['a second credential line', `${CREDENTIAL}\n${CREDENTIAL}\n`],
    ['trailing bytes', `${CREDENTIAL}\nx`],
    ['no ExecCredential', '{"token":"x"}\n'],
    ['an empty body', ''],
  ])('falls back for %s', (_name, body) => {
    writeEntry(600, 600, body);
    expect(runLauncher().stdout).toBe(FALLBACK);
  });

  it.each([
    ['another format version', 'kubeiam-launcher 2 9999999999 9999999999'],
    ['a leading zero', 'kubeiam-launcher 1 09999999999 9999999999'],
    ['a sign', 'kubeiam-launcher 1 +9999999999 9999999999'],
    ['a missing field', 'kubeiam-launcher 1 9999999999'],
    ['an overlong number', 'kubeiam-launcher 1 99999999999999999999999 9999999999'],
    ['shell syntax', 'kubeiam-launcher 1 $(touch${IFS}pwned) 1'],
  ])('falls back for a header with %s', (_name, header) => {
    mkdirSync(cacheDir(), { recursive: true, mode: 0o700 });
    writeFileSync(entryPath(), `${header}\n${CREDENTIAL}\n`, { mode: 0o600 });
    const result = runLauncher();
    expect(result.stdout).toBe(FALLBACK);
    expect(result.stderr).toBe('');
    expect(existsSync('pwned')).toBe(false);
  });

  it('falls back for a header with one time', () => {
    mkdirSync(cacheDir(), { recursive: true, mode: 0o700 });
    const usable = Math.floor(Date.now() / 1000) + 600;
    writeFileSync(entryPath(), `kubeiam-launcher 1 ${usable}\n${CREDENTIAL}\n`, { mode: 0o600 });
    expect(runLauncher().stdout).toBe(FALLBACK);
  });

  it.each([
    ['another secret key', { AWS_SECRET_ACCESS_KEY: 'other' }],
    ['a session token', { AWS_SESSION_TOKEN: 'session' }],
    ['a profile', { AWS_PROFILE: 'dev' }],
    ['another region variable', { AWS_DEFAULT_REGION: 'eu-west-1' }],
    ['other exec info', { KUBERNETES_EXEC_INFO: EXEC_INFO.replace('v1beta1', 'v1') }],
    ['a newline after the exec info', { KUBERNETES_EXEC_INFO: `${EXEC_INFO}\n` }],
  ])('falls back for %s', (_name, extraEnv) => {
    writeEntry(600);
    expect(runLauncher(extraEnv).stdout).toBe(FALLBACK);
  });

  it('falls back without an absolute HOME', () => {
    writeEntry(600);
    expect(runLauncher({ HOME: 'relative' }).stdout).toBe(FALLBACK);
  });

  it('passes arguments with spaces and quotes intact', () => {
    const { args } = launcherExec(stub, ['--cluster-name', "it's a \"demo\" $HOME"]);
    const result = spawnSync('/bin/sh', args, { env, encoding: 'utf8' });
    expect(result.stdout).toBe(`fallback token --cluster-name it's a "demo" $HOME --exec-cache --launcher-cache\n`);
  });
});

describe('launcher with bin/kubeiam.js', () => {
  const bin = fileURLToPath(new URL('../../bin/kubeiam.js', import.meta.url));
  const bundle = fileURLToPath(new URL('../../dist/bundle/token-fast.cjs', import.meta.url));

  /** Writes a kubeiam command that logs each start, so a test can see whether Node.js ran. */
  function loggingKubeiam(): { command: string; log: string } {
    const log = join(home, 'starts.log');
    const command = join(home, 'kubeiam');
    writeFileSync(command, `#!/bin/sh\necho start >>'${log}'\nexec '${process.execPath}' '${bin}' "$@"\n`, { mode: 0o755 });
    return { command, log };
  }

  function starts(log: string): number {
    return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).length : 0;
  }

  it('prints what kubeiam token printed, without Node.js', () => {
    expect(existsSync(bundle), 'run `npm run build` first').toBe(true);
    const { command, log } = loggingKubeiam();
    const exec = launcherExec(command, TOKEN_ARGS);
    const runEnv = { ...env, AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };

    const first = spawnSync(exec.command, exec.args, { env: runEnv, encoding: 'utf8' });
    const second = spawnSync(exec.command, exec.args, { env: runEnv, encoding: 'utf8' });
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^\{"kind":"ExecCredential",.*"token":"k8s-aws-v1\.[A-Za-z0-9_-]+"\}\}\n$/);
    expect(second.stdout).toBe(first.stdout);
    expect(second.stderr).toBe('');
    expect(starts(log)).toBe(1);
  });

  it('refreshes a damaged entry through kubeiam token', () => {
    const { command, log } = loggingKubeiam();
    const exec = launcherExec(command, TOKEN_ARGS);
    const runEnv = { ...env, AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };
    const first = spawnSync(exec.command, exec.args, { env: runEnv, encoding: 'utf8' });
    const path = launcherCachePath(cacheDir(), ARGV, runEnv) ?? '';
    chmodSync(path, 0o644);

    const second = spawnSync(exec.command, exec.args, { env: runEnv, encoding: 'utf8' });
    const third = spawnSync(exec.command, exec.args, { env: runEnv, encoding: 'utf8' });
    expect(second.stdout).toBe(first.stdout);
    expect(third.stdout).toBe(first.stdout);
    expect(starts(log)).toBe(2);
  });
});
