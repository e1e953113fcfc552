import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StsCalls } from '../../src/credentials/sts.js';
import { IamRegistry, startStsEmulator, type StsEmulator } from '../../src/emulator/index.js';
import { startCluster, seedAwsAuth, type ClusterFixture } from '../cluster/support.js';
import { runCli } from '../support/cli.js';
import { createAwsTestEnv, type AwsTestEnv } from './env.js';

const ACCOUNT = '111122223333';
const AWS_AUTH = `apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapUsers: |
    - userarn: arn:aws:iam::${ACCOUNT}:user/designated_user
      username: designated_user
      groups:
        - system:masters
  mapRoles: |
    - rolearn: arn:aws:iam::${ACCOUNT}:role/eks/cluster_creator
      username: creator
      groups:
        - system:masters
`;

let emulator: StsEmulator;
let awsEnv: AwsTestEnv;
let designated: Record<string, string>;
let stranger: Record<string, string>;
let assumed: Record<string, string>;
let awsAuthPath = '';
let cluster: ClusterFixture;

beforeAll(async () => {
  awsEnv = createAwsTestEnv();
  const registry = new IamRegistry();
  registry.createUser({ name: 'designated_user', accountId: ACCOUNT });
  registry.createUser({ name: 'stranger', accountId: ACCOUNT });
  const designatedKey = registry.createAccessKey('designated_user');
  const strangerKey = registry.createAccessKey('stranger');
  registry.createRole({ name: 'cluster_creator', path: '/eks/', accountId: ACCOUNT, trust: [`arn:aws:iam::${ACCOUNT}:user/stranger`] });
  emulator = await startStsEmulator({ registry });

  const base = { ...awsEnv.env, AWS_ENDPOINT_URL_STS: emulator.url, AWS_REGION: 'us-east-1' };
  designated = { ...base, AWS_ACCESS_KEY_ID: designatedKey.accessKeyId, AWS_SECRET_ACCESS_KEY: designatedKey.secretAccessKey };
  stranger = { ...base, AWS_ACCESS_KEY_ID: strangerKey.accessKeyId, AWS_SECRET_ACCESS_KEY: strangerKey.secretAccessKey };
  const session = await new StsCalls('us-east-1', base).assumeRole(
    { accessKeyId: strangerKey.accessKeyId, secretAccessKey: strangerKey.secretAccessKey },
    { roleArn: `arn:aws:iam::${ACCOUNT}:role/eks/cluster_creator`, sessionName: 'test' },
  );
  assumed = { ...base, AWS_ACCESS_KEY_ID: session.accessKeyId, AWS_SECRET_ACCESS_KEY: session.secretAccessKey, AWS_SESSION_TOKEN: session.sessionToken ?? '' };

  awsAuthPath = join(awsEnv.dir, 'aws-auth.yaml');
  writeFileSync(awsAuthPath, AWS_AUTH);
  cluster = await startCluster();
  seedAwsAuth(cluster.server, { mapUsers: `- userarn: arn:aws:iam::${ACCOUNT}:user/stranger\n  username: stranger\n  groups:\n  - viewers\n` });
});

afterAll(async () => {
  await cluster?.close();
  await emulator?.close();
  awsEnv?.cleanup();
});

async function whoamiJson(env: Record<string, string>, args: string[] = []): Promise<{ code: number; report: Record<string, unknown> }> {
  const result = await runCli(['whoami', '-o', 'json', ...args], { env });
  return { code: result.code, report: JSON.parse(result.stdout) as Record<string, unknown> };
}

