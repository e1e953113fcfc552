import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { startEksEndpoint, type EksEndpoint } from '../eks-endpoint/server.js';
import { cliEnv } from './support.js';

const ACCOUNT = '111122223333';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/team/dev`;
const NODE_ROLE = `arn:aws:iam::${ACCOUNT}:role/nodes`;
const OTHER_ROLE = `arn:aws:iam::${ACCOUNT}:role/other`;
const cluster = ['--cluster', 'prod'];

let endpoint: EksEndpoint;
let env: Record<string, string>;

beforeAll(async () => {
  endpoint = await startEksEndpoint();
  endpoint.addCluster('prod', { account: ACCOUNT });
  env = cliEnv(endpoint);
});
afterAll(() => endpoint.close());
beforeEach(() => {
  endpoint.requests.length = 0;
});

/** Each documented rule: the arguments that break it, and the code kubeiam reports before any call. */
const NO_CALL_CASES: readonly (readonly [string, readonly string[], string])[] = [
  ['STS session ARN', ['entry', 'create', ...cluster, '--principal-arn', `arn:aws:sts::${ACCOUNT}:assumed-role/dev/alice`], 'PRINCIPAL_STS_SESSION'],
  ['root ARN', ['entry', 'create', ...cluster, '--principal-arn', `arn:aws:iam::${ACCOUNT}:root`], 'PRINCIPAL_NOT_USER_OR_ROLE'],
  ['service-linked role', ['entry', 'create', ...cluster, '--principal-arn', `arn:aws:iam::${ACCOUNT}:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS`], 'PRINCIPAL_SERVICE_LINKED_ROLE'],
  ['SSO role without path', ['entry', 'create', ...cluster, '--principal-arn', `arn:aws:iam::${ACCOUNT}:role/AWSReservedSSO_Admin_0123456789abcdef`], 'PRINCIPAL_SSO_PATH_MISSING'],
  ['malformed ARN', ['entry', 'create', ...cluster, '--principal-arn', 'role/dev'], 'PRINCIPAL_ARN_INVALID'],
  ['unknown type', ['entry', 'create', ...cluster, '--principal-arn', ROLE, '--type', 'EC2_MAC'], 'TYPE_INVALID'],
  ['node type with user', ['entry', 'create', ...cluster, '--principal-arn', `arn:aws:iam::${ACCOUNT}:user/n`, '--type', 'EC2_LINUX'], 'NODE_TYPE_NOT_ROLE'],
  ['node type with group', ['entry', 'create', ...cluster, '--principal-arn', NODE_ROLE, '--type', 'EC2_LINUX', '--group', 'nodes'], 'NODE_TYPE_GROUPS'],
  ['node type with username', ['entry', 'create', ...cluster, '--principal-arn', NODE_ROLE, '--type', 'FARGATE_LINUX', '--username', 'node'], 'NODE_TYPE_USERNAME'],
  ['reserved username system:', ['entry', 'create', ...cluster, '--principal-arn', ROLE, '--username', 'system:admin'], 'USERNAME_RESERVED_PREFIX'],
  ['reserved username eks:', ['entry', 'create', ...cluster, '--principal-arn', ROLE, '--username', 'eks:admin'], 'USERNAME_RESERVED_PREFIX'],
  ['reserved username aws:', ['entry', 'create', ...cluster, '--principal-arn', ROLE, '--username', 'aws:admin'], 'USERNAME_RESERVED_PREFIX'],
  ['reserved username amazon:', ['entry', 'create', ...cluster, '--principal-arn', ROLE, '--username', 'amazon:admin'], 'USERNAME_RESERVED_PREFIX'],
  ['reserved username iam:', ['entry', 'create', ...cluster, '--principal-arn', ROLE, '--username', 'iam:admin'], 'USERNAME_RESERVED_PREFIX'],
  ['SessionName without colon', ['entry', 'create', ...cluster, '--principal-arn', ROLE, '--username', 'dev-{{SessionName}}'], 'USERNAME_SESSION_NAME_COLON'],
  ['system:masters group', ['entry', 'create', ...cluster, '--principal-arn', ROLE, '--group', 'system:masters'], 'GROUP_SYSTEM_MASTERS'],
  ['other system: group', ['entry', 'create', ...cluster, '--principal-arn', ROLE, '--group', 'system:nodes'], 'GROUP_SYSTEM_PREFIX'],
  ['duplicate group', ['entry', 'create', ...cluster, '--principal-arn', ROLE, '--group', 'dev', '--group', 'dev'], 'GROUP_DUPLICATE'],
  ['update to reserved username', ['entry', 'update', ...cluster, '--principal-arn', ROLE, '--username', 'system:admin'], 'USERNAME_RESERVED_PREFIX'],
  ['update to system:masters', ['entry', 'update', ...cluster, '--principal-arn', ROLE, '--group', 'system:masters'], 'GROUP_SYSTEM_MASTERS'],
  ['policy IAM ARN', ['policy', 'associate', ...cluster, '--principal-arn', ROLE, '--policy', 'arn:aws:iam::aws:policy/AdministratorAccess'], 'POLICY_ARN_INVALID'],
  ['scope type', ['policy', 'associate', ...cluster, '--principal-arn', ROLE, '--policy', 'AmazonEKSViewPolicy', '--scope', 'account'], 'SCOPE_TYPE_INVALID'],
  ['cluster scope with namespace', ['policy', 'associate', ...cluster, '--principal-arn', ROLE, '--policy', 'AmazonEKSViewPolicy', '--namespace', 'dev'], 'SCOPE_CLUSTER_NAMESPACES'],
  ['namespace scope without namespace', ['policy', 'associate', ...cluster, '--principal-arn', ROLE, '--policy', 'AmazonEKSViewPolicy', '--scope', 'namespace'], 'SCOPE_NAMESPACES_MISSING'],
  ['invalid namespace', ['policy', 'associate', ...cluster, '--principal-arn', ROLE, '--policy', 'AmazonEKSViewPolicy', '--scope', 'namespace', '--namespace', 'Dev_*'], 'SCOPE_NAMESPACE_INVALID'],
  ['unknown mode', ['auth-mode', 'set', ...cluster, '--mode', 'IAM'], 'MODE_INVALID'],
  ['invalid cluster name', ['entry', 'list', '--cluster', '-prod'], 'CLUSTER_NAME_INVALID'],
];

describe('rules before any call', () => {
  it.each(NO_CALL_CASES)('%s', async (_name, argv, code) => {
    const result = await runCli(argv, { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`[${code}]`);
    expect(endpoint.requests).toEqual([]);
  });

  it('message names the value and fix', async () => {
    const result = await runCli(['entry', 'create', ...cluster, '--principal-arn', ROLE, '--username', 'dev-{{SessionName}}'], { env });
    expect(result.stderr).toContain("username 'dev-{{SessionName}}' needs a colon before {{SessionName}}");
    expect(result.stderr).toContain("'dev-:{{SessionName}}'");
  });
});

/** Rules that need a fact from the cluster: only reads may reach the endpoint, never the change. */
describe('rules after reads only', () => {
  beforeAll(async () => {
    const node = await runCli(['entry', 'create', ...cluster, '--principal-arn', NODE_ROLE, '--type', 'EC2_LINUX'], { env });
    const standard = await runCli(['entry', 'create', ...cluster, '--principal-arn', OTHER_ROLE], { env });
    expect([node.code, standard.code]).toEqual([0, 0]);
    endpoint.addCluster('legacy', { account: ACCOUNT, mode: 'CONFIG_MAP' });
  });

  it.each([
    ['policy on node entry', ['policy', 'associate', ...cluster, '--principal-arn', NODE_ROLE, '--policy', 'AmazonEKSViewPolicy'], 'NODE_TYPE_POLICY'],
    ['policy not in live list', ['policy', 'associate', ...cluster, '--principal-arn', OTHER_ROLE, '--policy', 'AmazonEKSMadeUpPolicy'], 'POLICY_UNKNOWN'],
    ['group on node entry', ['entry', 'update', ...cluster, '--principal-arn', NODE_ROLE, '--group', 'dev'], 'NODE_TYPE_GROUPS'],
    ['node role of other account', ['entry', 'create', ...cluster, '--principal-arn', 'arn:aws:iam::444455556666:role/nodes', '--type', 'EC2_LINUX'], 'NODE_TYPE_OTHER_ACCOUNT'],
    ['mode skips a step', ['auth-mode', 'set', '--cluster', 'legacy', '--mode', 'API'], 'MODE_SKIPS_MIGRATION'],
    ['mode backwards', ['auth-mode', 'set', ...cluster, '--mode', 'CONFIG_MAP'], 'MODE_BACKWARDS'],
    ['mode unchanged', ['auth-mode', 'set', ...cluster, '--mode', 'API_AND_CONFIG_MAP'], 'MODE_UNCHANGED'],
    ['entries on CONFIG_MAP cluster', ['entry', 'create', '--cluster', 'legacy', '--principal-arn', ROLE], 'MODE_API_DISABLED'],
  ])('%s', async (_name, argv, code) => {
    const result = await runCli(argv, { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`[${code}]`);
    expect(endpoint.mutatingRequests()).toEqual([]);
  });
});
