import { describe, expect, it } from 'vitest';
import { testIdentity } from '../testing.js';
import { createMountedSource } from './mounted.js';

const CONFIG = {
  mapRoles: [
    { rolearn: 'arn:aws:iam::012345678910:role/test-role', username: 'shreyas', groups: ['system:masters'] },
    { sso: { permissionSetName: 'CookieCutterPermissions', accountID: '012345678910' }, username: 'cookie-cutter', groups: ['system:masters'] },
    { rolearn: 'arn:aws:sts::012345678910:assumed-role/test-assumed-role/session-name', username: 'test', groups: ['system:masters'] },
  ],
  mapUsers: [{ userarn: 'arn:aws:iam::012345678910:user/donald', username: 'donald', groups: ['system:masters'] }],
  mapAccounts: ['000000000000'],
  ssoRoleMatch: true,
};

describe('createMountedSource', () => {
  const source = createMountedSource(CONFIG);

  it('role keys', () => {
    expect(source.roleKeys).toEqual([
      'arn:aws:iam::012345678910:role/test-role',
      'arn:aws:iam::012345678910:role/awsreservedsso_cookiecutterpermissions_*',
      'arn:aws:iam::012345678910:role/test-assumed-role',
    ]);
  });

  it('assumed-role entry is stored as its role', () => {
    expect(source.roles[2]?.rolearn).toBe('arn:aws:iam::012345678910:role/test-assumed-role');
  });

  it('user keys', () => {
    expect(source.userKeys).toEqual(['arn:aws:iam::012345678910:user/donald']);
  });

  it('accounts', () => {
    expect([source.isAccountAllowed('000000000000'), source.isAccountAllowed('012345678910')]).toEqual([true, false]);
  });

  it.each([
    ['arn:aws:iam::012345678910:role/test-role', 'shreyas'],
    ['arn:aws:iam::012345678910:role/awsreservedsso_cookiecutterpermissions_123123123', 'cookie-cutter'],
    ['arn:aws:iam::012345678910:user/donald', 'donald'],
    ['arn:aws:iam::012345678910:role/test-assumed-role', 'test'],
    ['arn:aws:iam::012345678910:user/Donald', 'donald'],
  ])('maps %s', (arn, username) => {
    expect(source.map(testIdentity({ arn }))).toMatchObject({ username, groups: ['system:masters'] });
  });

  it('role with a path never matches', () => {
    const withPath = createMountedSource({ mapRoles: [{ rolearn: 'arn:aws:iam::1:role/team/admin', username: 'a' }] });
    expect(withPath.map(testIdentity({ arn: 'arn:aws:iam::1:role/admin' }))).toBeUndefined();
  });

  it.each([
    ['invalid role ARN', { mapRoles: [{ rolearn: 'not an arn', username: 'a' }] }, "MountedFile: mapRoles[0]: arn 'not an arn' is invalid"],
    ['upper-case partition', { mapRoles: [{ rolearn: 'arn:AWS:iam::1:role/a', username: 'a' }] }, 'does not have a recognized partition'],
    ['role without target', { mapRoles: [{ username: 'a' }] }, 'one of rolearn or SSO must be supplied'],
    ['user without ARN', { mapUsers: [{ username: 'a' }] }, 'value for userarn must be supplied'],
    ['invalid user ARN', { mapUsers: [{ userarn: 'bob', username: 'a' }] }, 'error canonicalizing ARN:'],
  ])('rejects %s', (_name, config, message) => {
    expect(() => createMountedSource(config)).toThrow(message);
  });

  it('later duplicate wins', () => {
    const duplicates = createMountedSource({
      mapRoles: [
        { rolearn: 'arn:aws:iam::1:role/a', username: 'first' },
        { rolearn: 'arn:aws:iam::1:role/A', username: 'second' },
      ],
    });
    expect(duplicates.map(testIdentity({ arn: 'arn:aws:iam::1:role/a' }))?.username).toBe('second');
  });
});