describe('kubeiam whoami', () => {
  it('whoami IAM user', async () => {
    const { code, report } = await whoamiJson(designated);
    expect(code).toBe(0);
    expect(report.arn).toBe(`arn:aws:iam::${ACCOUNT}:user/designated_user`);
    expect(report.account).toBe(ACCOUNT);
    expect(report.userId).toMatch(/^AIDA/);
    expect(report.canonicalArn).toBe(report.arn);
    expect(report.principalType).toBe('USER');
    expect(report.mapping).toBeNull();
  });

  it('whoami assumed role canonical ARN', async () => {
    const { report } = await whoamiJson(assumed);
    expect(report.arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/cluster_creator/test`);
    expect(report.canonicalArn).toBe(`arn:aws:iam::${ACCOUNT}:role/cluster_creator`);
    expect(report.principalType).toBe('ASSUMED_ROLE');
    expect(report.sessionName).toBe('test');
  });

  it('whoami mapped user', async () => {
    const { code, report } = await whoamiJson(designated, ['--file', awsAuthPath]);
    expect(code).toBe(0);
    expect(report.mapping).toEqual({ mapped: true, username: 'designated_user', groups: ['system:masters'], source: awsAuthPath, httpStatus: 200 });
  });

  it('whoami unmapped exits 3', async () => {
    const { code, report } = await whoamiJson(stranger, ['--file', awsAuthPath]);
    const mapping = report.mapping as Record<string, unknown>;
    expect(code).toBe(3);
    expect(mapping.mapped).toBe(false);
    expect(mapping.httpStatus).toBe(401);
    expect(mapping.grantCommand).toBe(`kubeiam grant user arn:aws:iam::${ACCOUNT}:user/stranger --username stranger`);
    expect(mapping.steps).toEqual(expect.arrayContaining([expect.objectContaining({ reason: 'NOT_MAPPED' })]));
  });

  it('whoami role with path in aws-auth', async () => {
    const { code, report } = await whoamiJson(assumed, ['--file', awsAuthPath]);
    const mapping = report.mapping as { mapped: boolean; steps: { reason: string }[] };
    expect(code).toBe(3);
    expect(mapping.steps.map((step) => step.reason)).toContain('PATH_IN_CONFIGURED_ARN');
  });

  it('whoami creator maps assumed role', async () => {
    // The path-less form, as `kubeiam creator` prints it.
    const { code, report } = await whoamiJson(assumed, ['--creator', `arn:aws:iam::${ACCOUNT}:role/cluster_creator`]);
    expect(code).toBe(0);
    expect((report.mapping as Record<string, unknown>).groups).toEqual(['system:masters']);
  });

  it('whoami YAML output', async () => {
    const result = await runCli(['whoami', '-o', 'yaml'], { env: designated });
    expect(result.stdout).toContain(`canonicalArn: arn:aws:iam::${ACCOUNT}:user/designated_user\n`);
    expect(result.stdout).toContain('mapping: null\n');
  });

  it('whoami text output', async () => {
    const result = await runCli(['whoami', '--file', awsAuthPath], { env: designated });
    expect(result.stdout).toContain(`ARN                               arn:aws:iam::${ACCOUNT}:user/designated_user`);
    expect(result.stdout).toContain('Kubernetes user                   designated_user');
  });

  it('whoami text explains a denial', async () => {
    const result = await runCli(['whoami', '--file', awsAuthPath], { env: stranger });
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('You must be logged in to the server (Unauthorized)');
    expect(result.stdout).toContain(`Grant access: kubeiam grant user arn:aws:iam::${ACCOUNT}:user/stranger`);
  });

  it('whoami endpoint option', async () => {
    const { AWS_ENDPOINT_URL_STS: _unused, ...env } = designated;
    const { report } = await whoamiJson(env, ['--endpoint-url', emulator.url]);
    expect(report.arn).toBe(`arn:aws:iam::${ACCOUNT}:user/designated_user`);
  });

  it('whoami rejected key', async () => {
    const result = await runCli(['whoami'], { env: { ...designated, AWS_ACCESS_KEY_ID: 'AKIAAAAAAAAAAAAAAAAA' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('GetCallerIdentity');
    expect(result.stderr).not.toContain(designated.AWS_SECRET_ACCESS_KEY);
  });

  it('whoami missing aws-auth file', async () => {
    const result = await runCli(['whoami', '--file', join(awsEnv.dir, 'absent.yaml')], { env: designated });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('absent.yaml does not exist');
  });

  it('whoami reads aws-auth from the cluster', async () => {
    const { code, report } = await whoamiJson(stranger, ['--kubeconfig', cluster.kubeconfig]);
    expect(code).toBe(0);
    expect(report.mapping).toEqual({ mapped: true, username: 'stranger', groups: ['viewers'], source: 'kube-system/aws-auth', httpStatus: 200 });
  });

  it('whoami file and kubeconfig conflict', async () => {
    const result = await runCli(['whoami', '--file', awsAuthPath, '--kubeconfig', cluster.kubeconfig], { env: stranger });
    expect(result.code).toBe(2);
  });
});
