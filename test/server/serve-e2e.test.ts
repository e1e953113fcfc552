import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IamRegistry } from '../../src/emulator/registry.js';
import { startStsEmulator, type StsEmulator } from '../../src/emulator/server.js';

// kubeiam serve, spawned from the built bin with a config file in aws-iam-authenticator's format
// (MountedFile + DynamicFile, from the shared vectors template), verifying tokens that the AWS CLI
// and `kubeiam token` sign. The tokens name the real regional STS host; the server sends them to
// the local STS emulator through --sts-endpoint-override, which checks the SigV4 signature.
// Nothing leaves 127.0.0.1: the AWS CLI only presigns (no request), and HTTPS_PROXY points at a
// closed loopback port in case it tried.

const CLI = fileURLToPath(new URL('../../bin/kubeiam.js', import.meta.url));
const VECTORS = fileURLToPath(new URL('../../../shared/vectors/', import.meta.url));
const CLUSTER = 'e2e-cluster';
const ACCOUNT = '111122223333';
const REGION = 'us-east-1';

let dir: string;
let emulator: StsEmulator;
let server: ChildProcess;
let serverLog = '';
let port: number;
let ca: string;
let admin: { accessKeyId: string; secretAccessKey: string };
/** A second key of the admin user: its tokens differ from every token signed with the first key. */
let adminSecondKey: { accessKeyId: string; secretAccessKey: string };
let stranger: { accessKeyId: string; secretAccessKey: string };
let session: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
let roleId: string;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const chosen = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(chosen));
    });
  });
}

/** Fills `{{NAME}}` placeholders of a vectors template; every placeholder must have a value. */
function fillTemplate(name: string, values: Record<string, string>): string {
  const text = readFileSync(join(VECTORS, name), 'utf8');
  return text.replace(/\{\{([A-Z_]+)\}\}/g, (whole, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`template ${name} needs a value for ${whole}`);
    return value;
  });
}

/** Environment for child processes: fake credentials only, no real AWS configuration. */
function awsEnv(credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(dir, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'aws-credentials'),
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(credentials.sessionToken === undefined ? {} : { AWS_SESSION_TOKEN: credentials.sessionToken }),
    HTTPS_PROXY: 'http://127.0.0.1:9',
    HTTP_PROXY: 'http://127.0.0.1:9',
  };
}

function tokenFromExecCredential(stdout: string): string {
  const parsed = JSON.parse(stdout) as { status?: { token?: unknown } };
  if (typeof parsed.status?.token !== 'string') throw new Error(`no token in ${stdout}`);
  return parsed.status.token;
}

