import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IamRegistry, startStsEmulator, type StsEmulator } from '../../src/emulator/index.js';
import { presignGetCallerIdentity, type PresignedToken } from '../../src/token/index.js';
import { runCli, type CliResult } from '../support/cli.js';
import { ACCOUNT_ID, awsAuthMappingUser, CLI, isolatedEnv, REGION, review, temporaryDirectory } from './support.js';

// Known secrets go in through every command and the server. None of them may come out in stdout,
// stderr, logs, metrics or written files, except the token on `kubeiam token`'s stdout (its job)
// and the 0600 cache files, whose mode is checked instead.
const CLUSTER = 'leaky';
const USER_KEY = { accessKeyId: 'AKIALEAKTEST00000001', secretAccessKey: 'LeakTestSecretKey0000UserLongTerm0000001' };
const SESSION = {
  accessKeyId: 'ASIALEAKTEST00000001',
  secretAccessKey: 'LeakTestSecretKey0000RoleSession00000002',
  sessionToken: `IQoJb3JpZ2luLeakTestSessionToken${'Q'.repeat(40)}0003`,
};

const temporary = temporaryDirectory('kubeiam-secrets-');
const dir = temporary.dir;
const awsAuthFile = join(dir, 'aws-auth.yaml');
const roleArn = `arn:aws:iam::${ACCOUNT_ID}:role/leak-admin`;
const userArn = `arn:aws:iam::${ACCOUNT_ID}:user/leaky_user`;

let emulator: StsEmulator;
let sessionToken: PresignedToken;
let userToken: PresignedToken;
/** A token reviewed only once, so no verified-token cache can serve it in place of a throttled STS. */
let freshUserToken: PresignedToken;

/** Secrets by name: keys, session token (raw and URL-encoded), signatures and whole tokens. */
function secrets(includeTokens = true): Array<[string, string]> {
  const signatureOf = (token: PresignedToken): string => /X-Amz-Signature=([0-9a-f]{64})/.exec(token.url)?.[1] ?? 'missing';
  const list: Array<[string, string]> = [
    ['user secret key', USER_KEY.secretAccessKey],
    ['session secret key', SESSION.secretAccessKey],
    ['session token', SESSION.sessionToken],
    ['session token slice', SESSION.sessionToken.slice(10, 40)],
    ['encoded session token', encodeURIComponent(SESSION.sessionToken)],
    ['session token signature', signatureOf(sessionToken)],
    ['user token signature', signatureOf(userToken)],
    ['fresh user token signature', signatureOf(freshUserToken)],
  ];
  if (includeTokens) {
    list.push(['session token string', sessionToken.token], ['user token string', userToken.token], ['fresh user token string', freshUserToken.token]);
  }
  return list;
}

function expectNoSecrets(text: string, where: string, includeTokens = true): void {
  for (const [name, value] of secrets(includeTokens)) {
    expect(text.includes(value), `${where} contains the ${name}`).toBe(false);
  }
}

function credentialEnv(credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(credentials.sessionToken === undefined ? {} : { AWS_SESSION_TOKEN: credentials.sessionToken }),
  };
}

function cli(argv: readonly string[], credentials = SESSION as { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): Promise<CliResult> {
  return runCli(argv, {
    env: { ...isolatedEnv(dir), AWS_REGION: REGION, AWS_ENDPOINT_URL_STS: emulator.url, AWS_MAX_ATTEMPTS: '1', ...credentialEnv(credentials) },
    cwd: dir,
  });
}

/** A loopback port with nothing listening, for commands whose AWS calls must fail. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Commands this file runs with the secrets in their environment, arguments or input files. */
const EXERCISED_COMMANDS = [
  'token', 'grant', 'revoke', 'list', 'lint', 'apply', 'restore', 'explain', 'serve', 'emulator', 'demo', 'verify', 'init',
  'whoami', 'kubeconfig', 'creator', 'entry', 'policy', 'auth-mode', 'migrate', 'completion',
];

/** Builds a kubeconfig whose user authenticates with `token` to a server that is not listening. */
function unreachableKubeconfig(server: string, token: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: unreachable',
    '  cluster:',
    `    server: ${server}`,
    '    insecure-skip-tls-verify: true',
    'users:',
    '- name: leaky',
    '  user:',
    `    token: ${token}`,
    'contexts:',
    '- name: unreachable',
    '  context:',
    '    cluster: unreachable',
    '    user: leaky',
    'current-context: unreachable',
    '',
  ].join('\n');
}

function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

