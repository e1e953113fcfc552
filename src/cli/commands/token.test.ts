import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/cli.js';
import { parseToken } from '../../token/index.js';
import { HostCache } from '../../token/hostAllowList.js';

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
