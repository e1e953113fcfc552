import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../test/support/cli.js';
import { IamRegistry, startStsEmulator, type AccessKeyPair, type StsEmulator } from '../../emulator/index.js';
import { parseToken, TokenVerifier } from '../../token/index.js';
import { HostCache } from '../../token/hostAllowList.js';
import { launcherCachePath } from '../../credentials/launcherCache.js';

const env = {
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const now = new Date('2026-12-04T19:31:00Z');

interface CliVector {
  readonly name: string;
  readonly token: string;
}

const vectors = JSON.parse(
  readFileSync(new URL('../../../../shared/vectors/aws-cli-tokens.json', import.meta.url), 'utf8'),
) as CliVector[];

describe('kubeiam token', () => {
  it('prints the same token as the AWS CLI', async () => {
    // The first AWS CLI vector: aws eks get-token --cluster-name demo --region us-east-1 at 19:31:00.
    const result = await runCli(['token', '--cluster-name', 'demo', '--region', 'us-east-1'], { env, now });
    expect(result.code).toBe(0);
    const credential = JSON.parse(result.stdout) as { status: { token: string; expirationTimestamp: string } };
    expect(credential.status.expirationTimestamp).toBe('2026-12-04T19:45:00Z');
    expect(credential.status.token).toContain('k8s-aws-v1.');
    const parsed = parseToken(credential.status.token, { partition: 'aws', region: '', now, hostCache: new HostCache() });
    expect(parsed.host).toBe('sts.us-east-1.amazonaws.com');
    expect(credential.status.token).toBe(vectors.find((vector) => vector.name === 'user-us-east-1')?.token);
  });

  it('matches the ExecCredential layout byte for byte', async () => {
    const result = await runCli(['token', '-i', 'demo', '--region', 'us-east-1'], { env, now });
    expect(result.stdout).toMatch(
      /^\{"kind":"ExecCredential","apiVersion":"client\.authentication\.k8s\.io\/v1beta1","spec":\{\},"status":\{"expirationTimestamp":"2026-12-04T19:45:00Z","token":"k8s-aws-v1\.[A-Za-z0-9_-]+"\}\}\n$/,
    );
  });

  it('echoes the v1 apiVersion from KUBERNETES_EXEC_INFO', async () => {
    const execInfo = JSON.stringify({ kind: 'ExecCredential', apiVersion: 'client.authentication.k8s.io/v1', spec: { interactive: false } });
    const result = await runCli(['token', '-i', 'demo', '--region', 'us-east-1'], { env: { ...env, KUBERNETES_EXEC_INFO: execInfo }, now });
    expect(JSON.parse(result.stdout)).toMatchObject({ apiVersion: 'client.authentication.k8s.io/v1' });
  });

  it('prints a bare token with --token-only', async () => {
    const result = await runCli(['token', '-i', 'demo', '--region', 'us-east-1', '--token-only'], { env, now });
    expect(result.stdout).toMatch(/^k8s-aws-v1\.[A-Za-z0-9_-]+\n$/);
  });

  it('takes the cluster ID from the environment', async () => {
    const result = await runCli(['token', '--region', 'us-east-1', '--token-only'], {
      env: { ...env, KUBERNETES_AWS_AUTHENTICATOR_CLUSTER_ID: 'demo' },
      now,
    });
    expect(result.code).toBe(0);
  });

  it('rejects a missing cluster ID as a usage error', async () => {
    const result = await runCli(['token', '--region', 'us-east-1'], { env, now });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--cluster-name');
  });

  it('rejects both session options', async () => {
    const result = await runCli(
      ['token', '-i', 'demo', '--region', 'us-east-1', '-r', 'arn:aws:iam::111122223333:role/x', '--forward-session-name', '-s', 'me'],
      { env, now },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--forward-session-name');
  });

  it('reports usage errors in Chinese', async () => {
    const result = await runCli(['token', '--region', 'us-east-1'], { env: { ...env, LANG: 'zh_CN.UTF-8' }, now });
    expect(result.stderr).toContain('未指定集群 ID');
  });

  it('never prints the secret key', async () => {
    const result = await runCli(['token', '-i', 'demo', '--region', 'us-east-1'], { env, now });
    expect(result.stdout + result.stderr).not.toContain(env.AWS_SECRET_ACCESS_KEY);
  });
});

/** Decodes a token's presigned URL; test tokens are trusted, so Node's decoder is fine here. */
function presignedUrl(token: string): URL {
  return new URL(Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString('utf8'));
}

async function tokenFor(args: readonly string[], extraEnv: Record<string, string> = {}): Promise<URL> {
  const result = await runCli(['token', '-i', 'demo', '--token-only', ...args], { env: { ...env, ...extraEnv }, now });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return presignedUrl(result.stdout.trim());
}

describe('kubeiam token endpoints', () => {
  it.each([
    [['--region', 'us-east-1'], 'sts.us-east-1.amazonaws.com', 'us-east-1'],
    [['--region', 'us-west-2', '--fips'], 'sts-fips.us-west-2.amazonaws.com', 'us-west-2'],
    [['--region', 'us-west-2', '--dualstack'], 'sts.us-west-2.api.aws', 'us-west-2'],
    [['--region', 'us-west-2', '--fips', '--dualstack'], 'sts-fips.us-west-2.api.aws', 'us-west-2'],
    [['--region', 'us-gov-west-1', '--fips'], 'sts.us-gov-west-1.amazonaws.com', 'us-gov-west-1'],
    [['--region', 'cn-north-1'], 'sts.cn-north-1.amazonaws.com.cn', 'cn-north-1'],
    [['--region', 'aws-global'], 'sts.amazonaws.com', 'us-east-1'],
  ])('%j signs for %s in %s', async (args, host, signingRegion) => {
    const url = await tokenFor(args);
    expect(url.host).toBe(host);
    expect(url.searchParams.get('X-Amz-Credential')).toBe(`AKIAIOSFODNN7EXAMPLE/20261204/${signingRegion}/sts/aws4_request`);
  });

  it.each([
    ['AWS_USE_FIPS_ENDPOINT', 'true', 'sts-fips.eu-west-1.amazonaws.com'],
    ['AWS_USE_FIPS_ENDPOINT', 'TRUE', 'sts-fips.eu-west-1.amazonaws.com'],
    ['AWS_USE_FIPS_ENDPOINT', 'false', 'sts.eu-west-1.amazonaws.com'],
    ['AWS_USE_FIPS_ENDPOINT', '', 'sts.eu-west-1.amazonaws.com'],
    ['AWS_USE_DUALSTACK_ENDPOINT', 'true', 'sts.eu-west-1.api.aws'],
  ])('reads %s=%s', async (name, value, host) => {
    const url = await tokenFor(['--region', 'eu-west-1'], { [name]: value });
    expect(url.host).toBe(host);
  });

  it('lets --fips override AWS_USE_FIPS_ENDPOINT=false', async () => {
    const url = await tokenFor(['--region', 'eu-west-1', '--fips'], { AWS_USE_FIPS_ENDPOINT: 'false' });
    expect(url.host).toBe('sts-fips.eu-west-1.amazonaws.com');
  });

  it('rejects an endpoint variable that is not a boolean', async () => {
    const result = await runCli(['token', '-i', 'demo', '--region', 'us-east-1'], {
      env: { ...env, AWS_USE_DUALSTACK_ENDPOINT: 'yes' },
      now,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'error: invalid value for environment variable AWS_USE_DUALSTACK_ENDPOINT=yes: expected true or false\n',
    );
  });

  it('takes the region from AWS_REGION before AWS_DEFAULT_REGION', async () => {
    const url = await tokenFor([], { AWS_REGION: 'eu-central-1', AWS_DEFAULT_REGION: 'ap-south-1' });
    expect(url.host).toBe('sts.eu-central-1.amazonaws.com');
  });

  it('lets --region override AWS_REGION', async () => {
    const url = await tokenFor(['--region', 'ap-south-1'], { AWS_REGION: 'eu-central-1' });
    expect(url.host).toBe('sts.ap-south-1.amazonaws.com');
  });

  it('rejects a region that is not one DNS label', async () => {
    const result = await runCli(['token', '-i', 'demo', '--region', 'us-east-1.evil.com'], { env, now });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('invalid region "us-east-1.evil.com"');
  });
});

describe('kubeiam token --exec-cache', () => {
  let home: string;

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'kubeiam-token-home-'));
  });

  afterEach(() => {
    rmSync(home, { recursive: true, force: true });
  });

  function runAt(at: Date, args: readonly string[] = [], extraEnv: Record<string, string> = {}) {
    return runCli(['token', '-i', 'demo', '--region', 'us-east-1', '--exec-cache', ...args], {
      env: { ...env, HOME: home, ...extraEnv },
      now: at,
    });
  }

  function cacheFiles(): string[] {
    const dir = join(home, '.cache', 'kubeiam');
    return readdirSync(dir).map((name) => join(dir, name));
  }

  it('prints the cached ExecCredential again', async () => {
    const first = await runAt(now);
    const second = await runAt(new Date(now.getTime() + 5 * 60 * 1000));
    expect(second.stdout).toBe(first.stdout);
    expect(second.stderr).toBe('');
  });

  it('signs a new token when 60 s or less remain', async () => {
    const first = await runAt(now);
    const late = await runAt(new Date(now.getTime() + 13 * 60 * 1000));
    expect(late.stdout).not.toBe(first.stdout);
    expect(JSON.parse(late.stdout)).toMatchObject({ status: { expirationTimestamp: '2026-12-04T19:58:00Z' } });
  });

  it('signs a new token for another access key', async () => {
    const first = await runAt(now);
    const other = await runAt(now, [], {
      AWS_ACCESS_KEY_ID: 'AKIAI44QH8DHBEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
    });
    expect(other.stdout).not.toBe(first.stdout);
    expect(presignedUrl(JSON.parse(other.stdout).status.token).searchParams.get('X-Amz-Credential')).toMatch(/^AKIAI44QH8DHBEXAMPLE\//);
  });

  it('applies KUBERNETES_EXEC_INFO to a cached token', async () => {
    await runAt(now);
    const execInfo = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', spec: {} });
    const cached = await runAt(now, [], { KUBERNETES_EXEC_INFO: execInfo });
    expect(JSON.parse(cached.stdout)).toMatchObject({ apiVersion: 'client.authentication.k8s.io/v1' });
  });

  it('refuses a cache file others can read', async () => {
    const first = await runAt(now);
    const [file] = cacheFiles();
    chmodSync(file ?? '', 0o644);
    const second = await runAt(now);
    expect(second.stdout).not.toBe('');
    expect(second.stderr).toBe(
      `exec credential cache ${file} is accessible by other users, so it is not used; run chmod 700 on the directory and chmod 600 on its files\n`,
    );
    expect(JSON.parse(second.stdout).status.token).toBe(JSON.parse(first.stdout).status.token);
  });

  it('writes nothing without the flag', async () => {
    await runCli(['token', '-i', 'demo', '--region', 'us-east-1'], { env: { ...env, HOME: home }, now });
    expect(existsSync(join(home, '.cache'))).toBe(false);
  });

  it('warns and still prints when the cache cannot be written', async () => {
    writeFileSync(join(home, '.cache'), 'not a directory');
    const result = await runAt(now);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\{"kind":"ExecCredential"/);
    expect(result.stderr).toMatch(/^unable to write the exec credential cache in .*\.cache\/kubeiam: ENOTDIR/);
  });
});

