import { describe, expect, it } from 'vitest';
import { parseAwsAuth } from '../../awsauth/parse.js';
import { configMapYaml, readFixture } from '../../awsauth/testing.js';
import { testIdentity } from '../testing.js';
import { createAwsAuthSource } from './awsauth.js';

function source(data: Record<string, string>, ssoRoleMatch = false) {
  return createAwsAuthSource(parseAwsAuth(configMapYaml(data), { sourceName: 'aws-auth' }), { ssoRoleMatch });
}

function identity(arn: string) {
  return testIdentity({ arn });
}

const STORE = {
  mapUsers: '- userarn: arn:aws:iam::012345678912:user/matt\n  username: matlan\n  groups: [system:master, dev]\n',
  mapRoles: [
    '- sso: {permissionSetName: ViewOnlyAccess, accountID: "012345678912"}\n  username: television\n  groups: [system:nodes]',
    '- rolearn: arn:aws:iam::012345678912:role/computer\n  username: computer\n  groups: [system:nodes]\n',
  ].join('\n'),
  mapAccounts: '- 123\n',
};

describe('createAwsAuthSource store lookups', () => {
  const store = source(STORE, true);

  it('user found', () => {
    expect(store.map(identity('arn:aws:iam::012345678912:user/matt'))).toMatchObject({ kind: 'user', username: 'matlan', groups: ['system:master', 'dev'] });
  });

  it('user not found', () => {
    expect(store.map(identity('nic'))).toBeUndefined();
  });

  it('role found by its rolearn', () => {
    expect(store.map(identity('arn:aws:iam::012345678912:role/computer'))).toMatchObject({ kind: 'role', username: 'computer' });
  });

  it('role not found', () => {
    expect(store.map(identity('borg'))).toBeUndefined();
  });

  it('SSO role found', () => {
    expect(store.map(identity('arn:aws:iam::012345678912:role/AWSReservedSSO_ViewOnlyAccess_123123123'))).toMatchObject({ username: 'television' });
  });

  it.each([
    ['123', true],
    ['345', false],
  ])('account %s', (account, allowed) => {
    expect(store.isAccountAllowed(account)).toBe(allowed);
  });

  it('origin names the entry line', () => {
    expect(store.map(identity('arn:aws:iam::012345678912:user/matt'))?.origin).toEqual({ source: 'aws-auth', key: 'mapUsers', index: 0, line: 8 });
  });

  it('user ARN matches in any case', () => {
    const shanice = source({ mapUsers: '- userarn: arn:aws:iam::012345678912:user/Shanice\n  username: s\n' });
    expect(shanice.map(identity('arn:aws:iam::012345678912:user/shanice'))).toBeDefined();
    expect(shanice.map(identity('arn:aws:iam::012345678912:user/notShanice'))).toBeUndefined();
  });
});

describe('createAwsAuthSource reload', () => {
  const first = source({
    mapUsers: '-\n  userarn: "arn:iam:matlan"\n  username: matlan\n  groups:\n    - loadedfromconfigmap\n    - "system:master"\n-\n  groups:\n    - "system:master"\n  userarn: "arn:aws:iam::012345678912:user/NIC"\n  username: nic\n',
    mapRoles: '- rolearn: "arn:iam:123:role/me"\n  username: "{{Session}}"\n  groups:\n    - system:nodes\n',
    mapAccounts: '- 123\n- 345\n',
  });
  const second = source({
    mapUsers: '-\n  groups:\n    - "system:master"\n    - "test"\n  userarn: "arn:aws:iam::012345678912:user/NIC"\n  username: nic\n- userarn: "arn:iam:beswar"\n  username: beswar\n  groups:\n    - "system:master"\n- userarn: "arn:iam:nogroups"\n  username: nogroups\n',
    mapRoles: '- rolearn: "arn:iam:123:role/me"\n  username: "{{Session}}"\n  groups:\n    - system:nodes\n- rolearn: "arn:iam:123:role/you"\n  username: "test"\n  groups:\n    - system:nodes\n',
    mapAccounts: '- 567\n',
  });

  it('first load', () => {
    expect([first.isAccountAllowed('123'), first.isAccountAllowed('345')]).toEqual([true, true]);
    expect(first.map(identity('arn:aws:iam::012345678912:user/NIC'))).toMatchObject({ username: 'nic', groups: ['system:master'] });
  });

  it('second load replaces everything', () => {
    expect([second.isAccountAllowed('345'), second.isAccountAllowed('567')]).toEqual([false, true]);
    expect(second.map(identity('arn:aws:iam::012345678912:user/NIC'))).toMatchObject({ groups: ['system:master', 'test'] });
    expect(second.map(identity('arn:iam:beswar'))).toMatchObject({ username: 'beswar', groups: ['system:master'] });
    expect(second.map(identity('arn:iam:matlan'))).toBeUndefined();
  });
});