function awsCliToken(credentials: Parameters<typeof awsEnv>[0]): string {
  const result = spawnSync('aws', ['eks', 'get-token', '--cluster-name', CLUSTER, '--region', REGION, '--output', 'json'], {
    env: awsEnv(credentials),
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (result.status !== 0) throw new Error(`aws eks get-token failed: ${result.stderr}`);
  return tokenFromExecCredential(result.stdout);
}

function kubeiamToken(credentials: Parameters<typeof awsEnv>[0]): string {
  const result = spawnSync(process.execPath, [CLI, 'token', '-i', CLUSTER, '--region', REGION], {
    env: awsEnv(credentials),
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (result.status !== 0) throw new Error(`kubeiam token failed: ${result.stderr}`);
  return tokenFromExecCredential(result.stdout);
}

function send(path: string, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      { host: '127.0.0.1', port, path, method: body === undefined ? 'GET' : 'POST', ca, servername: 'localhost', agent: false },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

async function review(token: string): Promise<{ status: number; user: Record<string, unknown> | undefined }> {
  const reply = await send('/authenticate', JSON.stringify({ apiVersion: 'authentication.k8s.io/v1beta1', kind: 'TokenReview', spec: { token } }));
  const parsed = JSON.parse(reply.body) as { status?: { user?: Record<string, unknown> } };
  return { status: reply.status, user: parsed.status?.user };
}

function startServe(configPath: string): Promise<void> {
  server = spawn(process.execPath, [CLI, 'serve', '-c', configPath, '--sts-endpoint-override', emulator.url, '--log-level', 'info'], {
    env: { PATH: process.env.PATH ?? '', HOME: dir, AWS_EC2_METADATA_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stderr?.on('data', (chunk: Buffer) => (serverLog += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    server.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString('utf8').includes('listening on')) resolve();
    });
    server.once('exit', (code) => reject(new Error(`kubeiam serve exited with ${code}: ${serverLog}`)));
  });
}

const accessEntries = (username: string): string =>
  fillTemplate('access-entries.json.template', { AWS_ACCOUNT: ACCOUNT, AWS_TEST_ROLE: 'test-role', USER_ID: roleId }).replace('"kubernetes-admin"', JSON.stringify(username));

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  if (!existsSync(join(fileURLToPath(new URL('../../dist/bundle/', import.meta.url)), 'kubeiam.mjs'))) {
    throw new Error('dist/bundle is missing: run npm run build first');
  }
  dir = mkdtempSync(join(tmpdir(), 'kubeiam-serve-e2e-'));
  writeFileSync(join(dir, 'aws-config'), '');
  writeFileSync(join(dir, 'aws-credentials'), '');

  const registry = new IamRegistry();
  registry.addAccount({ id: ACCOUNT });
  const adminUser = registry.createUser({ name: 'admin', accountId: ACCOUNT });
  admin = registry.createAccessKey('admin', { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' });
  adminSecondKey = registry.createAccessKey('admin', { accountId: ACCOUNT });
  registry.createUser({ name: 'stranger', accountId: ACCOUNT });
  stranger = registry.createAccessKey('stranger');
  const role = registry.createRole({ name: 'test-role', accountId: ACCOUNT, trust: [adminUser.arn] });
  roleId = role.roleId;
  session = registry.issueRoleSession({ role, sessionName: 'e2e', durationSeconds: 3600, now: new Date() }).credentials;
  emulator = await startStsEmulator({ registry });

  port = await freePort();
  writeFileSync(join(dir, 'access-entries.json'), accessEntries('kubernetes-admin'));
  const config = fillTemplate('server-config-dynamicfile.yaml.template', {
    CLUSTER_NAME: CLUSTER,
    AUTHENTICATOR_IP: '127.0.0.1',
    AUTHENTICATOR_PORT: String(port),
    AUTHENTICATOR_STATE_DIR: join(dir, 'state'),
    AUTHENTICATOR_GENERATE_KUBECONFIG: join(dir, 'webhook-kubeconfig.yaml'),
    AUTHENTICATOR_KUBECONFIG: join(dir, 'unused-kubeconfig'),
    AUTHENTICATOR_DYNAMICFILE_PATH: join(dir, 'access-entries.json'),
    BACKENDMODE_PATH: join(dir, 'backend-mode.json'),
    ADMIN_ARN: adminUser.arn,
  });
  writeFileSync(join(dir, 'config.yaml'), config);
  await startServe(join(dir, 'config.yaml'));
  ca = readFileSync(join(dir, 'state', 'cert.pem'), 'utf8');
}, 60_000);

afterAll(async () => {
  if (server !== undefined && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  await emulator?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('kubeiam serve with a reference config file', () => {
  it('serve maps an AWS CLI token through MountedFile', async () => {
    const result = await review(awsCliToken(admin));
    expect(result.status).toBe(200);
    expect(result.user?.['username']).toBe('kubernetes-admin');
    expect(result.user?.['groups']).toEqual(['system:masters']);
    expect(result.user?.['uid']).toMatch(/^aws-iam-authenticator:111122223333:AIDA/);
  });

  it('serve maps a kubeiam token through MountedFile', async () => {
    const result = await review(kubeiamToken(admin));
    expect(result.status).toBe(200);
    expect(result.user?.['username']).toBe('kubernetes-admin');
  });

  it('serve maps a role session through DynamicFile', async () => {
    const result = await review(awsCliToken(session));
    expect(result.status).toBe(200);
    expect(result.user?.['username']).toBe('kubernetes-admin');
    expect((result.user?.['extra'] as Record<string, string[]>)['canonicalArn']).toEqual([`arn:aws:iam::${ACCOUNT}:role/test-role`]);
  });

  it('serve denies an unmapped user', async () => {
    const result = await review(kubeiamToken(stranger));
    expect(result.status).toBe(403);
  });

  it('serve calls STS once for a repeated token', async () => {
    // Tokens signed within one second with the same key are identical, so an earlier test's token
    // could already be cached; a key no other test uses gives a token never reviewed before.
    const token = kubeiamToken(adminSecondKey);
    const before = emulator.requests.count;
    expect((await review(token)).status).toBe(200);
    expect((await review(token)).status).toBe(200);
    expect(emulator.requests.count - before).toBe(1);
  });

  it('serve follows DynamicFile changes', async () => {
    writeFileSync(join(dir, 'access-entries.json'), accessEntries('tester'));
    const token = kubeiamToken(session);
    await waitFor(async () => (await review(token)).user?.['username'] === 'tester');
  });

  it('serve applies the DynamicFile reserved prefixes', async () => {
    writeFileSync(join(dir, 'access-entries.json'), accessEntries('system:sneaky'));
    const token = kubeiamToken(session);
    await waitFor(async () => (await review(token)).status === 403);
  });

  it('serve follows the backend-mode file', async () => {
    writeFileSync(join(dir, 'backend-mode.json'), JSON.stringify({ LastUpdatedDateTime: String(Math.floor(Date.now() / 1000)), Version: '1', backendMode: 'DynamicFile' }));
    const token = kubeiamToken(admin);
    await waitFor(async () => (await review(token)).status === 403);
    const metrics = (await send('/metrics')).body;
    expect(metrics).toContain('aws_iam_authenticator_dynamic_file_only 1');
    rmSync(join(dir, 'backend-mode.json'));
    await waitFor(async () => (await review(kubeiamToken(admin))).status === 200);
  });

  it('serve writes the webhook kubeconfig', () => {
    const text = readFileSync(join(dir, 'webhook-kubeconfig.yaml'), 'utf8');
    expect(text).toContain(`server: https://localhost:${port}/authenticate`);
    expect(text).toContain(`certificate-authority-data: ${Buffer.from(ca).toString('base64')}`);
  });

  it('serve exports reference metrics', async () => {
    const metrics = (await send('/metrics')).body;
    expect(metrics).toContain('aws_iam_authenticator_authenticate_latency_seconds_count{result="success"}');
    expect(metrics).toContain('aws_iam_authenticator_authenticate_latency_seconds_count{result="uknown_user"}');
    expect(metrics).toContain('kubeiam_authenticate_requests_total{result="unknown_user"}');
    expect(metrics).toContain('kubeiam_token_cache_lookups_total{result="hit"}');
  });

  it('serve logs no token', () => {
    expect(serverLog).not.toContain('k8s-aws-v1.');
    expect(serverLog).not.toContain(admin.secretAccessKey);
  });
});