describe('kubeiam token --launcher-cache', () => {
  let home: string;
  const args = ['token', '-i', 'demo', '--region', 'us-east-1', '--launcher-cache'];

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'kubeiam-token-home-'));
  });

  afterEach(() => {
    rmSync(home, { recursive: true, force: true });
  });

  function launcherEntry(runArgs: readonly string[]): string | undefined {
    const path = launcherCachePath(join(home, '.cache', 'kubeiam'), runArgs, { ...env, HOME: home });
    return path !== undefined && existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  }

  it('stores the printed ExecCredential for the launcher', async () => {
    const result = await runCli(args, { env: { ...env, HOME: home }, now });
    const expiresAt = Date.parse('2026-12-04T19:45:00Z') / 1000;
    expect(result.stderr).toBe('');
    expect(launcherEntry(args)).toBe(`kubeiam-launcher 1 ${expiresAt} ${expiresAt}\n${result.stdout}`);
  });

  it('stores the entry again from the exec cache', async () => {
    const first = await runCli(args, { env: { ...env, HOME: home }, now });
    const dir = join(home, '.cache', 'kubeiam');
    const launcherFile = readdirSync(dir).find((name) => name.startsWith('launcher-'));
    rmSync(join(dir, launcherFile ?? 'missing'));
    expect(launcherEntry(args)).toBeUndefined();
    const second = await runCli(args, { env: { ...env, HOME: home }, now: new Date(now.getTime() + 60 * 1000) });
    expect(second.stdout).toBe(first.stdout);
    expect(launcherEntry(args)).toContain(first.stdout);
  });

  it.each([
    ['--token-only', ['--token-only']],
    ['--cache', ['--cache']],
  ])('stores no entry with %s', async (_name, extra) => {
    const runArgs = [...args, ...extra];
    const result = await runCli(runArgs, { env: { ...env, HOME: home, AWS_IAM_AUTHENTICATOR_CACHE_FILE: join(home, 'credentials.yaml') }, now });
    expect(result.code).toBe(0);
    expect(launcherEntry(runArgs)).toBeUndefined();
  });
});