beforeAll(async () => {
  const registry = new IamRegistry();
  registry.addAccount({ id: ACCOUNT_ID });
  registry.createUser({ name: 'leaky_user', accountId: ACCOUNT_ID });
  registry.createAccessKey('leaky_user', { accountId: ACCOUNT_ID, ...USER_KEY });
  registry.createRole({ name: 'leak-admin', accountId: ACCOUNT_ID, trust: [userArn] });
  registry.addRoleSession({
    roleArn,
    sessionName: 'leak-session',
    credentials: { ...SESSION, expiration: new Date(Date.now() + 60 * 60 * 1000) },
  });
  emulator = await startStsEmulator({ registry });

  const now = new Date();
  sessionToken = await presignGetCallerIdentity({ credentials: SESSION, region: REGION, clusterId: CLUSTER, now });
  userToken = await presignGetCallerIdentity({ credentials: USER_KEY, region: REGION, clusterId: CLUSTER, now });
  freshUserToken = await presignGetCallerIdentity({ credentials: USER_KEY, region: REGION, clusterId: CLUSTER, now: new Date(now.getTime() - 1000) });
  writeFileSync(join(dir, 'aws-config'), '');
  writeFileSync(join(dir, 'aws-credentials'), '');
  writeFileSync(awsAuthFile, awsAuthMappingUser(userArn, 'leaky_user'), { mode: 0o600 });
});

afterAll(async () => {
  await emulator.close();
  temporary.remove();
});

