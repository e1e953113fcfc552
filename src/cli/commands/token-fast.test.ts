import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/cli.js';
import { formatExecCredential } from '../../token/execCredential.js';
import { launcherCachePath } from '../../credentials/launcherCache.js';
import { formatCachedOutput, parseTokenArguments, printCachedToken } from './token-fast.js';

const now = new Date('2026-12-04T19:31:00Z');
const bin = fileURLToPath(new URL('../../../bin/kubeiam.js', import.meta.url));
const bundle = fileURLToPath(new URL('../../../dist/bundle/kubeiam.mjs', import.meta.url));
const fastBundle = fileURLToPath(new URL('../../../dist/bundle/token-fast.cjs', import.meta.url));

let home: string;
let env: Record<string, string>;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'kubeiam-fast-'));
  writeFileSync(join(home, 'empty'), '');
  env = {
    HOME: home,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(home, 'empty'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'empty'),
  };
});

afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

/** Fills the cache through the full command, then returns what the fast path prints for `args`. */
async function fastOutput(args: readonly string[], fillArgs: readonly string[] = args, at = now): Promise<string | undefined> {
  await runCli(['token', ...fillArgs], { env, now });
  let output: string | undefined;
  const hit = printCachedToken(['token', ...args], env, at, (text) => {
    output = text;
  });
  return hit ? output : undefined;
}

describe('parseTokenArguments', () => {
  it.each([
    [['-i', 'demo'], { clusterId: 'demo' }],
    [['-idemo'], { clusterId: 'demo' }],
    [['--cluster-id=demo'], { clusterId: 'demo' }],
    [['--cluster-name', 'a', '--cluster-name', 'b'], { clusterName: 'b' }],
    [['--region', '-x'], { region: '-x' }],
    [['--exec-cache', '--token-only', '--fips', '--dualstack'], { execCache: true, tokenOnly: true, fips: true, dualstack: true }],
    [['-r', 'arn', '-s', 'me', '-e', 'ext', '--forward-session-name'], { role: 'arn', sessionName: 'me', externalId: 'ext', forwardSessionName: true }],
    [['--role-arn', 'arn', '--profile', 'dev', '--cache'], { roleArn: 'arn', profile: 'dev', cache: true }],
    [['--launcher-cache'], { launcherCache: true }],
  ])('parses %j', (args, expected) => {
    expect(parseTokenArguments(args)).toEqual(expected);
  });

  it.each([[['--help']], [['-h']], [['extra']], [['--region']], [['--exec-cache=true']], [['--']], [['--lang', 'zh-CN']]])(
    'leaves %j to commander',
    (args) => {
      expect(parseTokenArguments(args)).toBeUndefined();
    },
  );
});

describe('formatCachedOutput', () => {
  const token = 'k8s-aws-v1.aHR0cHM6Ly9zdHM_-';
  const expiration = new Date('2026-12-04T19:45:00.750Z');

  it.each([
    undefined,
    '',
    '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{"interactive":false}}',
    '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":true}}',
    '{"apiVersion":"client.authentication.k8s.io/v1"}',
    '{"kind":"ExecCredential","spec":{}}',
    '{}',
  ])('matches the full command for %j', (execInfo) => {
    const env = execInfo === undefined ? {} : { KUBERNETES_EXEC_INFO: execInfo };
    const expected = formatExecCredential({ token, expiration, ...(execInfo === undefined ? {} : { execInfo }) });
    expect(formatCachedOutput(token, expiration, false, env)).toBe(expected);
  });

  it.each([
    'not json',
    '[]',
    'null',
    '{"apiVersion":null}',
    '{"APIVERSION":"x"}',
    '{"apiVersion":"a<b"}',
    '{"apiVersion":"v1","spec":{"interactive":"yes"}}',
    '{"apiVersion":"v1","spec":{"cluster":{"server":"https://k8s","config":{}}}}',
    '{"apiVersion":"v1","status":{}}',
  ])('leaves %j to the full command', (execInfo) => {
    expect(formatCachedOutput(token, expiration, false, { KUBERNETES_EXEC_INFO: execInfo })).toBeUndefined();
  });

  // Go's decoder reports a type error of an earlier duplicate key even though a later one is valid,
  // so the full command falls back to v1beta1 where JSON.parse keeps only the last key.
  it.each([
    '{"apiVersion":1,"apiVersion":"client.authentication.k8s.io/v1"}',
    '{"kind":1,"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1"}',
    '{"spec":[],"spec":{},"apiVersion":"client.authentication.k8s.io/v1"}',
    '{"spec":{"interactive":1,"interactive":false},"apiVersion":"client.authentication.k8s.io/v1"}',
  ])('leaves duplicate keys %j to the full command', (execInfo) => {
    expect(formatCachedOutput(token, expiration, false, { KUBERNETES_EXEC_INFO: execInfo })).toBeUndefined();
  });

  it('prints the bare token', () => {
    expect(formatCachedOutput(token, expiration, true, { KUBERNETES_EXEC_INFO: 'not json' })).toBe(`${token}\n`);
  });
});

