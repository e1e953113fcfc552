import { execFile, type ExecFileException } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IamRegistry, type AccessKeyPair } from './registry.js';
import { startStsEmulator, type StsEmulator } from './server.js';
import { sendWire } from './testkit.js';

const ACCOUNT = '111122223333';
const CREATOR_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/cluster_creator`;
const CLI_TIMEOUT_MS = 60_000;
const TOKEN_PREFIX = 'k8s-aws-v1.';

/** Finds an executable on PATH, or undefined. */
function findOnPath(name: string): string | undefined {
  for (const directory of (process.env.PATH ?? '').split(delimiter)) {
    if (directory === '') continue;
    const candidate = join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory.
    }
  }
  return undefined;
}

const awsPath = findOnPath('aws');

/** Returns the exit status of a finished child: 0 on success, -1 when it was killed or failed to start. */
function exitCode(error: ExecFileException | null): number {
  if (error === null) return 0;
  if (typeof error.code === 'number') return error.code;
  return -1;
}

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Credentials the CLI runs with; a session token is passed only for temporary credentials. */
interface CliCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

describe.skipIf(awsPath === undefined)('AWS CLI against the emulator', () => {
  let emulator: StsEmulator;
  let directory: string;
  let designated: AccessKeyPair;
  let assumer: AccessKeyPair;

  beforeAll(async () => {
    const registry = new IamRegistry();
    registry.createUser({ name: 'designated_user', accountId: ACCOUNT });
    registry.createUser({ name: 'assume_role_user', accountId: ACCOUNT });
    designated = registry.createAccessKey('designated_user');
    assumer = registry.createAccessKey('assume_role_user');
    registry.createRole({
      name: 'cluster_creator',
      accountId: ACCOUNT,
      trust: [`arn:aws:iam::${ACCOUNT}:user/assume_role_user`],
    });
    emulator = await startStsEmulator({ registry });

    directory = mkdtempSync(join(tmpdir(), 'kubeiam-aws-cli-'));
    writeFileSync(join(directory, 'config'), '');
    writeFileSync(join(directory, 'credentials'), '');
  });

  afterAll(async () => {
    await emulator.close();
    rmSync(directory, { recursive: true, force: true });
  });

  /**
   * Builds the CLI environment from scratch, so no credential, profile or endpoint of the machine
   * leaks in. Every AWS endpoint points at the emulator, and instance metadata is off.
   */
  function cliEnvironment(credentials: CliCredentials): NodeJS.ProcessEnv {
    const inherited = Object.entries(process.env).filter(([name]) => name === 'PATH' || name.startsWith('PYENV') || name === 'LANG');
    return {
      ...Object.fromEntries(inherited),
      HOME: directory,
      AWS_CONFIG_FILE: join(directory, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(directory, 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL: emulator.url,
      AWS_ENDPOINT_URL_STS: emulator.url,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_MAX_ATTEMPTS: '1',
      AWS_PAGER: '',
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      ...(credentials.sessionToken === undefined ? {} : { AWS_SESSION_TOKEN: credentials.sessionToken }),
    };
  }

  function runAws(args: readonly string[], credentials: CliCredentials): Promise<CliResult> {
    return new Promise((resolve) => {
      execFile(
        awsPath ?? 'aws',
        [...args, '--output', 'json'],
        { env: cliEnvironment(credentials), timeout: CLI_TIMEOUT_MS, killSignal: 'SIGKILL' },
        (error, stdout, stderr) => {
          resolve({ code: exitCode(error), stdout, stderr });
        },
      );
    });
  }

  const endpoint = (): string[] => ['--endpoint-url', emulator.url, '--region', 'us-east-1'];

  async function callerArn(credentials: CliCredentials): Promise<string> {
    const result = await runAws(['sts', 'get-caller-identity', ...endpoint()], credentials);
    expect(result.stderr).toBe('');
    return (JSON.parse(result.stdout) as { Arn: string }).Arn;
  }

  async function assumeCreatorRole(credentials: CliCredentials): Promise<CliResult> {
    return runAws(
      ['sts', 'assume-role', '--role-arn', CREATOR_ROLE_ARN, '--role-session-name', 'test', ...endpoint()],
      credentials,
    );
  }

  it('get-caller-identity returns the user', { timeout: 3 * CLI_TIMEOUT_MS }, async () => {
    expect(await callerArn(designated)).toBe(`arn:aws:iam::${ACCOUNT}:user/designated_user`);
  });

  it('assume-role credentials call as the role', { timeout: 3 * CLI_TIMEOUT_MS }, async () => {
    const assumed = await assumeCreatorRole(assumer);
    expect(assumed.code).toBe(0);

    const { Credentials } = JSON.parse(assumed.stdout) as {
      Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
    };
    const session = {
      accessKeyId: Credentials.AccessKeyId,
      secretAccessKey: Credentials.SecretAccessKey,
      sessionToken: Credentials.SessionToken,
    };
    expect(await callerArn(session)).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/cluster_creator/test`);
  });

  it('assume-role by untrusted user is denied', { timeout: 3 * CLI_TIMEOUT_MS }, async () => {
    const result = await assumeCreatorRole(designated);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      'An error occurred (AccessDenied) when calling the AssumeRole operation: ' +
        `User: arn:aws:iam::${ACCOUNT}:user/designated_user is not authorized to perform: sts:AssumeRole ` +
        `on resource: ${CREATOR_ROLE_ARN}`,
    );
  });

  it('eks get-token verifies at the emulator', { timeout: 3 * CLI_TIMEOUT_MS }, async () => {
    const result = await runAws(['eks', 'get-token', '--cluster-name', 'demo', '--region', 'us-east-1'], designated);
    expect(result.stderr).toBe('');

    const token = (JSON.parse(result.stdout) as { status: { token: string } }).status.token;
    expect(token.startsWith(TOKEN_PREFIX)).toBe(true);
    const presigned = new URL(Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url').toString('utf8'));
    // With AWS_ENDPOINT_URL_STS set, the CLI presigns for the emulator's own address.
    expect(presigned.host).toBe(new URL(emulator.url).host);

    const response = await sendWire(emulator.url, {
      method: 'GET',
      target: `${presigned.pathname}${presigned.search}`,
      headers: [
        ['Host', presigned.host],
        ['x-k8s-aws-id', 'demo'],
        ['Accept', 'application/json'],
      ],
      body: '',
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({
      GetCallerIdentityResponse: { GetCallerIdentityResult: { Arn: `arn:aws:iam::${ACCOUNT}:user/designated_user` } },
    });
  });
});