describe('kubeiam token --cache', () => {
  let home: string;
  let cacheFile: string;

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'kubeiam-token-home-'));
    cacheFile = join(home, '.kube', 'cache', 'aws-iam-authenticator', 'credentials.yaml');
  });

  afterEach(() => {
    rmSync(home, { recursive: true, force: true });
  });

  function runCached(extraEnv: Record<string, string> = {}, extraArgs: readonly string[] = []) {
    return runCli(['token', '-i', 'demo', '--region', 'us-east-1', '--token-only', '--cache', ...extraArgs], {
      env: { ...env, HOME: home, ...extraEnv },
      now,
    });
  }

  it('warns that static keys are not cached', async () => {
    const result = await runCached();
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      `Cache file ${cacheFile} does not exist.\nUnable to cache credential: credential doesn't support expiration\n`,
    );
    expect(existsSync(cacheFile)).toBe(false);
  });

  it('signs with the cached credentials', async () => {
    mkdirSync(join(cacheFile, '..'), { recursive: true, mode: 0o700 });
    writeFileSync(
      cacheFile,
      'clusters:\n  demo:\n    default:\n      "":\n        accesskeyid: ASIAI44QH8DHBEXAMPLE\n' +
        '        secretaccesskey: je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY\n        sessiontoken: FwoGZXIvYXdzEXAMPLE\n' +
        '        canexpire: true\n        expires: 2026-12-04T20:31:00Z\n',
      { mode: 0o600 },
    );
    const result = await runCached();
    expect(result.stderr).toBe('');
    const url = presignedUrl(result.stdout.trim());
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^ASIAI44QH8DHBEXAMPLE\//);
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe('FwoGZXIvYXdzEXAMPLE');
  });

  it('reads the file AWS_IAM_AUTHENTICATOR_CACHE_FILE names', async () => {
    const special = join(home, 'special.yaml');
    writeFileSync(
      special,
      'clusters:\n  demo:\n    default:\n      "":\n        accesskeyid: ASIAI44QH8DHBEXAMPLE\n        secretaccesskey: x\n',
      { mode: 0o600 },
    );
    const result = await runCached({ AWS_IAM_AUTHENTICATOR_CACHE_FILE: special });
    expect(presignedUrl(result.stdout.trim()).searchParams.get('X-Amz-Credential')).toMatch(/^ASIAI44QH8DHBEXAMPLE\//);
  });

  it('ignores entries of another role', async () => {
    mkdirSync(join(cacheFile, '..'), { recursive: true, mode: 0o700 });
    writeFileSync(
      cacheFile,
      'clusters:\n  demo:\n    default:\n      arn:aws:iam::111122223333:role/x:\n        accesskeyid: ASIAI44QH8DHBEXAMPLE\n        secretaccesskey: x\n',
      { mode: 0o600 },
    );
    const result = await runCached();
    expect(presignedUrl(result.stdout.trim()).searchParams.get('X-Amz-Credential')).toMatch(/^AKIAIOSFODNN7EXAMPLE\//);
  });

  it('continues without a cache that is not private', async () => {
    mkdirSync(join(cacheFile, '..'), { recursive: true, mode: 0o700 });
    writeFileSync(cacheFile, '', { mode: 0o644 });
    chmodSync(cacheFile, 0o644);
    const result = await runCached();
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(`unable to use cache: cache file ${cacheFile} is not private\n`);
    expect(presignedUrl(result.stdout.trim()).searchParams.get('X-Amz-Credential')).toMatch(/^AKIAIOSFODNN7EXAMPLE\//);
  });

  it('continues without a cache it cannot parse', async () => {
    const special = join(home, 'special.yaml');
    writeFileSync(special, 'invalid: yaml: file', { mode: 0o600 });
    const result = await runCached({ AWS_IAM_AUTHENTICATOR_CACHE_FILE: special });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`^unable to use cache: unable to parse file ${special}: yaml: `));
  });

  it('keys the exec cache by the cached access key', async () => {
    mkdirSync(join(cacheFile, '..'), { recursive: true, mode: 0o700 });
    writeFileSync(
      cacheFile,
      'clusters:\n  demo:\n    default:\n      "":\n        accesskeyid: ASIAI44QH8DHBEXAMPLE\n' +
        '        secretaccesskey: je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY\n        sessiontoken: FwoGZXIvYXdzEXAMPLE\n' +
        '        canexpire: true\n        expires: 2026-12-04T20:31:00Z\n',
      { mode: 0o600 },
    );
    const first = await runCached({}, ['--exec-cache']);
    const second = await runCached({}, ['--exec-cache']);
    expect(second.stdout).toBe(first.stdout);
    const dir = join(home, '.cache', 'kubeiam');
    const [entry] = readdirSync(dir);
    const stored = JSON.parse(readFileSync(join(dir, entry ?? ''), 'utf8')) as { request: { accessKeyId: string } };
    expect(stored.request.accessKeyId).toBe('ASIAI44QH8DHBEXAMPLE');
  });

  it('reports cache problems in Chinese', async () => {
    const result = await runCached({ LANG: 'zh_CN.UTF-8' });
    expect(result.stderr).toContain('缓存文件');
  });
});

