import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMoto, type Moto } from '../aws/moto.js';
import { startEksEndpoint, type EksEndpoint } from '../eks-endpoint/server.js';
import { runCli } from '../support/cli.js';
import { MotoIam } from './iam.js';
import { cliEnv } from './support.js';

const FILE = new URL('./fixtures/aws-auth.yaml', import.meta.url).pathname;
const A = 'arn:aws:iam::123456789012';
const ADMIN_POLICY = 'AmazonEKSClusterAdminPolicy';
const SSO_ROLE = 'AWSReservedSSO_ReadOnly_0123456789abcdef';

interface Move {
  from: string;
  principalArn: string;
  type: string;
  username?: string;
  kubernetesGroups: string[];
  policies: { policyArn: string }[];
  status: string;
}
type MoveRow = [from: string, principalArn: string, type: string, username: string, groups: string, policies: string, status: string];

const row = (move: Move): MoveRow => [
  move.from,
  move.principalArn,
  move.type,
  move.username ?? '',
  move.kubernetesGroups.join(','),
  move.policies.map((policy) => policy.policyArn.split('/').at(-1) ?? '').join(','),
  move.status,
];

/** The stays every plan lists, whether IAM can be asked or not. */
const COMMON_STAYS: [string, string][] = [
  ['mapAccounts[0]', 'MAP_ACCOUNTS'],
  ['mapRoles[6]', 'SERVICE_LINKED_ROLE'],
  ['mapRoles[7]', 'SYSTEM_GROUP'],
  ['mapRoles[8]', 'SESSION_NAME_COLON'],
  ['mapRoles[9]', 'SSO_PATTERN'],
];

/** Orders stays as planMigration does: by aws-auth key, then by index. */
function byEntry(left: readonly string[], right: readonly string[]): number {
  return (left[0] ?? '').localeCompare(right[0] ?? '', 'en', { numeric: true });
}

async function plan(argv: string[], env: Record<string, string>): Promise<{ code: number; moves: MoveRow[]; stays: [string, string][] }> {
  const result = await runCli(['migrate', 'plan', '--file', FILE, ...argv, '-o', 'json'], { env });
  const parsed = JSON.parse(result.stdout);
  const document = parsed.plan ?? parsed;
  return {
    code: result.code,
    moves: document.moves.map(row),
    stays: document.stays.map((item: { from: string; reason: string }) => [item.from, item.reason]),
  };
}

describe('migrate plan offline', () => {
  it('lists exactly what moves and what stays', async () => {
    const result = await plan(['--account', '123456789012'], { AWS_EC2_METADATA_DISABLED: 'true' });
    expect(result.code).toBe(0);
    expect(result.moves).toEqual<MoveRow[]>([
      ['mapRoles[0]', `${A}:role/eks-node-group-role`, 'EC2_LINUX', '', '', '', 'create'],
      ['mapRoles[1]', `${A}:role/windows-nodes`, 'EC2_WINDOWS', '', '', '', 'create'],
      ['mapRoles[2]', `${A}:role/fargate-pod-execution`, 'FARGATE_LINUX', '', '', '', 'create'],
      ['mapRoles[3]', `${A}:role/admin`, 'STANDARD', 'admin:{{SessionName}}', '', ADMIN_POLICY, 'create'],
      ['mapRoles[4]', `${A}:role/developers`, 'STANDARD', 'dev:{{SessionName}}', 'developers', '', 'create'],
      ['mapUsers[0]', `${A}:user/alice`, 'STANDARD', 'alice', 'developers', '', 'create'],
      ['mapUsers[1]', `${A}:user/bob`, 'STANDARD', 'bob', 'auditors', ADMIN_POLICY, 'create'],
      ['mapUsers[2]', `${A}:user/ghost`, 'STANDARD', 'ghost', '', '', 'create'],
    ]);
    expect(result.stays).toEqual([...COMMON_STAYS, ['mapRoles[5]', 'SSO_PATH_UNKNOWN']].sort(byEntry));
  });

  it('node role of another account stays', async () => {
    const result = await plan(['--account', '999999999999'], { AWS_EC2_METADATA_DISABLED: 'true' });
    const nodes = result.stays.filter(([, reason]) => reason === 'NODE_ROLE_OTHER_ACCOUNT').map(([from]) => from);
    expect(nodes).toEqual(['mapRoles[0]', 'mapRoles[1]', 'mapRoles[2]']);
  });

  it('needs a cluster or an account', async () => {
    const result = await runCli(['migrate', 'plan', '--file', FILE], { env: { AWS_EC2_METADATA_DISABLED: 'true' } });
    expect(result.code).toBe(2);
  });

  it('table names each reason', async () => {
    const result = await runCli(['migrate', 'plan', '--file', FILE, '--account', '123456789012'], { env: { AWS_EC2_METADATA_DISABLED: 'true' } });
    expect(result.stdout).toContain('Moves to access entries (8):');
    expect(result.stdout).toContain('Stays in aws-auth (6):');
    expect(result.stdout).toContain('mapRoles[9]: access entries take no ARN patterns');
  });
});