describe('printCachedToken', () => {
  it('prints what the full command cached', async () => {
    const full = await runCli(['token', '-i', 'demo', '--exec-cache'], { env, now });
    let output = '';
    const hit = printCachedToken(['token', '-i', 'demo', '--exec-cache'], env, now, (text) => {
      output += text;
    });
    expect(hit).toBe(true);
    expect(output).toBe(full.stdout);
  });

  it('prints the bare token with --token-only', async () => {
    const output = await fastOutput(['-i', 'demo', '--exec-cache', '--token-only'], ['-i', 'demo', '--exec-cache']);
    expect(output).toMatch(/^k8s-aws-v1\.[A-Za-z0-9_-]+\n$/);
  });

  it('finds the entry of an explicit --region', async () => {
    delete env.AWS_REGION;
    expect(await fastOutput(['-i', 'demo', '--region', 'eu-west-1', '--exec-cache'])).toBeDefined();
  });

  it('matches FIPS entries', async () => {
    expect(await fastOutput(['-i', 'demo', '--fips', '--exec-cache'], ['-i', 'demo', '--exec-cache'])).toBeUndefined();
    expect(await fastOutput(['-i', 'demo', '--fips', '--exec-cache'])).toBeDefined();
  });

  it.each([
    ['without --exec-cache', ['-i', 'demo']],
    ['with --cache', ['-i', 'demo', '--exec-cache', '--cache']],
    ['with --profile', ['-i', 'demo', '--exec-cache', '--profile', 'dev']],
    ['with --help', ['-i', 'demo', '--exec-cache', '--help']],
    ['for both session options', ['-i', 'demo', '--exec-cache', '-r', 'arn:aws:iam::1:role/x', '-s', 'a', '--forward-session-name']],
  ])('steps aside %s', async (_name, args) => {
    expect(await fastOutput(args, ['-i', 'demo', '--exec-cache'])).toBeUndefined();
  });

  it('steps aside without a region', async () => {
    await runCli(['token', '-i', 'demo', '--exec-cache'], { env, now });
    delete env.AWS_REGION;
    expect(printCachedToken(['token', '-i', 'demo', '--exec-cache'], env, now, () => {})).toBe(false);
  });

  it('steps aside for AWS_PROFILE', async () => {
    await runCli(['token', '-i', 'demo', '--exec-cache'], { env, now });
    env.AWS_PROFILE = 'dev';
    expect(printCachedToken(['token', '-i', 'demo', '--exec-cache'], env, now, () => {})).toBe(false);
  });

  it('steps aside for an invalid endpoint variable', async () => {
    await runCli(['token', '-i', 'demo', '--exec-cache'], { env, now });
    env.AWS_USE_FIPS_ENDPOINT = 'maybe';
    expect(printCachedToken(['token', '-i', 'demo', '--exec-cache'], env, now, () => {})).toBe(false);
  });

  it('misses after the margin', async () => {
    const late = new Date(now.getTime() + 13 * 60 * 1000);
    expect(await fastOutput(['-i', 'demo', '--exec-cache'], ['-i', 'demo', '--exec-cache'], late)).toBeUndefined();
  });

  it('stores the output for the launcher with --launcher-cache', async () => {
    const args = ['token', '-i', 'demo', '--launcher-cache'];
    await runCli(['token', '-i', 'demo', '--exec-cache'], { env, now });
    const dir = join(home, '.cache', 'kubeiam');
    const path = launcherCachePath(dir, args, env) ?? '';
    expect(existsSync(path)).toBe(false);

    let output = '';
    expect(printCachedToken(args, env, now, (text) => (output += text))).toBe(true);
    const [header, credential] = readFileSync(path, 'utf8').split('\n');
    expect(`${credential}\n`).toBe(output);
    expect(header).toMatch(/^kubeiam-launcher 1 \d+ \d+$/);
  });

  it('stores no launcher entry for --token-only', async () => {
    const args = ['token', '-i', 'demo', '--launcher-cache', '--token-only'];
    await runCli(['token', '-i', 'demo', '--exec-cache'], { env, now });
    expect(printCachedToken(args, env, now, () => {})).toBe(true);
    expect(existsSync(launcherCachePath(join(home, '.cache', 'kubeiam'), args, env) ?? '')).toBe(false);
  });

  it('ignores other commands', () => {
    expect(printCachedToken(['verify', '--exec-cache'], env, now, () => {})).toBe(false);
  });
});

describe('bin/kubeiam.js token --exec-cache', () => {
  function runBin(args: readonly string[]) {
    return spawnSync(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
  }

  it('prints the cached token from the built bundle', () => {
    expect(existsSync(bundle), 'run `npm run build` first').toBe(true);
    const first = runBin(['token', '-i', 'demo', '--exec-cache']);
    const second = runBin(['token', '-i', 'demo', '--exec-cache']);
    expect(first.status).toBe(0);
    expect(second.status).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(second.stderr).toBe('');
  });

  it('requires only node:fs, node:os and node:path first', () => {
    const text = readFileSync(fastBundle, 'utf8');
    const requires = [...text.matchAll(/\brequire\("([^"]+)"\)/g)].map((match) => match[1]);
    expect([...new Set(requires)].sort()).toEqual(['node:fs', 'node:os', 'node:path']);
    expect(text).not.toMatch(/\bimport\(/);
  });

  it('falls back to the full command on a miss', () => {
    const result = runBin(['token', '-i', 'other', '--exec-cache', '--token-only']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^k8s-aws-v1\./);
  });

  it('falls back to the full command for help', () => {
    const result = runBin(['token', '--exec-cache', '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('--exec-cache');
  });
});