describe('createAwsAuthSource fixtures', () => {
  const node = identity('arn:aws:iam::555555555555:role/devel-worker-nodes-NodeInstanceRole-74RF4UBDUKL6');
  const admin = identity('arn:aws:iam::555555555555:user/admin');

  it.each(['aws-auth.yaml', 'aws-auth-crazy-case-keys.yaml', 'aws-auth-open-source-case-keys.yaml'])('%s maps all three', (name) => {
    const fixture = createAwsAuthSource(parseAwsAuth(readFixture(name), { sourceName: name }));
    expect(fixture.map(node)).toMatchObject({ username: 'system:node:{{EC2PrivateDNSName}}', groups: ['system:bootstrappers', 'system:nodes'] });
    expect(fixture.map(admin)).toMatchObject({ username: 'admin', groups: ['system:masters'] });
    expect(fixture.isAccountAllowed('555555555555')).toBe(true);
  });

  it.each(['aws-auth-lower-case-top-keys.yaml', 'aws-auth-crazy-case-top-keys.yaml', 'aws-auth-missing-bar.yaml'])('%s maps nothing', (name) => {
    const fixture = createAwsAuthSource(parseAwsAuth(readFixture(name), { sourceName: name }));
    expect([fixture.map(node), fixture.map(admin), fixture.isAccountAllowed('555555555555')]).toEqual([undefined, undefined, false]);
  });
});

const ROLE = 'arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0123abcd';
const SSO_ADMIN = '- sso: {permissionSetName: Admin, accountID: "111122223333"}\n  username: sso-admin\n';
const EXACT = `- rolearn: ${ROLE}\n  username: exact\n`;

describe('createAwsAuthSource precedence', () => {
  it.each([
    ['exact first', `${EXACT}${SSO_ADMIN}`],
    ['exact last', `${SSO_ADMIN}${EXACT}`],
  ])('exact entry beats SSO pattern (%s)', (_name, mapRoles) => {
    expect(source({ mapRoles }, true).map(identity(ROLE))?.username).toBe('exact');
  });

  it('first SSO pattern in file order wins', () => {
    const mapRoles = `${SSO_ADMIN}- sso: {permissionSetName: Adm, accountID: "111122223333"}\n  username: second\n`;
    expect(source({ mapRoles }, true).map(identity(ROLE))?.username).toBe('sso-admin');
  });

  it('SSO entries need the feature gate', () => {
    expect(source({ mapRoles: SSO_ADMIN }).map(identity(ROLE))).toBeUndefined();
  });

  it('SSO entry with a partition matches in kubeiam', () => {
    const mapRoles = '- sso: {permissionSetName: Admin, accountID: "111122223333", partition: aws}\n  username: sso-admin\n';
    expect(source({ mapRoles }, true).map(identity(ROLE))?.username).toBe('sso-admin');
  });

  it('last duplicate wins without merging groups', () => {
    const mapRoles = `- rolearn: ${ROLE}\n  username: first\n  groups: [a]\n- rolearn: ${ROLE}\n  username: last\n  groups: [b]\n`;
    expect(source({ mapRoles }).map(identity(ROLE))).toMatchObject({ username: 'last', groups: ['b'] });
  });

  it('later user ARN differing in case wins', () => {
    const mapUsers = '- userarn: arn:aws:iam::1:user/Bob\n  username: first\n- userarn: arn:aws:iam::1:user/bob\n  username: second\n';
    expect(source({ mapUsers }).map(identity('arn:aws:iam::1:user/Bob'))?.username).toBe('second');
  });

  it('roles before users', () => {
    const data = { mapRoles: '- rolearn: arn:aws:iam::1:user/bob\n  username: from-roles\n', mapUsers: '- userarn: arn:aws:iam::1:user/bob\n  username: from-users\n' };
    expect(source(data).map(identity('arn:aws:iam::1:user/bob'))?.username).toBe('from-roles');
  });

  it.each([
    ['path', 'arn:aws:iam::1:role/team/admin'],
    ['session ARN', 'arn:aws:sts::1:assumed-role/admin/s'],
  ])('configured %s is not canonicalised', (_name, rolearn) => {
    expect(source({ mapRoles: `- rolearn: ${rolearn}\n  username: a\n` }).map(identity('arn:aws:iam::1:role/admin'))).toBeUndefined();
  });

  it('reserved prefixes and name are configurable', () => {
    const configured = createAwsAuthSource(parseAwsAuth('', { sourceName: 'x' }), { name: 'cm', reservedPrefixes: ['system:', 'eks:'] });
    expect([configured.name, configured.reservedPrefixes]).toEqual(['cm', ['system:', 'eks:']]);
  });

  it('reserved prefixes default to none', () => {
    expect(createAwsAuthSource(parseAwsAuth('', { sourceName: 'x' })).reservedPrefixes).toEqual([]);
  });
});
