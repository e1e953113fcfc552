import { describe, expect, it } from 'vitest';
import {
  checkClusterName,
  checkGroups,
  checkModeTransition,
  checkNodeTypeFields,
  checkPolicy,
  checkPrincipalArn,
  checkScope,
  checkUsername,
  checkEntryType,
  rolePath,
} from './rules.js';
import { validateAssociate, validateCreate } from './validate.js';
import type { AuthenticationMode } from './types.js';

const codes = (problems: readonly { code: string }[]): string[] => problems.map((problem) => problem.code);

describe('checkPrincipalArn', () => {
  it.each([
    ['arn:aws:iam::111122223333:user/alice', []],
    ['arn:aws:iam::111122223333:role/team/dev', []],
    ['arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef', []],
    ['arn:aws:sts::111122223333:assumed-role/dev/alice', ['PRINCIPAL_STS_SESSION']],
    ['arn:aws:sts::111122223333:federated-user/bob', ['PRINCIPAL_STS_SESSION']],
    ['arn:aws:iam::111122223333:root', ['PRINCIPAL_NOT_USER_OR_ROLE']],
    ['arn:aws:iam::111122223333:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS', ['PRINCIPAL_SERVICE_LINKED_ROLE']],
    ['arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0123456789abcdef', ['PRINCIPAL_SSO_PATH_MISSING']],
    ['arn:aws:iam::1234:role/dev', ['PRINCIPAL_ARN_INVALID']],
    ['role/dev', ['PRINCIPAL_ARN_INVALID']],
    ['arn:aws:s3:::bucket', ['PRINCIPAL_ARN_INVALID']],
  ])('principal %s', (arn, expected) => {
    expect(codes(checkPrincipalArn(arn))).toEqual(expected);
  });

  it('STS session message names the role ARN', () => {
    expect(checkPrincipalArn('arn:aws:sts::111122223333:assumed-role/dev/alice')[0]?.message).toContain('arn:aws:iam::111122223333:role/dev');
  });

  it('SSO message names the path to add', () => {
    expect(checkPrincipalArn('arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0123')[0]?.message).toContain('role/aws-reserved/sso.amazonaws.com/');
  });
});

describe('checkUsername', () => {
  it.each([
    ['alice', []],
    ['dev:{{SessionName}}', []],
    [':{{SessionName}}', []],
    ['{{SessionNameRaw}}', []],
    ['', ['USERNAME_EMPTY']],
    ['system:alice', ['USERNAME_RESERVED_PREFIX']],
    ['eks:alice', ['USERNAME_RESERVED_PREFIX']],
    ['aws:alice', ['USERNAME_RESERVED_PREFIX']],
    ['amazon:alice', ['USERNAME_RESERVED_PREFIX']],
    ['iam:alice', ['USERNAME_RESERVED_PREFIX']],
    ['{{SessionName}}', ['USERNAME_SESSION_NAME_COLON']],
    ['dev-{{SessionName}}:x', ['USERNAME_SESSION_NAME_COLON']],
  ])('username %j', (username, expected) => {
    expect(codes(checkUsername(username))).toEqual(expected);
  });

  it('no username is valid', () => {
    expect(checkUsername(undefined)).toEqual([]);
  });
});

describe('checkGroups', () => {
  it.each([
    [['dev', 'ops'], []],
    [['dev', 'dev'], ['GROUP_DUPLICATE']],
    [[''], ['GROUP_EMPTY']],
    [['system:masters'], ['GROUP_SYSTEM_MASTERS']],
    [['system:nodes'], ['GROUP_SYSTEM_PREFIX']],
  ])('groups %j', (groups, expected) => {
    expect(codes(checkGroups(groups))).toEqual(expected);
  });

  it('system:masters message suggests the admin policy', () => {
    expect(checkGroups(['system:masters'])[0]?.message).toContain('AmazonEKSClusterAdminPolicy');
  });
});

