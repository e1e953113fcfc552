import { describe, expect, it } from 'vitest';
import { parseAwsAuth } from '../awsauth/parse.js';
import { mapIdentity } from './chain.js';
import { createAwsAuthSource } from './sources/awsauth.js';
import { createMountedSource } from './sources/mounted.js';
import { testIdentity } from './testing.js';
import type { MapOutcome, MappedUser, MappingSource } from './types.js';

function userOf(outcome: MapOutcome): MappedUser {
  if (!outcome.ok) throw new Error(`expected a mapped user, got: ${outcome.error}`);
  return outcome.user;
}

function errorOf(outcome: MapOutcome): string {
  if (outcome.ok) throw new Error(`expected a denial, got user ${outcome.user.username}`);
  return outcome.error;
}

const ACCOUNT = '0123456789012';
const ROLE_IDENTITY = testIdentity({
  arn: `arn:aws:iam::${ACCOUNT}:role/Test`,
  accountId: ACCOUNT,
  userId: 'Test',
  sessionName: 'TestSession',
  accessKeyId: 'ABCDEF',
});
const USER_IDENTITY = testIdentity({ arn: `arn:aws:iam::${ACCOUNT}:user/Test`, accountId: ACCOUNT, userId: 'Test' });

function emptySource(name: string): MappingSource {
  return createAwsAuthSource(parseAwsAuth('', { sourceName: name }), { name });
}

function failingSource(name: string, message: string, accounts: string[] = []): MappingSource {
  return {
    name,
    reservedPrefixes: [],
    map: () => {
      throw new Error(message);
    },
    isAccountAllowed: (account) => accounts.includes(account),
  };
}

