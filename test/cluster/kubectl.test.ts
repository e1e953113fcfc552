import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAwsAuth } from '../../src/kube/index.js';
import { runCli } from '../support/cli.js';
import { runProcess, type ProcessResult } from './process.js';
import { ACCOUNT_ID, NODE_ROLE_MAP_ROLES, startCluster, type ClusterFixture } from './support.js';

// Real kubectl (1.32) against the test API server. The server serves no OpenAPI document, so
// `kubectl apply` runs with --validate=false.
const DESIGNATED_USER = `arn:aws:iam::${ACCOUNT_ID}:user/designated_user`;
const MANIFEST = `apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapRoles: |
${NODE_ROLE_MAP_ROLES.split('\n').map((line) => (line === '' ? '' : `    ${line}`)).join('\n')}`;

describe('kubectl and kubeiam on one cluster', () => {
  let cluster: ClusterFixture;
  let applied: ProcessResult;
  let watchOutput: Promise<ProcessResult>;

  const kubectl = (...args: string[]): Promise<ProcessResult> =>
    runProcess('kubectl', ['--kubeconfig', cluster.kubeconfig, ...args], cluster.env());

  beforeAll(async () => {
    cluster = await startCluster();
    const file = join(cluster.dir, 'aws-auth.yaml');
    writeFileSync(file, MANIFEST);
    applied = await kubectl('apply', '--validate=false', '-f', file);
    const openWatches = cluster.server.openWatches();
    watchOutput = kubectl('get', 'configmap', 'aws-auth', '--namespace', 'kube-system', '--watch', '--output-watch-events', '--output', 'jsonpath={.type} {.object.metadata.resourceVersion}{"\\n"}', '--request-timeout=5s');
    for (let attempt = 0; attempt < 250 && cluster.server.openWatches() === openWatches; attempt++) await new Promise((resolve) => setTimeout(resolve, 20));
    const grant = await runCli(['grant', 'user', DESIGNATED_USER, '--username', 'designated_user', '--group', 'system:masters', '--kubeconfig', cluster.kubeconfig], { env: cluster.env(), cwd: cluster.dir });
    if (grant.code !== 0) throw new Error(`kubeiam grant failed: ${grant.stderr}`);
  }, 60_000);

  afterAll(async () => {
    await cluster.close();
  });

  it('kubectl apply creates aws-auth', () => {
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toContain('configmap/aws-auth created');
  });

  it('kubectl get matches client-node', async () => {
    const result = await kubectl('get', 'configmap', 'aws-auth', '--namespace', 'kube-system', '--output', 'json');
    const fromKubectl = JSON.parse(result.stdout) as { data: Record<string, string>; metadata: { resourceVersion: string } };
    const fromClientNode = await readAwsAuth(await cluster.connect());
    expect(fromKubectl.data).toEqual(fromClientNode?.data);
    expect(fromKubectl.metadata.resourceVersion).toBe(fromClientNode?.resourceVersion);
  });

  it('kubectl sees the kubeiam grant', async () => {
    const result = await kubectl('get', 'configmap', 'aws-auth', '--namespace', 'kube-system', '--output', 'jsonpath={.data.mapUsers}');
    expect(result.stdout).toContain(`userarn: ${DESIGNATED_USER}`);
  });

  it('kubeiam grant keeps kubectl annotation', async () => {
    const live = await readAwsAuth(await cluster.connect());
    expect(Object.keys(live?.annotations ?? {})).toEqual(['kubectl.kubernetes.io/last-applied-configuration']);
  });

  it('kubeiam list reads kubectl apply', async () => {
    const result = await runCli(['list', '--kubeconfig', cluster.kubeconfig, '-o', 'json'], { env: cluster.env(), cwd: cluster.dir });
    const rows = JSON.parse(result.stdout) as { arn: string }[];
    expect(rows.map((row) => row.arn)).toEqual([`arn:aws:iam::${ACCOUNT_ID}:role/eks-node-role`, DESIGNATED_USER]);
  });

  it('kubectl watch sees the kubeiam grant', async () => {
    const result = await watchOutput;
    const resourceVersion = (await readAwsAuth(await cluster.connect()))?.resourceVersion;
    const lines = result.stdout.split('\n').filter((line) => line !== '');
    expect(lines[0]).toMatch(/^ADDED \d+$/);
    expect(lines.at(-1)).toBe(`MODIFIED ${resourceVersion}`);
  });
});