describe('secrets in CLI output', () => {
  // Exit codes make sure each command ran its real path: 0 success, 1 error, 3 unmapped identity.
  const withoutSecrets = (): Array<[string, number, () => Promise<CliResult>]> => [
    ['verify', 0, () => cli(['verify', '-t', sessionToken.token, '-i', CLUSTER, '--sts-endpoint-override', emulator.url])],
    ['verify json', 0, () => cli(['verify', '-t', sessionToken.token, '-i', CLUSTER, '--sts-endpoint-override', emulator.url, '-o', 'json'])],
    ['verify other cluster', 1, () => cli(['verify', '-t', sessionToken.token, '-i', 'other', '--sts-endpoint-override', emulator.url])],
    ['verify broken token', 1, () => cli(['verify', '-t', `${sessionToken.token}%`, '-i', CLUSTER, '--sts-endpoint-override', emulator.url])],
    ['explain token', 0, () => cli(['explain', '--token', userToken.token, '-i', CLUSTER, '--sts-endpoint-override', emulator.url, '-f', awsAuthFile])],
    ['explain token json', 3, () => cli(['explain', '--token', sessionToken.token, '-i', CLUSTER, '--sts-endpoint-override', emulator.url, '-f', awsAuthFile, '-o', 'json'])],
    ['explain arn', 0, () => cli(['explain', '--arn', userArn, '-f', awsAuthFile])],
    ['grant', 0, () => cli(['grant', 'role', roleArn, '--username', 'admin', '--group', 'system:masters', '--file', awsAuthFile])],
    ['list', 0, () => cli(['list', '-f', awsAuthFile, '-o', 'json'])],
    ['lint', 0, () => cli(['lint', awsAuthFile])],
    ['revoke', 0, () => cli(['revoke', 'role', roleArn, '--file', awsAuthFile])],
    ['whoami', 3, () => cli(['whoami', '--endpoint-url', emulator.url, '--region', REGION, '-f', awsAuthFile, '-o', 'json'])],
    ['whoami long-term key', 0, () => cli(['whoami', '--endpoint-url', emulator.url, '--region', REGION], USER_KEY)],
  ];

  it.each(withoutSecrets().map(([name]) => name))('%s output has no secret', async (name) => {
    const [, code, command] = withoutSecrets().find(([candidate]) => candidate === name) ?? [name, 0, () => Promise.reject(new Error(name))];
    const result = await command();

    expect(result.code, result.stderr).toBe(code);
    expectNoSecrets(result.stdout, `${name} stdout`);
    expectNoSecrets(result.stderr, `${name} stderr`);
  });

  it('verify on throttling has no secret', async () => {
    emulator.faults = { fault: { kind: 'throttling' } };
    try {
      const result = await cli(['verify', '-t', sessionToken.token, '-i', CLUSTER, '--sts-endpoint-override', emulator.url]);
      expect(result.code).not.toBe(0);
      expectNoSecrets(result.stdout + result.stderr, 'verify on throttling');
    } finally {
      emulator.faults = {};
    }
  });

  it('failing AWS and cluster calls have no secret', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const kubeconfig = join(dir, 'unreachable-kubeconfig');
    writeFileSync(kubeconfig, unreachableKubeconfig(`https://127.0.0.1:${await closedPort()}`, sessionToken.token), { mode: 0o600 });
    const eks = ['--cluster', CLUSTER, '--region', REGION, '--endpoint-url', endpoint];
    const commands = [
      ['kubeconfig', ...eks, '--kubeconfig', join(dir, 'kubeconfig'), '--dry-run'],
      ['creator', ...eks],
      ['whoami', '--endpoint-url', endpoint, '--region', REGION],
      ['token', '--cluster-name', CLUSTER, '--role-arn', roleArn],
      ['entry', 'list', ...eks],
      ['policy', 'list', ...eks, '--principal-arn', userArn],
      ['auth-mode', 'show', ...eks],
      ['migrate', 'plan', ...eks, '-f', awsAuthFile],
      ['list', '--kubeconfig', kubeconfig],
      ['apply', '-f', awsAuthFile, '--kubeconfig', kubeconfig],
      ['restore', awsAuthFile, '--kubeconfig', kubeconfig],
    ];
    for (const argv of commands) {
      const name = argv.slice(0, 2).join(' ');
      const result = await runCli(argv, {
        env: { ...isolatedEnv(dir), AWS_REGION: REGION, AWS_ENDPOINT_URL_STS: endpoint, AWS_MAX_ATTEMPTS: '1', ...credentialEnv(SESSION) },
        cwd: dir,
      });
      expect(result.code, `${name} exit code`).not.toBe(0);
      expectNoSecrets(result.stdout + result.stderr, `${name} failure output`);
    }
  });

  it('init writes a private key', async () => {
    const stateDir = join(dir, 'init-state');
    const result = await cli(['init', '-i', CLUSTER, '--state-dir', stateDir, '--kubeconfig-out', join(stateDir, 'webhook.kubeconfig')]);

    expect(result.code, result.stderr).toBe(0);
    expectNoSecrets(result.stdout + result.stderr, 'init output');
    expect(statSync(join(stateDir, 'key.pem')).mode & 0o077).toBe(0);
  });

  it('completion has no secret', async () => {
    const result = await cli(['completion', 'bash']);

    expect(result.code).toBe(0);
    expectNoSecrets(result.stdout + result.stderr, 'completion output');
  });

  it('every command is exercised', async () => {
    const help = await cli(['--help']);
    const commands = [...help.stdout.slice(help.stdout.indexOf('Commands:')).matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((match) => match[1]);

    // NOTE: a command added to the CLI fails this test until this file drives it with the secrets.
    expect(commands.length).toBeGreaterThanOrEqual(EXERCISED_COMMANDS.length);
    expect(commands.filter((command) => command !== 'help' && !EXERCISED_COMMANDS.includes(command ?? ''))).toEqual([]);
  });

  it('token prints only the token', async () => {
    for (const argv of [
      ['token', '--cluster-name', CLUSTER],
      ['token', '-i', CLUSTER, '--token-only'],
      ['token', '--cluster-name', CLUSTER, '--role-arn', roleArn, '--session-name', 'assumed'],
    ]) {
      const result = await cli(argv, argv.includes('--role-arn') ? USER_KEY : SESSION);
      expect(result.code, `${argv.join(' ')}: ${result.stderr}`).toBe(0);
      expect(result.stdout).toContain('k8s-aws-v1.');
      expectNoSecrets(result.stdout, `${argv.join(' ')} stdout`, false);
      expectNoSecrets(result.stderr, `${argv.join(' ')} stderr`);
    }
  });

  it('demo output has no secret', async () => {
    const result = await runCli(['demo', '--no-kubectl'], { env: isolatedEnv(dir), cwd: dir });
    const output = result.stdout + result.stderr;

    // The demo makes its own random keys, so look for their shapes instead of their values.
    expect(result.code).toBe(0);
    expect(output).not.toMatch(/k8s-aws-v1\.[A-Za-z0-9_-]{20}/);
    expect(output).not.toMatch(/X-Amz-(Signature|Security-Token)=/i);
    expect(output).not.toMatch(/(^|[^A-Za-z0-9+/])[A-Za-z0-9+/]{40}([^A-Za-z0-9+/]|$)/m);
    expect(output).not.toMatch(/[0-9a-f]{64}/);
  });
});

