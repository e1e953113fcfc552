import { CreateRoleCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createAwsTestEnv, FAKE_KEYS, type AwsTestEnv } from './env.js';
import { startMoto, type Moto } from './moto.js';

// grant --check-iam looks the principal up in moto's IAM before it edits the file.
const MOTO_ACCOUNT = '123456789012';
const AWS_AUTH = `data:\n  mapUsers: |\n    - userarn: arn:aws:iam::${MOTO_ACCOUNT}:user/admin\n      username: admin\n      groups:\n        - system:masters\n`;

let moto: Moto;
let awsEnv: AwsTestEnv;
let dir: string;

beforeAll(async () => {
  awsEnv = createAwsTestEnv();
  moto = await startMoto();
  dir = mkdtempSync(join(tmpdir(), 'kubeiam-grant-iam-'));
  const iam = new IAMClient({ region: 'us-east-1', endpoint: moto.url, credentials: { accessKeyId: FAKE_KEYS.AWS_ACCESS_KEY_ID, secretAccessKey: FAKE_KEYS.AWS_SECRET_ACCESS_KEY } });
  await iam.send(new CreateRoleCommand({ RoleName: 'deployer', Path: '/platform/', AssumeRolePolicyDocument: '{}' }));
  await iam.send(new CreateUserCommand({ UserName: 'bob' }));
});

afterAll(async () => {
  await moto?.close();
  awsEnv?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

async function grant(kind: string, arn: string): Promise<{ code: number; stderr: string }> {
  writeFileSync(join(dir, 'aws-auth.yaml'), AWS_AUTH);
  return runCli(['grant', kind, arn, '--username', 'x', '--group', 'viewers', '--file', 'aws-auth.yaml', '--check-iam'], {
    cwd: dir,
    env: { ...awsEnv.env, ...FAKE_KEYS, AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: moto.url },
  });
}

describe('grant --check-iam', () => {
  it('passes quietly for an existing user', async () => {
    const result = await grant('user', `arn:aws:iam::${MOTO_ACCOUNT}:user/bob`);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
  });

  it('warns about a principal IAM does not have', async () => {
    const result = await grant('user', `arn:aws:iam::${MOTO_ACCOUNT}:user/b0b`);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`IAM has no principal arn:aws:iam::${MOTO_ACCOUNT}:user/b0b`);
  });

  it('warns that the role path is dropped', async () => {
    const result = await grant('role', `arn:aws:iam::${MOTO_ACCOUNT}:role/deployer`);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('role arn:aws:iam::123456789012:role/platform/deployer has a path');
  });

  it('still writes the entry', async () => {
    await grant('user', `arn:aws:iam::${MOTO_ACCOUNT}:user/bob`);
    expect(readFileSync(join(dir, 'aws-auth.yaml'), 'utf8')).toContain('user/bob');
  });
});