describe('checkNodeTypeFields', () => {
  const role = 'arn:aws:iam::111122223333:role/nodes';
  it.each([
    ['EC2_LINUX', role, undefined, [], '111122223333', []],
    ['FARGATE_LINUX', 'arn:aws:iam::111122223333:user/nodes', undefined, [], '111122223333', ['NODE_TYPE_NOT_ROLE']],
    ['EC2_WINDOWS', 'arn:aws:iam::444455556666:role/nodes', undefined, [], '111122223333', ['NODE_TYPE_OTHER_ACCOUNT']],
    ['HYBRID_LINUX', role, undefined, ['dev'], '111122223333', ['NODE_TYPE_GROUPS']],
    ['EC2', role, 'node', [], '111122223333', ['NODE_TYPE_USERNAME']],
    ['STANDARD', role, 'node', ['dev'], '444455556666', []],
  ])('%s for %s', (type, principalArn, username, groups, account, expected) => {
    expect(codes(checkNodeTypeFields({ principalArn, type, username, kubernetesGroups: groups, clusterAccount: account }))).toEqual(expected);
  });
});

describe('checkEntryType', () => {
  it.each([[undefined, []], ['STANDARD', []], ['HYPERPOD_LINUX', []], ['standard', ['TYPE_INVALID']], ['EC2_MAC', ['TYPE_INVALID']]])('type %s', (type, expected) => {
    expect(codes(checkEntryType(type))).toEqual(expected);
  });
});

describe('checkPolicy', () => {
  it.each([
    ['AmazonEKSViewPolicy', []],
    ['arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy', []],
    ['arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSEditPolicy', []],
    ['arn:aws:iam::aws:policy/AdministratorAccess', ['POLICY_ARN_INVALID']],
    ['view policy', ['POLICY_ARN_INVALID']],
  ])('policy %s', (policy, expected) => {
    expect(codes(checkPolicy(policy))).toEqual(expected);
  });
});

describe('checkScope', () => {
  it.each([
    ['cluster', [], []],
    ['namespace', ['default', 'dev-*'], []],
    ['cluster', ['default'], ['SCOPE_CLUSTER_NAMESPACES']],
    ['namespace', [], ['SCOPE_NAMESPACES_MISSING']],
    ['account', [], ['SCOPE_TYPE_INVALID']],
    ['namespace', ['Dev'], ['SCOPE_NAMESPACE_INVALID']],
    ['namespace', ['*'], ['SCOPE_NAMESPACE_INVALID']],
    ['namespace', ['dev*x'], ['SCOPE_NAMESPACE_INVALID']],
    ['namespace', ['a', 'a'], ['SCOPE_NAMESPACE_DUPLICATE']],
  ])('%s scope %j', (type, namespaces, expected) => {
    expect(codes(checkScope(type, namespaces))).toEqual(expected);
  });
});

describe('checkModeTransition', () => {
  it.each<[AuthenticationMode, AuthenticationMode, string[]]>([
    ['CONFIG_MAP', 'API_AND_CONFIG_MAP', []],
    ['API_AND_CONFIG_MAP', 'API', []],
    ['CONFIG_MAP', 'API', ['MODE_SKIPS_MIGRATION']],
    ['API', 'API_AND_CONFIG_MAP', ['MODE_BACKWARDS']],
    ['API_AND_CONFIG_MAP', 'CONFIG_MAP', ['MODE_BACKWARDS']],
    ['API', 'API', ['MODE_UNCHANGED']],
  ])('%s to %s', (from, to, expected) => {
    expect(codes(checkModeTransition(from, to))).toEqual(expected);
  });
});

describe('validate', () => {
  it('create node type skips username rules', () => {
    expect(codes(validateCreate({ principalArn: 'arn:aws:iam::111122223333:role/n', type: 'EC2_LINUX', username: 'system:x' }))).toEqual(['NODE_TYPE_USERNAME']);
  });

  it('associate on node type rejected', () => {
    const request = { principalArn: 'arn:aws:iam::111122223333:role/n', policy: 'AmazonEKSViewPolicy', scope: 'cluster', namespaces: [] };
    expect(codes(validateAssociate(request, 'FARGATE_LINUX'))).toEqual(['NODE_TYPE_POLICY']);
  });

  it('cluster name rules', () => {
    expect(codes(checkClusterName('-bad'))).toEqual(['CLUSTER_NAME_INVALID']);
  });

  it('rolePath keeps nested paths', () => {
    expect(rolePath('arn:aws:iam::111122223333:role/a/b/Name')).toBe('a/b/');
  });
});