describe('kubeiam token with STS', () => {
  const account = '111122223333';
  let registry: IamRegistry;
  let emulator: StsEmulator;
  let user: AccessKeyPair;
  let home: string;
  let stsEnv: Record<string, string>;

  beforeEach(async () => {
    home = mkdtempSync(join(tmpdir(), 'kubeiam-token-sts-'));
    writeFileSync(join(home, 'empty'), '');
    // The AWS SDK reads these from the process environment, whatever the CLI's env holds.
    vi.stubEnv('HOME', home);
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
    vi.stubEnv('AWS_CONFIG_FILE', join(home, 'empty'));
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(home, 'empty'));
    vi.stubEnv('AWS_PROFILE', undefined);

    registry = new IamRegistry();
    registry.createUser({ name: 'alice', accountId: account });
    user = registry.createAccessKey('alice');
    const userArn = `arn:aws:iam::${account}:user/alice`;
    registry.createRole({ name: 'admin', accountId: account, trust: [userArn] });
    registry.createRole({ name: 'partner', accountId: account, trust: [userArn], externalId: 'ext-1234' });
    emulator = await startStsEmulator({ registry });
    stsEnv = {
      HOME: home,
      AWS_ACCESS_KEY_ID: user.accessKeyId,
      AWS_SECRET_ACCESS_KEY: user.secretAccessKey,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_STS: emulator.url,
      AWS_CONFIG_FILE: join(home, 'empty'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'empty'),
    };
  });

  afterEach(async () => {
    await emulator.close();
    vi.unstubAllEnvs();
    rmSync(home, { recursive: true, force: true });
  });

  async function token(args: readonly string[], extraEnv: Record<string, string> = {}) {
    return runCli(['token', '-i', 'demo', '--token-only', ...args], { env: { ...stsEnv, ...extraEnv } });
  }

  /** Verifies a token through the emulator, as the webhook would. */
  async function identityOf(tokenText: string) {
    const verifier = new TokenVerifier({ clusterId: 'demo', partition: 'aws', clock: () => new Date(), stsOverride: emulator.url });
    return verifier.verify(tokenText.trim());
  }

  function assumeRoleCalls() {
    return emulator.requests.log.filter((record) => record.action === 'AssumeRole');
  }

  it('assumes the role with the session name', async () => {
    const result = await token(['-r', `arn:aws:iam::${account}:role/admin`, '-s', 'alice-laptop']);
    expect(result.stderr).toBe('');
    const identity = await identityOf(result.stdout);
    expect(identity.arn).toBe(`arn:aws:sts::${account}:assumed-role/admin/alice-laptop`);
    expect(identity.sessionName).toBe('alice-laptop');
    expect(assumeRoleCalls()).toHaveLength(1);
    expect(assumeRoleCalls()[0]?.accessKeyId).toBe(user.accessKeyId);
  });

  it('signs with the temporary credentials', async () => {
    const result = await token(['-r', `arn:aws:iam::${account}:role/admin`]);
    const url = presignedUrl(result.stdout.trim());
    expect(url.host).toBe('sts.us-east-1.amazonaws.com');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^ASIA/);
    expect(url.searchParams.get('X-Amz-Security-Token')).not.toBeNull();
  });

  it('names the session kubeiam-<ms> by default', async () => {
    const result = await token(['--role-arn', `arn:aws:iam::${account}:role/admin`]);
    expect((await identityOf(result.stdout)).sessionName).toMatch(/^kubeiam-\d{13}$/);
  });

  it('takes the role from DEFAULT_ROLE', async () => {
    const result = await token([], { DEFAULT_ROLE: `arn:aws:iam::${account}:role/admin` });
    expect((await identityOf(result.stdout)).canonicalArn).toBe(`arn:aws:iam::${account}:role/admin`);
  });

  it('passes the external ID', async () => {
    const result = await token(['-r', `arn:aws:iam::${account}:role/partner`, '-e', 'ext-1234', '-s', 'ext-session']);
    expect(result.code).toBe(0);
    expect((await identityOf(result.stdout)).arn).toBe(`arn:aws:sts::${account}:assumed-role/partner/ext-session`);
  });

  it('fails without the required external ID', async () => {
    const result = await token(['-r', `arn:aws:iam::${account}:role/partner`]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`STS call for arn:aws:iam::${account}:role/partner failed: AccessDenied`);
    expect(result.stderr).toContain("check the role's trust policy");
    expect(assumeRoleCalls()[0]?.errorCode).toBe('AccessDenied');
  });

  it('names the fix for an unknown key', async () => {
    const result = await token(['-r', `arn:aws:iam::${account}:role/partner`], { AWS_ACCESS_KEY_ID: 'AKIAUNKNOWNKEY000000' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('failed: InvalidClientTokenId');
    expect(result.stderr).toContain('check AWS_ACCESS_KEY_ID or the profile');
    expect(result.stderr).not.toContain(stsEnv['AWS_SECRET_ACCESS_KEY'] ?? 'no secret');
  });

  it('fails with a wrong external ID', async () => {
    const result = await token(['-r', `arn:aws:iam::${account}:role/partner`, '--external-id', 'ext-9999']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('AccessDenied');
  });

  it('forwards the session name of a role session', async () => {
    const sso = registry.createRole({ name: 'sso-dev', accountId: account, trust: [`arn:aws:iam::${account}:root`] });
    registry.createRole({ name: 'deployer', accountId: account, trust: [sso.arn] });
    const session = registry.issueRoleSession({ role: sso, sessionName: 'alice@example.com', durationSeconds: 3600, now: new Date() });
    const result = await token(['-r', `arn:aws:iam::${account}:role/deployer`, '--forward-session-name'], {
      AWS_ACCESS_KEY_ID: session.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: session.credentials.secretAccessKey,
      AWS_SESSION_TOKEN: session.credentials.sessionToken,
    });
    expect(result.stderr).toBe('');
    expect((await identityOf(result.stdout)).arn).toBe(`arn:aws:sts::${account}:assumed-role/deployer/alice@example.com`);
    expect(emulator.requests.log.map((record) => record.action)).toEqual(['GetCallerIdentity', 'AssumeRole', 'GetCallerIdentity']);
  });

  it('keeps the default session name for an IAM user', async () => {
    const result = await token(['-r', `arn:aws:iam::${account}:role/admin`, '--forward-session-name']);
    expect((await identityOf(result.stdout)).sessionName).toMatch(/^kubeiam-\d{13}$/);
  });

  it.each([[['-s', 'ignored', '-e', 'ignored']], [['--forward-session-name']]])('ignores %j without a role', async (args) => {
    const result = await token(args);
    expect((await identityOf(result.stdout)).arn).toBe(`arn:aws:iam::${account}:user/alice`);
    expect(emulator.requests.log.map((record) => record.action)).toEqual(['GetCallerIdentity']);
  });

  it('reuses the cached token without assuming the role again', async () => {
    const args = ['-r', `arn:aws:iam::${account}:role/admin`, '-s', 'cached', '--exec-cache'];
    const first = await token(args);
    const second = await token(args);
    expect(second.stdout).toBe(first.stdout);
    expect(assumeRoleCalls()).toHaveLength(1);
  });

  it('assumes the role again for another session name', async () => {
    await token(['-r', `arn:aws:iam::${account}:role/admin`, '-s', 'one', '--exec-cache']);
    const second = await token(['-r', `arn:aws:iam::${account}:role/admin`, '-s', 'two', '--exec-cache']);
    expect((await identityOf(second.stdout)).sessionName).toBe('two');
    expect(assumeRoleCalls()).toHaveLength(2);
  });
});