describe('migrate against a cluster', () => {
  let moto: Moto;
  let endpoint: EksEndpoint;
  let env: Record<string, string>;

  beforeAll(async () => {
    moto = await startMoto();
    const iam = new MotoIam(moto.url);
    for (const name of ['eks-node-group-role', 'windows-nodes', 'fargate-pod-execution', 'developers', 'ci', 'monitoring']) await iam.role(name);
    await iam.role('admin', '/platform/');
    await iam.role(SSO_ROLE, '/aws-reserved/sso.amazonaws.com/eu-west-1/');
    await iam.user('alice');
    await iam.user('bob');
    endpoint = await startEksEndpoint({ resolvePrincipal: iam.resolver });
    endpoint.addCluster('prod', { account: '123456789012' });
    env = cliEnv(endpoint, { AWS_ENDPOINT_URL_IAM: moto.url });
    // EKS creates the entry of a managed node group's role itself.
    const node = await runCli(['entry', 'create', '--cluster', 'prod', '--principal-arn', `${A}:role/eks-node-group-role`, '--type', 'EC2_LINUX'], { env });
    expect(node.code).toBe(0);
  });
  afterAll(async () => {
    await endpoint?.close();
    await moto?.close();
  });

  it('plan resolves paths through IAM', async () => {
    const result = await plan(['--cluster', 'prod'], env);
    expect(result.code).toBe(0);
    expect(result.moves).toEqual<MoveRow[]>([
      ['mapRoles[0]', `${A}:role/eks-node-group-role`, 'EC2_LINUX', '', '', '', 'exists'],
      ['mapRoles[1]', `${A}:role/windows-nodes`, 'EC2_WINDOWS', '', '', '', 'create'],
      ['mapRoles[2]', `${A}:role/fargate-pod-execution`, 'FARGATE_LINUX', '', '', '', 'create'],
      ['mapRoles[3]', `${A}:role/platform/admin`, 'STANDARD', 'admin:{{SessionName}}', '', ADMIN_POLICY, 'create'],
      ['mapRoles[4]', `${A}:role/developers`, 'STANDARD', 'dev:{{SessionName}}', 'developers', '', 'create'],
      ['mapRoles[5]', `${A}:role/aws-reserved/sso.amazonaws.com/eu-west-1/${SSO_ROLE}`, 'STANDARD', 'sso-readonly:{{SessionName}}', 'viewers', '', 'create'],
      ['mapUsers[0]', `${A}:user/alice`, 'STANDARD', 'alice', 'developers', '', 'create'],
      ['mapUsers[1]', `${A}:user/bob`, 'STANDARD', 'bob', 'auditors', ADMIN_POLICY, 'create'],
    ]);
    expect(result.stays).toEqual([...COMMON_STAYS, ['mapUsers[2]', 'PRINCIPAL_NOT_FOUND']].sort(byEntry));
  });

  it('plan works before the API is enabled', async () => {
    endpoint.addCluster('legacy', { account: '123456789012', mode: 'CONFIG_MAP' });
    const planned = await plan(['--cluster', 'legacy'], env);
    expect(planned.code).toBe(0);
    expect(planned.moves.map((move) => move[6])).toEqual(Array(8).fill('create'));
    const applied = await runCli(['migrate', 'apply', '--file', FILE, '--cluster', 'legacy'], { env });
    expect(applied.code).toBe(2);
    expect(applied.stderr).toContain('MODE_API_DISABLED');
  });

  it('apply then verify passes', async () => {
    const applied = await runCli(['migrate', 'apply', '--file', FILE, '--cluster', 'prod', '--verify', '-o', 'json'], { env });
    expect(applied.code).toBe(0);
    const document = JSON.parse(applied.stdout);
    const actions = document.applied.map((item: { action: string }) => item.action);
    expect(actions).toEqual(['unchanged', 'created', 'created', 'created', 'created', 'created', 'created', 'created']);
    const statuses = document.verified.map((item: { from: string; status: string }) => [item.from, item.status]);
    expect(statuses).toEqual([
      ['mapRoles[0]', 'equivalent'],
      ['mapRoles[1]', 'equivalent'],
      ['mapRoles[2]', 'equivalent'],
      ['mapRoles[3]', 'equivalent'],
      ['mapRoles[4]', 'same'],
      ['mapRoles[5]', 'same'],
      ['mapUsers[0]', 'same'],
      ['mapUsers[1]', 'equivalent'],
    ]);
    expect(endpoint.cluster('prod').entries.get(`${A}:role/platform/admin`)?.policies.has(`arn:aws:eks::aws:cluster-access-policy/${ADMIN_POLICY}`)).toBe(true);
  });

  it('second apply changes nothing', async () => {
    endpoint.requests.length = 0;
    const again = await runCli(['migrate', 'apply', '--file', FILE, '--cluster', 'prod', '-o', 'json'], { env });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).applied.every((item: { action: string }) => item.action === 'unchanged')).toBe(true);
    expect(endpoint.mutatingRequests()).toEqual([]);
  });

  it('conflicting entry is reported, not changed', async () => {
    const update = await runCli(['entry', 'update', '--cluster', 'prod', '--principal-arn', `${A}:user/alice`, '--username', 'someone-else'], { env });
    expect(update.code).toBe(0);
    const result = await runCli(['migrate', 'apply', '--file', FILE, '--cluster', 'prod', '--verify', '-o', 'json'], { env });
    expect(result.code).toBe(3);
    const document = JSON.parse(result.stdout);
    expect(document.applied.find((item: { principalArn: string }) => item.principalArn === `${A}:user/alice`).action).toBe('conflict');
    expect(document.verified.find((item: { from: string }) => item.from === 'mapUsers[0]').status).toBe('differs');
    expect(endpoint.cluster('prod').entries.get(`${A}:user/alice`)?.username).toBe('someone-else');
  });
});
