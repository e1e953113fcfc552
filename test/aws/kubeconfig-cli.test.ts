import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { launcherScript } from '../../src/credentials/launcherScript.js';
import { runCli } from '../support/cli.js';
import { createAwsTestEnv, FAKE_KEYS, profileWithFakeKeys, type AwsTestEnv } from './env.js';
import { startMoto, type Moto } from './moto.js';

const MOTO_ACCOUNT = '123456789012';
const ARN = `arn:aws:eks:eu-west-1:${MOTO_ACCOUNT}:cluster/prod`;

const OTHER = `apiVersion: v1
kind: Config
clusters:
- name: kind-dev
  cluster:
    server: https://127.0.0.1:6443
    insecure-skip-tls-verify: true
users:
- name: kind-dev
  user:
    token: abc
contexts:
- name: kind-dev
  context:
    cluster: kind-dev
    user: kind-dev
current-context: kind-dev
`;

let moto: Moto;
let awsEnv: AwsTestEnv;
let env: Record<string, string>;
let endpoint = '';

beforeAll(async () => {
  awsEnv = createAwsTestEnv({}, profileWithFakeKeys('ops'), '[profile ops]\nregion = eu-west-1\n');
  moto = await startMoto();
  endpoint = '';
  env = { ...awsEnv.env, AWS_ENDPOINT_URL_EKS: moto.url, AWS_REGION: 'eu-west-1' };
  const eks = new EKSClient({ region: 'eu-west-1', endpoint: moto.url, credentials: { accessKeyId: FAKE_KEYS.AWS_ACCESS_KEY_ID, secretAccessKey: FAKE_KEYS.AWS_SECRET_ACCESS_KEY } });
  const created = await eks.send(new CreateClusterCommand({ name: 'prod', roleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/eks`, resourcesVpcConfig: { subnetIds: [] } }));
  endpoint = created.cluster?.endpoint ?? '';
});

afterAll(async () => {
  await moto?.close();
  awsEnv?.cleanup();
});

function kubectl(args: string[], kubeconfig: string): string {
  return execFileSync('kubectl', [...args, '--kubeconfig', kubeconfig], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: awsEnv.dir } });
}

function pathFor(name: string): string {
  return join(awsEnv.dir, name, 'config');
}

describe('kubeiam kubeconfig', () => {
  it('kubeconfig writes a new file', async () => {
    const path = pathFor('new');
    const result = await runCli(['kubeconfig', '--cluster', 'prod', '--kubeconfig', path], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Added new context ${ARN} to ${path}`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('kubeconfig is read by kubectl', async () => {
    const path = pathFor('kubectl');
    await runCli(['kubeconfig', '--cluster', 'prod', '--kubeconfig', path, '--role-arn', 'arn:aws:iam::123456789012:role/admin'], { env });
    const view = parse(kubectl(['config', 'view', '-o', 'yaml'], path)) as Record<string, unknown>;
    const users = view.users as { name: string; user: { exec: { command: string; args: string[]; interactiveMode: string } } }[];
    const clusters = view.clusters as { name: string; cluster: { server: string } }[];
    expect(view['current-context']).toBe(ARN);
    expect(clusters[0]?.cluster.server).toBe(endpoint);
    expect(users[0]?.user.exec.command).toBe('kubeiam');
    expect(users[0]?.user.exec.args).toEqual(['token', '--cluster-name', 'prod', '--region', 'eu-west-1', '--role-arn', 'arn:aws:iam::123456789012:role/admin']);
    expect(users[0]?.user.exec.interactiveMode).toBe('Never');
  });

  it('kubeconfig --launcher runs kubeiam token through /bin/sh', async () => {
    const path = pathFor('launcher');
    const result = await runCli(['kubeconfig', '--cluster', 'prod', '--kubeconfig', path, '--launcher'], { env });
    expect(result.stderr).toBe('');
    const view = parse(kubectl(['config', 'view', '-o', 'yaml'], path)) as Record<string, unknown>;
    const users = view.users as { user: { exec: { command: string; args: string[] } } }[];
    const exec = users[0]?.user.exec;
    expect(exec?.command).toBe('/bin/sh');
    expect(exec?.args[0]).toBe('-c');
    expect(exec?.args[1]).toBe(launcherScript());
    expect(exec?.args.slice(2)).toEqual([
      'kubeiam-launcher',
      'kubeiam',
      'token',
      '--cluster-name',
      'prod',
      '--region',
      'eu-west-1',
      '--exec-cache',
      '--launcher-cache',
    ]);
  });

  it('kubeconfig --launcher warns that a profile bypasses it', async () => {
    const result = await runCli(['kubeconfig', '--cluster', 'prod', '--kubeconfig', pathFor('launcher-profile'), '--launcher', '--profile', 'ops'], { env });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('with --profile every kubectl call runs "kubeiam token"');
  });

  it('kubeconfig merge keeps other clusters', async () => {
    const path = pathFor('merge');
    await runCli(['kubeconfig', '--cluster', 'prod', '--kubeconfig', path, '--dry-run'], { env });
    execFileSync('mkdir', ['-p', join(awsEnv.dir, 'merge')]);
    writeFileSync(path, OTHER, { mode: 0o644 });
    const result = await runCli(['kubeconfig', '--cluster', 'prod', '--kubeconfig', path, '--alias', 'prod'], { env });
    expect(result.code).toBe(0);
    const contexts = kubectl(['config', 'get-contexts', '-o', 'name'], path).trim().split('\n').sort();
    expect(contexts).toEqual(['kind-dev', 'prod']);
    expect(kubectl(['config', 'current-context'], path).trim()).toBe('prod');
    expect(kubectl(['config', 'view', '--raw', '-o', 'jsonpath={.users[?(@.name=="kind-dev")].user.token}'], path)).toBe('abc');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('kubeconfig second run updates', async () => {
    const path = pathFor('twice');
    await runCli(['kubeconfig', '--cluster', 'prod', '--kubeconfig', path], { env });
    const result = await runCli(['kubeconfig', '--cluster', 'prod', '--kubeconfig', path, '--profile', 'ops'], { env });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(`Updated context ${ARN} in ${path}`);
    const view = parse(readFileSync(path, 'utf8')) as { users: { user: { exec: { env: unknown } } }[] };
    expect(view.users).toHaveLength(1);
    expect(view.users[0]?.user.exec.env).toEqual([{ name: 'AWS_PROFILE', value: 'ops' }]);
  });

  it('kubeconfig dry run writes nothing', async () => {
    const path = pathFor('dry');
    const result = await runCli(['kubeconfig', '--cluster', 'prod', '--kubeconfig', path, '--dry-run'], { env });
    expect(result.code).toBe(0);
    expect(existsSync(path)).toBe(false);
    expect((parse(result.stdout) as Record<string, unknown>)['current-context']).toBe(ARN);
  });

  it('kubeconfig KUBECONFIG first path', async () => {
    const first = pathFor('env-first');
    const second = pathFor('env-second');
    const result = await runCli(['kubeconfig', '--cluster', 'prod'], { env: { ...env, KUBECONFIG: `${first}:${second}` } });
    expect(result.code).toBe(0);
    expect(existsSync(first)).toBe(true);
    expect(existsSync(second)).toBe(false);
  });

  it('kubeconfig unknown cluster', async () => {
    const result = await runCli(['kubeconfig', '--cluster', 'missing', '--kubeconfig', pathFor('missing')], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("cluster 'missing' not found in region eu-west-1");
  });

  it('kubeconfig broken file is kept', async () => {
    const path = pathFor('broken');
    execFileSync('mkdir', ['-p', join(awsEnv.dir, 'broken')]);
    writeFileSync(path, 'clusters: [\n');
    const result = await runCli(['kubeconfig', '--cluster', 'prod', '--kubeconfig', path], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is not valid YAML');
    expect(readFileSync(path, 'utf8')).toBe('clusters: [\n');
  });

  it('kubeconfig cluster required', async () => {
    const result = await runCli(['kubeconfig'], { env });
    expect(result.code).toBe(2);
  });

  it('kubeconfig region from profile', async () => {
    const { AWS_REGION: _region, ...withoutRegion } = env;
    const path = pathFor('profile-region');
    const result = await runCli(['kubeconfig', '--cluster', 'prod', '--kubeconfig', path, '--profile', 'ops'], { env: withoutRegion });
    expect(result.code).toBe(0);
    expect(readFileSync(path, 'utf8')).toContain('- eu-west-1');
  });

  it('kubeconfig region missing', async () => {
    const { AWS_REGION: _region, ...withoutRegion } = env;
    const result = await runCli(['kubeconfig', '--cluster', 'prod', '--kubeconfig', pathFor('no-region')], { env: withoutRegion });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no AWS region: pass --region REGION');
  });

  it('kubeconfig takes over the AWS CLI entry', async () => {
    const path = pathFor('aws-cli');
    execFileSync('aws', ['eks', 'update-kubeconfig', '--name', 'prod', '--region', 'eu-west-1', '--kubeconfig', path, '--endpoint-url', moto.url], {
      env: { PATH: process.env.PATH ?? '', HOME: awsEnv.dir, ...awsEnv.env },
    });
    const result = await runCli(['kubeconfig', '--cluster', 'prod', '--kubeconfig', path], { env });
    const view = parse(readFileSync(path, 'utf8')) as { clusters: unknown[]; contexts: unknown[]; users: { user: { exec: { command: string; args: string[] } } }[] };
    expect(result.stdout).toBe(`Updated context ${ARN} in ${path}\n`);
    expect(view.clusters).toHaveLength(1);
    expect(view.contexts).toHaveLength(1);
    expect(view.users).toHaveLength(1);
    expect(view.users[0]?.user.exec.command).toBe('kubeiam');
    expect(view.users[0]?.user.exec.args).toEqual(['token', '--cluster-name', 'prod', '--region', 'eu-west-1']);
  });
});
