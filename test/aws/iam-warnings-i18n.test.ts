import { CreateRoleCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsTarget } from '../../src/aws/config.js';
import { lookupPrincipal, type PrincipalWarning } from '../../src/aws/iam.js';
import { describeIamWarning } from '../../src/cli/messages.js';
import { translator } from '../../src/i18n/catalog.js';
import { runCli } from '../support/cli.js';
import { createAwsTestEnv, FAKE_KEYS, type AwsTestEnv } from './env.js';
import { startMoto, type Moto } from './moto.js';

// The warnings of `grant --check-iam`, rendered from the catalogue, against moto's IAM.
const MOTO_ACCOUNT = '123456789012';
const credentials = { accessKeyId: FAKE_KEYS.AWS_ACCESS_KEY_ID, secretAccessKey: FAKE_KEYS.AWS_SECRET_ACCESS_KEY };
const en = translator('en');
const zh = translator('zh-CN');

let moto: Moto;
let awsEnv: AwsTestEnv;
let target: AwsTarget;
let warnings: PrincipalWarning[];

beforeAll(async () => {
  awsEnv = createAwsTestEnv();
  moto = await startMoto();
  target = { region: 'us-east-1', credentials, env: { AWS_ENDPOINT_URL: moto.url } };
  const iam = new IAMClient({ region: 'us-east-1', endpoint: moto.url, credentials });
  await iam.send(new CreateRoleCommand({ RoleName: 'admin', Path: '/platform/', AssumeRolePolicyDocument: '{}' }));
  await iam.send(new CreateUserCommand({ UserName: 'alice', Path: '/people/' }));

  const lookups = await Promise.all([
    lookupPrincipal(target, `arn:aws:iam::${MOTO_ACCOUNT}:root`),
    lookupPrincipal(target, `arn:aws:sts::${MOTO_ACCOUNT}:federated-user/bob`),
    lookupPrincipal(target, `arn:aws:sts::${MOTO_ACCOUNT}:assumed-role/admin/s1`),
    lookupPrincipal(target, 'arn:aws:iam::999988887777:role/x', { callerAccount: MOTO_ACCOUNT }),
    lookupPrincipal(target, 'arn:aws:iam::999988887777:role/admin'),
    lookupPrincipal(target, `arn:aws:iam::${MOTO_ACCOUNT}:user/alice`),
  ]);
  warnings = lookups.flatMap((lookup) => [...lookup.warnings]);
});

afterAll(async () => {
  await moto?.close();
  awsEnv?.cleanup();
});

/** Replaces the values with a marker and removes the terms a Chinese warning keeps, leaving the template's own words. */
function templateWords(warning: PrincipalWarning): string {
  const marked = Object.fromEntries(Object.keys(warning.params).map((name) => [name, '\u2022']));
  let text = describeIamWarning({ ...warning, params: marked }, 'zh-CN', zh);
  for (const term of ['GetUser', 'GetRole', 'assumed role', 'aws-auth', 'IAM', 'STS', 'ARN', 'EKS']) text = text.split(term).join(' ');
  return text;
}

describe('grant --check-iam warnings', () => {
  it('cover every code and variant', () => {
    const seen = warnings.map((warning) => (warning.variant === undefined ? warning.code : `${warning.code}.${warning.variant}`));
    expect([...new Set(seen)].sort()).toEqual([
      'ARN_PATH_DIFFERS',
      'ASSUMED_ROLE_ARN',
      'NOT_CHECKABLE.federated',
      'NOT_CHECKABLE.root',
      'OTHER_ACCOUNT.caller',
      'OTHER_ACCOUNT.found',
      'ROLE_PATH_DROPPED',
    ]);
  });

  it('render in English as the library wrote them', () => {
    for (const warning of warnings) {
      const key = warning.variant === undefined ? `iamWarning.${warning.code}` : `iamWarning.${warning.code}.${warning.variant}`;
      expect(en(key as Parameters<typeof en>[0], warning.params)).toBe(warning.message);
    }
  });

  it('render in Chinese', () => {
    for (const warning of warnings) {
      expect(describeIamWarning(warning, 'zh-CN', zh), warning.code).toMatch(/[\u4e00-\u9fff]/);
      expect(templateWords(warning), warning.code).not.toMatch(/[A-Za-z]{3,}|\{\w+\}/);
    }
  });

  it('grant prints them in Chinese', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeiam-iam-i18n-'));
    try {
      writeFileSync(join(dir, 'aws-auth.yaml'), 'data:\n  mapRoles: |\n    []\n');
      const args = ['grant', 'role', `arn:aws:iam::${MOTO_ACCOUNT}:role/admin`, '--username', 'x', '--group', 'view', '--file', 'aws-auth.yaml', '--check-iam', '--lang', 'zh-CN'];
      const result = await runCli(args, { cwd: dir, env: { ...awsEnv.env, ...FAKE_KEYS, AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: moto.url } });
      expect(result.code).toBe(0);
      expect(result.stderr).toContain(`角色 arn:aws:iam::${MOTO_ACCOUNT}:role/platform/admin 带有路径`);
      expect(result.stderr).not.toContain('has a path');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
