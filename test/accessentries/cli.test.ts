import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { CliIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { mapIdentity } from '../../src/mapping/chain.js';
import { identityFromArn } from '../../src/mapping/identity.js';
import { createDynamicFileSource } from '../../src/mapping/sources/dynamicfile.js';
import { startMoto, type Moto } from '../aws/moto.js';
import { startEksEndpoint, type EksEndpoint } from '../eks-endpoint/server.js';
import { runCli } from '../support/cli.js';
import { MotoIam } from './iam.js';
import { cliEnv } from './support.js';

let moto: Moto;
let iam: MotoIam;
let endpoint: EksEndpoint;
let env: Record<string, string>;
let devRole: string;
let alice: string;

beforeAll(async () => {
  moto = await startMoto();
  iam = new MotoIam(moto.url);
  devRole = await iam.role('dev', '/team/');
  alice = await iam.user('alice');
  endpoint = await startEksEndpoint({ resolvePrincipal: iam.resolver, updatePolls: 2 });
  endpoint.addCluster('prod', { account: '123456789012' });
  env = cliEnv(endpoint, { AWS_ENDPOINT_URL_IAM: moto.url, KUBEIAM_UPDATE_POLL_MS: '1' });
});
afterAll(async () => {
  await endpoint?.close();
  await moto?.close();
});

const cluster = ['--cluster', 'prod'];

describe('entry commands', () => {
  it('create get update delete', async () => {
    const created = await runCli(['entry', 'create', ...cluster, '--principal-arn', devRole, '--group', 'dev', '-o', 'json'], { env });
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout).username).toBe('arn:aws:sts::123456789012:assumed-role/dev/{{SessionName}}');

    const updated = await runCli(['entry', 'update', ...cluster, '--principal-arn', devRole, '--username', 'dev:{{SessionName}}', '--group', 'dev', '--group', 'ops'], { env });
    expect(updated.code).toBe(0);
    const got = await runCli(['entry', 'get', ...cluster, '--principal-arn', devRole, '-o', 'yaml'], { env });
    const entry = parse(got.stdout).entries[0];
    expect(entry.username).toBe('dev:{{SessionName}}');
    expect(entry.kubernetesGroups).toEqual(['dev', 'ops']);

    const cleared = await runCli(['entry', 'update', ...cluster, '--principal-arn', devRole, '--no-groups', '-o', 'json'], { env });
    expect(JSON.parse(cleared.stdout).kubernetesGroups).toEqual([]);

    const deleted = await runCli(['entry', 'delete', ...cluster, '--principal-arn', devRole], { env });
    expect(deleted.code).toBe(0);
    const gone = await runCli(['entry', 'get', ...cluster, '--principal-arn', devRole], { env });
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('ResourceNotFoundException');
  });

  it('create of unknown principal fails at EKS', async () => {
    const result = await runCli(['entry', 'create', ...cluster, '--principal-arn', 'arn:aws:iam::123456789012:role/dev'], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('InvalidParameterException');
  });

  it('duplicate create names the existing entry', async () => {
    await runCli(['entry', 'create', ...cluster, '--principal-arn', alice], { env });
    const again = await runCli(['entry', 'create', ...cluster, '--principal-arn', alice], { env });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('ResourceInUseException');
    expect(again.stderr).toContain('kubeiam entry get');
    await runCli(['entry', 'delete', ...cluster, '--principal-arn', alice], { env });
  });

  it('update without changes is a usage error', async () => {
    const result = await runCli(['entry', 'update', ...cluster, '--principal-arn', alice], { env });
    expect(result.code).toBe(2);
  });
});

describe('policy commands', () => {
  it('associate list disassociate', async () => {
    await runCli(['entry', 'create', ...cluster, '--principal-arn', alice], { env });
    const associated = await runCli(['policy', 'associate', ...cluster, '--principal-arn', alice, '--policy', 'AmazonEKSEditPolicy', '--scope', 'namespace', '--namespace', 'dev-*', '--namespace', 'qa'], { env });
    expect(associated.code).toBe(0);
    const listed = await runCli(['policy', 'list', ...cluster, '--principal-arn', alice, '-o', 'json'], { env });
    expect(JSON.parse(listed.stdout).policies.map((item: { accessScope: unknown }) => item.accessScope)).toEqual([{ type: 'namespace', namespaces: ['dev-*', 'qa'] }]);

    const table = await runCli(['entry', 'list', ...cluster], { env });
    expect(table.stdout).toContain('AmazonEKSEditPolicy');

    const removed = await runCli(['policy', 'disassociate', ...cluster, '--principal-arn', alice, '--policy', 'AmazonEKSEditPolicy'], { env });
    expect(removed.code).toBe(0);
    const empty = await runCli(['policy', 'list', ...cluster, '--principal-arn', alice, '-o', 'json'], { env });
    expect(JSON.parse(empty.stdout).policies).toEqual([]);
    await runCli(['entry', 'delete', ...cluster, '--principal-arn', alice], { env });
  });

  it('available lists the live policies', async () => {
    const result = await runCli(['policy', 'list', '--available', '-o', 'json'], { env });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).map((item: { name: string }) => item.name)).toContain('AmazonEKSAdminViewPolicy');
  });
});