describe('mapIdentity', () => {
  it('role mapping', async () => {
    const source = createMountedSource({ mapRoles: [{ rolearn: `arn:aws:iam::${ACCOUNT}:role/test`, username: 'TestUser', groups: ['sys:admin', 'listers'] }] });
    const outcome = await mapIdentity(ROLE_IDENTITY, [source]);
    expect(outcome).toMatchObject({ ok: true, user: { username: 'TestUser', groups: ['sys:admin', 'listers'], source: 'MountedFile', kind: 'role' } });
  });

  it('user mapping', async () => {
    const source = createMountedSource({ mapUsers: [{ userarn: `arn:aws:iam::${ACCOUNT}:user/test`, username: 'TestUser', groups: ['sys:admin', 'listers'] }] });
    expect(await mapIdentity(USER_IDENTITY, [source])).toMatchObject({ ok: true, user: { username: 'TestUser', kind: 'user' } });
  });

  it.each([
    ['alone', [] as MappingSource[]],
    ['after an empty source', [emptySource('EKSConfigMap')]],
  ])('account mapping %s', async (_name, before) => {
    const sources = [...before, createMountedSource({ mapAccounts: [ACCOUNT] })];
    expect(await mapIdentity(USER_IDENTITY, sources)).toEqual({
      ok: true,
      user: { username: `arn:aws:iam::${ACCOUNT}:user/Test`, groups: [], source: 'MountedFile', kind: 'account' },
    });
  });

  it('account mapping of an assumed role uses the role ARN', async () => {
    const identity = testIdentity({ arn: `arn:aws:iam::${ACCOUNT}:assumed-role/Test/extra`, canonicalArn: `arn:aws:iam::${ACCOUNT}:role/Test`, accountId: ACCOUNT });
    const outcome = await mapIdentity(identity, [createMountedSource({ mapAccounts: [ACCOUNT] })]);
    expect(userOf(outcome).username).toBe(`arn:aws:iam::${ACCOUNT}:role/Test`);
  });

  it('node mapping renders the EC2 name', async () => {
    const source = createMountedSource({
      mapRoles: [{ rolearn: `arn:aws:iam::${ACCOUNT}:role/TestNodeRole`, username: 'system:node:{{EC2PrivateDNSName}}', groups: ['system:nodes', 'system:bootstrappers'] }],
    });
    const identity = testIdentity({ arn: `arn:aws:iam::${ACCOUNT}:role/TestNodeRole`, accountId: ACCOUNT, userId: 'TestNodeRole', sessionName: 'i-0c6f21bf1f24f9708' });
    const lookups: string[] = [];
    const outcome = await mapIdentity(identity, [source], {
      lookupPrivateDns: async (id) => {
        lookups.push(id);
        return 'ip-172-31-27-14';
      },
    });
    expect(outcome).toMatchObject({ ok: true, user: { username: 'system:node:ip-172-31-27-14', groups: ['system:nodes', 'system:bootstrappers'] } });
    expect(lookups).toEqual(['i-0c6f21bf1f24f9708']);
  });

  it('empty identity without sources is not mapped', async () => {
    expect(await mapIdentity(testIdentity({ arn: '' }), [])).toEqual({ ok: false, error: 'identity is not mapped', code: 'NOT_MAPPED' });
  });

  it('render error denies and stops the chain', async () => {
    const first = createMountedSource({ name: 'First', mapRoles: [{ rolearn: ROLE_IDENTITY.arn, username: 'system:node:{{EC2PrivateDNSName}}' }] });
    const second = createMountedSource({ name: 'Second', mapRoles: [{ rolearn: ROLE_IDENTITY.arn, username: 'fallback' }] });
    expect(await mapIdentity(ROLE_IDENTITY, [first, second])).toEqual({
      ok: false,
      code: 'RENDER_ERROR',
      error: 'mapper First renderTemplates error: error rendering username template "system:node:{{EC2PrivateDNSName}}": SessionName did not contain an instance id',
    });
  });

  it('group render error names the group', async () => {
    const source = createMountedSource({ mapRoles: [{ rolearn: ROLE_IDENTITY.arn, username: 'u', groups: ['g-{{EC2PrivateDNSName}}'] }] });
    const outcome = await mapIdentity(ROLE_IDENTITY, [source]);
    expect(errorOf(outcome)).toContain('error rendering group template "g-{{EC2PrivateDNSName}}"');
  });

  it.each([
    ['system:masters', true],
    ['test', false],
    ['eksb:test', false],
    ['eks:test', true],
  ])('reserved prefixes with username %s', async (username, denied) => {
    const source = createMountedSource({
      mapRoles: [{ rolearn: ROLE_IDENTITY.arn, username }],
      reservedPrefixes: ['aws:', 'eks:', 'amazon:', 'iam:', 'system:'],
    });
    const outcome = await mapIdentity(ROLE_IDENTITY, [source]);
    expect(outcome.ok).toBe(!denied);
    if (!outcome.ok) {
      expect(outcome.error).toBe(
        `invalid username '${username}' for mapper MountedFile: username must not begin with with the following prefixes: [aws: eks: amazon: iam: system:]`,
      );
    }
  });

  it('reserved prefix is checked after rendering', async () => {
    const source = createMountedSource({ mapRoles: [{ rolearn: ROLE_IDENTITY.arn, username: '{{SessionName}}' }], reservedPrefixes: ['Test'] });
    expect((await mapIdentity(ROLE_IDENTITY, [source])).ok).toBe(false);
  });

  it('account allow-list skips the reserved prefix check', async () => {
    const source = createMountedSource({ mapAccounts: [ACCOUNT], reservedPrefixes: ['arn:'] });
    expect((await mapIdentity(ROLE_IDENTITY, [source])).ok).toBe(true);
  });

  it('map error is overridden by the same source account list', async () => {
    const outcome = await mapIdentity(ROLE_IDENTITY, [failingSource('DynamicFile', 'ARN does not match User ID', [ACCOUNT])]);
    expect(outcome).toMatchObject({ ok: true, user: { kind: 'account', source: 'DynamicFile' } });
  });

  it('map errors are aggregated', async () => {
    const outcome = await mapIdentity(ROLE_IDENTITY, [failingSource('A', 'one'), failingSource('B', 'two')]);
    expect(outcome).toEqual({ ok: false, code: 'MAP_ERRORS', error: '[mapper A Map error: one, mapper B Map error: two]' });
  });

  it('single map error is reported alone', async () => {
    expect(await mapIdentity(ROLE_IDENTITY, [failingSource('A', 'one')])).toMatchObject({ error: 'mapper A Map error: one' });
  });

  it('map error does not stop a later mapping', async () => {
    const later = createMountedSource({ mapRoles: [{ rolearn: ROLE_IDENTITY.arn, username: 'later' }] });
    expect(await mapIdentity(ROLE_IDENTITY, [failingSource('A', 'one'), later])).toMatchObject({ ok: true, user: { username: 'later' } });
  });

  it('earlier account list beats a later explicit mapping', async () => {
    const accounts = createMountedSource({ name: 'Accounts', mapAccounts: [ACCOUNT] });
    const explicit = createMountedSource({ name: 'Explicit', mapRoles: [{ rolearn: ROLE_IDENTITY.arn, username: 'explicit' }] });
    expect(await mapIdentity(ROLE_IDENTITY, [accounts, explicit])).toMatchObject({ ok: true, user: { source: 'Accounts', kind: 'account' } });
  });

  it('first source with a mapping decides', async () => {
    const first = createMountedSource({ name: 'First', mapRoles: [{ rolearn: ROLE_IDENTITY.arn, username: 'first' }] });
    const second = createMountedSource({ name: 'Second', mapRoles: [{ rolearn: ROLE_IDENTITY.arn, username: 'second' }] });
    expect(await mapIdentity(ROLE_IDENTITY, [first, second])).toMatchObject({ ok: true, user: { username: 'first' } });
  });
});
