import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/*
 * Packs the repository the way `npm publish` would, installs the tarball into an empty folder, and
 * runs the installed bins from there, so a file missing from `files` in package.json fails here.
 * `npm pack --ignore-scripts` packs the dist/ that `npm test` built just before; the dependencies of
 * the install come from the npm registry or the local npm cache (--prefer-offline).
 * NOTE: the install needs the npm registry or a warm npm cache. This file took about 20 s with a
 * warm cache when it was written, most of it in the two demo runs.
 */

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const INSTALL_TIMEOUT_MS = 240_000;

let work = '';
let bin = '';

function sh(command: string, args: readonly string[], options: { cwd: string; env?: Record<string, string> }): SpawnSyncReturns<string> {
  return spawnSync(command, args, {
    cwd: options.cwd,
    encoding: 'utf8',
    timeout: INSTALL_TIMEOUT_MS,
    env: { PATH: process.env.PATH ?? '', HOME: options.env?.HOME ?? work, ...options.env },
  });
}

/** Builds an environment with fake credentials and empty AWS config files of this test. */
function awsEnv(): Record<string, string> {
  const config = join(work, 'aws-config');
  const credentials = join(work, 'aws-credentials');
  writeFileSync(config, '');
  writeFileSync(credentials, '');
  return {
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: config,
    AWS_SHARED_CREDENTIALS_FILE: credentials,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_REGION: 'us-east-1',
  };
}

describe('npm package', () => {
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'kubeiam-pack-'));
    const packed = sh('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], { cwd: REPO, env: { HOME: process.env.HOME ?? work } });
    if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
    const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
    if (tarball === undefined) throw new Error('npm pack wrote no tarball');

    const app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{ "name": "kubeiam-pack-test", "private": true }\n');
    const installed = sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(work, tarball)], { cwd: app, env: { HOME: process.env.HOME ?? work } });
    if (installed.status !== 0) throw new Error(`npm install failed: ${installed.stderr}`);
    bin = join(app, 'node_modules', '.bin');
  }, INSTALL_TIMEOUT_MS * 2);

  it('installs both bins', () => {
    expect(existsSync(join(bin, 'kubeiam'))).toBe(true);
    expect(existsSync(join(bin, 'kubectl-iam'))).toBe(true);
  });

  it('kubeiam --help runs outside the repository', () => {
    const result = sh(join(bin, 'kubeiam'), ['--help'], { cwd: work });

    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: kubeiam');
  });

  it('demo --no-kubectl passes', () => {
    const result = sh(join(bin, 'kubeiam'), ['demo', '--no-kubectl'], { cwd: work });

    expect(result.stdout).toContain('19 passed, 0 failed');
    expect(result.status).toBe(0);
  });

  it('demo with kubectl passes', () => {
    const result = sh(join(bin, 'kubeiam'), ['demo'], { cwd: work });

    expect(result.stdout).toContain('19 passed, 0 failed');
    expect(result.status).toBe(0);
  });

  it('token signs with env credentials', () => {
    const result = sh(join(bin, 'kubeiam'), ['token', '--cluster-name', 'demo', '--region', 'us-east-1'], { cwd: work, env: awsEnv() });
    const credential = JSON.parse(result.stdout) as { kind: string; status: { token: string } };

    expect(result.status).toBe(0);
    expect(credential.kind).toBe('ExecCredential');
    expect(credential.status.token.startsWith('k8s-aws-v1.')).toBe(true);
  });

  it('kubectl iam runs the installed plugin', () => {
    const plugins = join(work, 'plugins');
    mkdirSync(plugins, { recursive: true });
    symlinkSync(join(bin, 'kubectl-iam'), join(plugins, 'kubectl-iam'));
    const env = { PATH: `${plugins}:${process.env.PATH ?? ''}`, KUBECONFIG: join(work, 'no-kubeconfig') };
    const result = sh('kubectl', ['iam', '--help'], { cwd: work, env });

    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: kubeiam');
  });
});