describe('auth-mode commands', () => {
  it('one-way path with wait', async () => {
    endpoint.addCluster('legacy', { account: '123456789012', mode: 'CONFIG_MAP' });
    const legacy = ['--cluster', 'legacy'];
    const skip = await runCli(['auth-mode', 'set', ...legacy, '--mode', 'API'], { env });
    expect(skip.code).toBe(2);

    const first = await runCli(['auth-mode', 'set', ...legacy, '--mode', 'API_AND_CONFIG_MAP', '--wait'], { env });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('now API_AND_CONFIG_MAP');
    const second = await runCli(['auth-mode', 'set', ...legacy, '--mode', 'API', '--wait'], { env });
    expect(second.code).toBe(0);

    const back = await runCli(['auth-mode', 'set', ...legacy, '--mode', 'API_AND_CONFIG_MAP'], { env });
    expect(back.code).toBe(2);
    expect(back.stderr).toContain('MODE_BACKWARDS');
    const shown = await runCli(['auth-mode', 'show', ...legacy, '-o', 'json'], { env });
    expect(JSON.parse(shown.stdout).authenticationMode).toBe('API');
  });

  it('set without wait returns at once', async () => {
    endpoint.addCluster('quick', { account: '123456789012', mode: 'CONFIG_MAP' });
    const result = await runCli(['auth-mode', 'set', '--cluster', 'quick', '--mode', 'API_AND_CONFIG_MAP'], { env });
    expect(result.code).toBe(0);
    expect(endpoint.cluster('quick').mode).toBe('CONFIG_MAP');
  });
});

describe('orphan check', () => {
  it('finds deleted and re-created principals', async () => {
    endpoint.addCluster('orphans', { account: '123456789012' });
    const flags = ['--cluster', 'orphans'];
    const kept = await iam.role('kept');
    const gone = await iam.role('gone');
    const reborn = await iam.role('reborn');
    for (const arn of [kept, gone, reborn]) expect((await runCli(['entry', 'create', ...flags, '--principal-arn', arn], { env })).code).toBe(0);
    const oldId = endpoint.cluster('orphans').entries.get(reborn)?.principalId;

    await iam.deleteRole('gone');
    await iam.deleteRole('reborn');
    await iam.role('reborn');
    // The re-created role is newer than its entry. Moving the entry's time back keeps that order even
    // when both happen within one clock tick.
    const entry = endpoint.cluster('orphans').entries.get(reborn);
    if (entry) entry.createdAt = new Date(entry.createdAt.getTime() - 60_000);
    expect(await iam.resolver(reborn)).not.toBe(oldId);

    const result = await runCli(['entry', 'list', ...flags, '--check-orphans', '-o', 'json'], { env });
    expect(result.code).toBe(3);
    const orphans = JSON.parse(result.stdout).orphans.map((item: { principalArn: string; reason: string }) => [item.principalArn, item.reason]);
    expect(orphans).toEqual([[gone, 'PRINCIPAL_DELETED'], [reborn, 'PRINCIPAL_RECREATED']]);
  });
});

describe('entry export', () => {
  it('feeds the DynamicFile backend', async () => {
    endpoint.addCluster('export', { account: '123456789012' });
    const flags = ['--cluster', 'export'];
    const role = await iam.role('exported', '/apps/');
    const roleId = await iam.resolver(role);
    expect((await runCli(['entry', 'create', ...flags, '--principal-arn', role, '--username', 'app:{{SessionName}}', '--group', 'apps'], { env })).code).toBe(0);
    expect((await runCli(['entry', 'create', ...flags, '--principal-arn', alice], { env })).code).toBe(0);
    await runCli(['policy', 'associate', ...flags, '--principal-arn', alice, '--policy', 'AmazonEKSViewPolicy'], { env });

    const result = await runCli(['entry', 'export', ...flags], { env, now: new Date('2026-01-01T00:00:00Z') });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('access policies left out');
    const document = JSON.parse(result.stdout);
    expect(document.LastUpdatedDateTime).toBe('1767225600');

    const source = createDynamicFileSource({ userIdStrict: true });
    expect(source.load(result.stdout).ok).toBe(true);
    const caller = identityFromArn('arn:aws:sts::123456789012:assumed-role/exported/build-7', { userId: roleId ?? '' });
    const outcome = await mapIdentity(caller, [source]);
    expect(outcome.ok ? outcome.user.username : outcome.error).toBe('app:build-7');
    expect(outcome.ok ? outcome.user.groups : []).toEqual(['apps']);
  });
});

describe('auth-mode output', () => {
  it('shows progress on a terminal', async () => {
    endpoint.addCluster('tty', { account: '123456789012', mode: 'CONFIG_MAP' });
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
      env,
      cwd: process.cwd(),
      now: () => new Date(),
      isTTY: true,
      readStdin: async () => '',
    };
    const code = await run(['auth-mode', 'set', '--cluster', 'tty', '--mode', 'API_AND_CONFIG_MAP', '--wait'], io);
    expect(code).toBe(0);
    expect(stderr).toContain('\rupdate update-');
    expect(stderr).toContain(': Successful after');
    expect(stdout).toContain('the authentication mode is now API_AND_CONFIG_MAP');
  });

  it('speaks Chinese with --lang zh-CN', async () => {
    const result = await runCli(['--lang', 'zh-CN', 'auth-mode', 'show', '--cluster', 'tty'], { env });
    expect(result.stdout).toBe('集群 tty：认证模式 API_AND_CONFIG_MAP\n');
  });
});