describe('secrets in written files', () => {
  const home = join(dir, 'cache-home');

  beforeAll(async () => {
    const env = { ...isolatedEnv(home), AWS_REGION: REGION, AWS_ENDPOINT_URL_STS: emulator.url, ...credentialEnv(USER_KEY) };
    await runCli(['token', '--cluster-name', CLUSTER, '--role-arn', roleArn, '--cache', '--exec-cache'], { env, cwd: dir });
    await runCli(['token', '--cluster-name', CLUSTER, '--exec-cache'], { env, cwd: dir });
  });

  it('cache files are private', () => {
    const cacheFiles = filesUnder(home).filter((file) => !file.endsWith('.lock'));

    expect(cacheFiles.length).toBeGreaterThan(0);
    for (const file of cacheFiles) {
      expect(statSync(file).mode & 0o077, `${relative(home, file)} mode`).toBe(0);
    }
  });

  it('other written files have no secret', () => {
    // The kubeconfig and the seed carry secrets as input, so they are not output to check.
    const inputs = new Set([join(dir, 'unreachable-kubeconfig'), join(dir, 'seed.json')]);
    const written = filesUnder(dir).filter((file) => !file.startsWith(home) && !inputs.has(file));

    expect(written.some((file) => file.includes('.bak-'))).toBe(true);
    for (const file of written) {
      expectNoSecrets(readFileSync(file, 'utf8'), relative(dir, file));
    }
  });
});

describe('secrets in emulator output', () => {
  it('emulator output has no secret', async () => {
    const seed = join(dir, 'seed.json');
    writeFileSync(
      seed,
      JSON.stringify({ accounts: [{ id: ACCOUNT_ID }], users: [{ name: 'leaky_user', accessKeys: [{ id: USER_KEY.accessKeyId, secret: USER_KEY.secretAccessKey }] }], roles: [] }),
      { mode: 0o600 },
    );
    const child = spawn(process.execPath, [CLI, 'emulator', '--seed', seed], { env: isolatedEnv(dir), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (/http:\/\/127\.0\.0\.1:\d+/.test(output)) resolve();
      });
      child.once('exit', (code) => reject(new Error(`kubeiam emulator exited with ${code}: ${output}`)));
    });
    const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? '';
    const verified = await cli(['verify', '-t', userToken.token, '-i', CLUSTER, '--sts-endpoint-override', url]);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;

    expect(verified.code, verified.stderr).toBe(0);
    expectNoSecrets(output, 'emulator output');
  });
});

describe('secrets in server logs and metrics', () => {
  let server: ChildProcess;
  let serverUrl: string;
  let stderr = '';
  let stdout = '';
  const stateDir = join(dir, 'state');

  beforeAll(async () => {
    server = spawn(
      process.execPath,
      [CLI, 'serve', '-i', CLUSTER, '--aws-auth-file', awsAuthFile, '--state-dir', stateDir, '--port', '0', '--sts-endpoint-override', emulator.url, '--log-level', 'debug'],
      { env: isolatedEnv(dir, credentialEnv(SESSION)), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    server.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    serverUrl = await new Promise<string>((resolve, reject) => {
      server.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        const match = /(https:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
        if (match?.[1] !== undefined) resolve(match[1]);
      });
      server.once('exit', (code) => reject(new Error(`kubeiam serve exited with ${code}: ${stderr}`)));
    });
  });

  afterAll(() => {
    if (server.exitCode === null) server.kill('SIGKILL');
  });

  /** Sends TokenReviews that succeed and fail at every stage, then stops the server. */
  async function exercise(): Promise<{ metrics: string; statuses: number[] }> {
    const ca = readFileSync(join(stateDir, 'cert.pem'), 'utf8');
    const statuses: number[] = [];
    statuses.push((await review(serverUrl, ca, userToken.token)).status);
    statuses.push((await review(serverUrl, ca, sessionToken.token)).status);
    statuses.push((await review(serverUrl, ca, `${sessionToken.token}%`)).status);
    statuses.push((await review(serverUrl, ca, `${sessionToken.token}${'A'.repeat(4096)}`)).status);
    emulator.faults = { fault: { kind: 'throttling' }, times: 1 };
    statuses.push((await review(serverUrl, ca, freshUserToken.token)).status);
    emulator.faults = { fault: { kind: 'server-error' }, times: 1 };
    statuses.push((await review(serverUrl, ca, sessionToken.token)).status);
    emulator.faults = {};

    const metrics = await new Promise<string>((resolve, reject) => {
      request(`${serverUrl}/metrics`, { ca }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        response.on('end', () => resolve(body));
      })
        .on('error', reject)
        .end();
    });

    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
    return { metrics, statuses };
  }

  it('server logs and metrics have no secret', async () => {
    const { metrics, statuses } = await exercise();

    expect(statuses).toEqual([200, 403, 403, 403, 429, 403]);
    expect(stderr).toContain('"level"');
    expectNoSecrets(stderr, 'serve stderr');
    expectNoSecrets(stdout, 'serve stdout');
    expectNoSecrets(metrics, '/metrics');
    expectNoSecrets(JSON.stringify(emulator.requests.log), 'emulator request log');
  });

  it('generated key is private', () => {
    expect(statSync(join(stateDir, 'key.pem')).mode & 0o077).toBe(0);
  });
});
