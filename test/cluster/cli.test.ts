import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../support/cli.js';
import { ACCOUNT_ID, NODE_ROLE, NODE_ROLE_MAP_ROLES, seedAwsAuth, startCluster, type ClusterFixture } from './support.js';

const DESIGNATED_USER = `arn:aws:iam::${ACCOUNT_ID}:user/designated_user`;
const ADMIN_ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/Admin`;
const NOW = new Date('2026-12-04T20:00:00Z');

describe('grant on the cluster', () => {
  let cluster: ClusterFixture;
  let result: CliResult;

  beforeAll(async () => {
    cluster = await startCluster();
    seedAwsAuth(cluster.server, { mapRoles: NODE_ROLE_MAP_ROLES });
    // The scenario's step 4, done on the live ConfigMap instead of a file.
    result = await cli(cluster, ['grant', 'user', DESIGNATED_USER, '--username', 'designated_user', '--group', 'system:masters']);
  });

  afterAll(async () => {
    await cluster.close();
  });

  it('grant cluster exits 0', () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('grant cluster writes mapUsers', () => {
    const data = cluster.server.store.get('kube-system', 'aws-auth').data ?? {};
    expect(data['mapUsers']).toContain(DESIGNATED_USER);
  });

  it('grant cluster keeps mapRoles', () => {
    expect(cluster.server.store.get('kube-system', 'aws-auth').data?.['mapRoles']).toBe(NODE_ROLE_MAP_ROLES);
  });

  it('grant cluster prints the diff', () => {
    expect(result.stdout).toContain(`+    - userarn: ${DESIGNATED_USER}`);
  });

  it('grant cluster prints the resourceVersion', () => {
    const resourceVersion = cluster.server.store.get('kube-system', 'aws-auth').metadata.resourceVersion;
    expect(result.stdout).toContain(`resourceVersion ${resourceVersion}`);
  });

  it('grant cluster saves a private backup', () => {
    const dir = join(cluster.dir, '.kube', 'kubeiam-backups');
    const files = readdirSync(dir);
    expect(files).toEqual(['aws-auth-test-20261204T200000Z.yaml']);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, files[0] ?? '')).mode & 0o777).toBe(0o600);
  });

  it('grant cluster backup holds the old data', () => {
    const dir = join(cluster.dir, '.kube', 'kubeiam-backups');
    const backup = readFileSync(join(dir, readdirSync(dir)[0] ?? ''), 'utf8');
    expect(backup).toContain('system:node:{{EC2PrivateDNSName}}');
    expect(backup).not.toContain('designated_user');
  });

  it('grant cluster again is unchanged', async () => {
    const before = cluster.server.store.resourceVersion;
    const again = await cli(cluster, ['grant', 'user', DESIGNATED_USER, '--username', 'designated_user', '--group', 'system:masters']);
    expect(again.code).toBe(0);
    expect(cluster.server.store.resourceVersion).toBe(before);
  });

  it('list cluster shows the grant', async () => {
    const list = await cli(cluster, ['list', '-o', 'json']);
    const rows = JSON.parse(list.stdout) as { arn: string; username: string }[];
    expect(rows.map((row) => row.arn)).toEqual([NODE_ROLE, DESIGNATED_USER]);
  });
});

describe('revoke on the cluster', () => {
  let cluster: ClusterFixture;

  beforeAll(async () => {
    cluster = await startCluster();
    seedAwsAuth(cluster.server, { mapRoles: `${NODE_ROLE_MAP_ROLES}- rolearn: ${ADMIN_ROLE}\n  username: admin\n  groups:\n  - system:masters\n` });
  });

  afterAll(async () => {
    await cluster.close();
  });

  it('revoke node role without force is refused', async () => {
    const result = await cli(cluster, ['revoke', 'role', NODE_ROLE]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${NODE_ROLE} (node role)`);
    expect(cluster.server.store.get('kube-system', 'aws-auth').data?.['mapRoles']).toContain(NODE_ROLE);
  });

  it('revoke protected caller without force is refused', async () => {
    const result = await cli(cluster, ['revoke', 'role', ADMIN_ROLE, '--as', `arn:aws:sts::${ACCOUNT_ID}:assumed-role/Admin/alice`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('(protected)');
    expect(cluster.server.store.get('kube-system', 'aws-auth').data?.['mapRoles']).toContain(ADMIN_ROLE);
  });

  it('revoke role of exec plugin without force is refused', async () => {
    // kubectl would present the role that the exec plugin assumes, so it is protected like --as.
    const script = join(cluster.dir, 'credential-plugin.sh');
    writeFileSync(script, `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"cluster-test-token"}}'\n`, { mode: 0o700 });
    const kubeconfig = join(cluster.dir, 'exec-kubeconfig');
    const execUser = `  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: ${script}\n      args: [eks, get-token, --role-arn, ${ADMIN_ROLE}]\n      interactiveMode: Never\n`;
    writeFileSync(kubeconfig, cluster.server.kubeconfig().replace(/  user:\n    token: .*\n/, execUser));
    const result = await runCli(['revoke', 'role', ADMIN_ROLE, '--kubeconfig', kubeconfig], { env: cluster.env(), cwd: cluster.dir, now: NOW });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${ADMIN_ROLE} (protected)`);
  });

  it('revoke --protect without force is refused', async () => {
    const result = await cli(cluster, ['revoke', 'role', ADMIN_ROLE, '--protect', ADMIN_ROLE]);
    expect(result.code).toBe(1);
  });

  it('revoke dry run writes nothing', async () => {
    const before = cluster.server.store.resourceVersion;
    const result = await cli(cluster, ['revoke', 'role', ADMIN_ROLE, '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('-      username: admin');
    expect(cluster.server.store.resourceVersion).toBe(before);
  });

  it('revoke protected caller with force is allowed', async () => {
    const result = await cli(cluster, ['revoke', 'role', ADMIN_ROLE, '--as', ADMIN_ROLE, '--force', '--backup-configmap']);
    expect(result.code).toBe(0);
    expect(cluster.server.store.get('kube-system', 'aws-auth').data?.['mapRoles']).not.toContain(ADMIN_ROLE);
  });

  it('revoke --backup-configmap copies the old data', () => {
    const copy = cluster.server.store.get('kube-system', 'aws-auth-backup-20261204t200000z');
    expect(copy.data?.['mapRoles']).toContain(ADMIN_ROLE);
    expect(copy.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'kubeiam' });
  });

  it('revoke node role with force is allowed', async () => {
    const result = await cli(cluster, ['revoke', 'role', NODE_ROLE, '--force']);
    expect(result.code).toBe(0);
    expect(cluster.server.store.get('kube-system', 'aws-auth').data?.['mapRoles']).not.toContain(NODE_ROLE);
  });
});

describe('cluster mode without aws-auth', () => {
  let cluster: ClusterFixture;

  beforeAll(async () => {
    cluster = await startCluster();
  });

  afterAll(async () => {
    await cluster.close();
  });

  it('list missing configmap fails clearly', async () => {
    const result = await cli(cluster, ['list']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('configmap kube-system/aws-auth does not exist');
  });

  it('revoke missing configmap fails clearly', async () => {
    const result = await cli(cluster, ['revoke', 'user', DESIGNATED_USER]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('configmap kube-system/aws-auth does not exist');
  });

  it('grant missing configmap creates it', async () => {
    const result = await cli(cluster, ['grant', 'role', ADMIN_ROLE, '--username', 'admin', '--group', 'system:masters']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('did not exist');
    expect(cluster.server.store.get('kube-system', 'aws-auth').data?.['mapRoles']).toContain(ADMIN_ROLE);
  });

  it('grant --file with --kubeconfig is a usage error', async () => {
    const result = await runCli(['grant', 'role', ADMIN_ROLE, '--username', 'a', '--file', 'x.yaml', '--kubeconfig', cluster.kubeconfig], { env: cluster.env(), cwd: cluster.dir });
    expect(result.code).toBe(2);
  });

  it.each([['--backup-dir', 'backups'], ['--backup-configmap']])('grant --file with %s is a usage error', async (...option: string[]) => {
    const result = await runCli(['grant', 'role', ADMIN_ROLE, '--username', 'a', '--file', 'x.yaml', ...option], { env: cluster.env(), cwd: cluster.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${option[0]} applies only to the live ConfigMap`);
  });

  it('list without any kubeconfig is a usage error', async () => {
    const result = await runCli(['list'], { env: { HOME: join(cluster.dir, 'nowhere') }, cwd: cluster.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--file');
  });

  it('list rejected token is not echoed', async () => {
    const kubeconfig = join(cluster.dir, 'wrong-token-kubeconfig');
    writeFileSync(kubeconfig, cluster.server.kubeconfig({ token: 'wrong-secret-token-0123456789' }));
    const result = await runCli(['list', '--kubeconfig', kubeconfig], { env: cluster.env(), cwd: cluster.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('HTTP 401');
    expect(result.stderr).not.toContain('wrong-secret-token-0123456789');
  });

  it('list unknown context fails', async () => {
    const result = await cli(cluster, ['list', '--context', 'prod']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("context 'prod'");
  });
});

describe('apply and restore on the cluster', () => {
  let cluster: ClusterFixture;
  let backupDir: string;

  beforeAll(async () => {
    cluster = await startCluster();
    backupDir = join(cluster.dir, 'backups');
    seedAwsAuth(cluster.server, { mapRoles: NODE_ROLE_MAP_ROLES, extra: 'not managed by kubeiam' });
  });

  afterAll(async () => {
    await cluster.close();
  });

  it('apply valid file replaces mapUsers', async () => {
    const file = writeManifest(cluster, 'good.yaml', `mapRoles: |\n${indent(NODE_ROLE_MAP_ROLES)}  mapUsers: |\n    - userarn: ${DESIGNATED_USER}\n      username: designated_user\n      groups:\n      - system:masters\n`);
    const result = await cli(cluster, ['apply', '-f', file, '--backup-dir', backupDir]);
    expect(result.code).toBe(0);
    expect(cluster.server.store.get('kube-system', 'aws-auth').data?.['mapUsers']).toContain(DESIGNATED_USER);
  });

  it('apply keeps unmanaged data keys', () => {
    expect(cluster.server.store.get('kube-system', 'aws-auth').data?.['extra']).toBe('not managed by kubeiam');
  });

  it('apply file with lint errors is refused', async () => {
    const file = writeManifest(cluster, 'broken.yaml', `mapRoles: |\n${indent(NODE_ROLE_MAP_ROLES)}  mapUsers: |\n    - userarn: ${DESIGNATED_USER}\n      username: {{SessionName}}\n`);
    const result = await cli(cluster, ['apply', '-f', file, '--backup-dir', backupDir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('lint error');
  });

  it('apply dropping node role is refused', async () => {
    const file = writeManifest(cluster, 'no-nodes.yaml', `mapUsers: |\n    - userarn: ${DESIGNATED_USER}\n      username: designated_user\n`);
    const result = await cli(cluster, ['apply', '-f', file, '--backup-dir', backupDir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('(node role)');
    expect(cluster.server.store.get('kube-system', 'aws-auth').data?.['mapRoles']).toBe(NODE_ROLE_MAP_ROLES);
  });

  it('apply mapping the creator is refused', async () => {
    const file = writeManifest(cluster, 'creator.yaml', `mapRoles: |\n${indent(NODE_ROLE_MAP_ROLES)}  mapUsers: |\n    - userarn: ${DESIGNATED_USER}\n      username: designated_user\n`);
    const result = await cli(cluster, ['apply', '-f', file, '--creator', DESIGNATED_USER, '--backup-dir', backupDir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('CREATOR_IN_MAP');
  });

  it('apply other configmap is refused', async () => {
    const file = join(cluster.dir, 'other.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: coredns\n  namespace: kube-system\ndata:\n  Corefile: x\n');
    const result = await cli(cluster, ['apply', '-f', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('coredns');
  });

  it('restore backup puts old data back', async () => {
    const backups = readdirSync(backupDir);
    expect(backups).toHaveLength(1);
    const result = await cli(cluster, ['restore', join(backupDir, backups[0] ?? ''), '--backup-dir', backupDir]);
    expect(result.code).toBe(0);
    const data = cluster.server.store.get('kube-system', 'aws-auth').data ?? {};
    expect(data).toEqual({ mapRoles: NODE_ROLE_MAP_ROLES, extra: 'not managed by kubeiam' });
  });

  it('restore backs up the version it replaces', () => {
    expect(readdirSync(backupDir)).toHaveLength(2);
  });

  it('restore takes an exported in-cluster copy', async () => {
    const file = join(cluster.dir, 'copy.yaml');
    writeFileSync(file, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth-backup-20261204t200000z\n  namespace: kube-system\n  resourceVersion: "3"\ndata:\n  mapRoles: |\n${indent(NODE_ROLE_MAP_ROLES)}  mapUsers: |\n    - userarn: ${DESIGNATED_USER}\n      username: restored\n`);
    const result = await cli(cluster, ['restore', file, '--backup-dir', backupDir]);
    expect(result.code).toBe(0);
    expect(cluster.server.store.get('kube-system', 'aws-auth').data?.['mapUsers']).toContain('username: restored');
  });
});

function cli(cluster: ClusterFixture, argv: readonly string[]): Promise<CliResult> {
  return runCli([...argv, '--kubeconfig', cluster.kubeconfig], { env: cluster.env(), cwd: cluster.dir, now: NOW });
}

function writeManifest(cluster: ClusterFixture, name: string, data: string): string {
  const path = join(cluster.dir, name);
  writeFileSync(path, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n  namespace: kube-system\ndata:\n  ${data}`);
  return path;
}

function indent(text: string): string {
  return text.split('\n').map((line) => (line === '' ? '' : `    ${line}`)).join('\n');
}
