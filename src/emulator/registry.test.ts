import { describe, expect, it } from 'vitest';
import { seededRandomBytes } from './ids.js';
import { IamRegistry, RegistryError, type CallerIdentity } from './registry.js';

const ACCOUNT = '111122223333';
const OTHER_ACCOUNT = '444455556666';
const NOW = new Date('2026-12-04T19:31:00Z');
const EXAMPLE_KEY = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

function newRegistry(seed = 'registry-test'): IamRegistry {
  return new IamRegistry({ random: seededRandomBytes(seed) });
}

function registryError(run: () => unknown): RegistryError {
  try {
    run();
  } catch (error) {
    if (error instanceof RegistryError) return error;
    throw error;
  }
  throw new Error('expected a RegistryError');
}

function userIdentity(registry: IamRegistry, name: string, accountId = ACCOUNT): CallerIdentity {
  registry.createUser({ name, accountId });
  const key = registry.createAccessKey(name, { accountId });
  const record = registry.lookupAccessKey(key.accessKeyId, 'aws');
  if (record === undefined) throw new Error(`key of ${name} not found`);
  return record.identity;
}

describe('IamRegistry users', () => {
  it('createUser builds ARN and AIDA id', () => {
    const user = newRegistry().createUser({ name: 'designated_user', accountId: ACCOUNT });
    expect(user.arn).toBe('arn:aws:iam::111122223333:user/designated_user');
    expect(user.userId).toMatch(/^AIDA[A-Z2-7]{17}$/);
  });

  it('createUser keeps the path in the ARN', () => {
    const user = newRegistry().createUser({ name: 'alice', path: '/engineering/', accountId: ACCOUNT });
    expect(user.arn).toBe('arn:aws:iam::111122223333:user/engineering/alice');
  });

  it('createUser uses the account partition', () => {
    const registry = newRegistry();
    registry.addAccount({ id: ACCOUNT, partition: 'aws-cn' });
    expect(registry.createUser({ name: 'alice', accountId: ACCOUNT }).arn).toBe('arn:aws-cn:iam::111122223333:user/alice');
  });

  it('same seed gives same ids', () => {
    const first = newRegistry('seed').createUser({ name: 'alice', accountId: ACCOUNT });
    const second = newRegistry('seed').createUser({ name: 'alice', accountId: ACCOUNT });
    expect(second.userId).toBe(first.userId);
  });

  it.each([
    ['name with space', { name: 'bad name', accountId: ACCOUNT }, /user name 'bad name' is invalid/],
    ['path without slash', { name: 'a', path: 'x/', accountId: ACCOUNT }, /user path 'x\/' is invalid/],
    ['short account id', { name: 'a', accountId: '1234' }, /account id '1234' is invalid/],
  ])('createUser rejects %s', (_case, input, message) => {
    expect(registryError(() => newRegistry().createUser(input)).message).toMatch(message);
  });

  it('createUser rejects duplicate name', () => {
    const registry = newRegistry();
    registry.createUser({ name: 'alice', accountId: ACCOUNT });
    expect(registryError(() => registry.createUser({ name: 'alice', accountId: ACCOUNT })).code).toBe('REGISTRY_CONFLICT');
  });

  it('addAccount rejects a second partition', () => {
    const registry = newRegistry();
    registry.addAccount({ id: ACCOUNT });
    expect(registryError(() => registry.addAccount({ id: ACCOUNT, partition: 'aws-cn' })).code).toBe('REGISTRY_CONFLICT');
  });

  it('addAccount rejects unknown partition', () => {
    expect(registryError(() => newRegistry().addAccount({ id: ACCOUNT, partition: 'aws-moon' })).message).toMatch(/aws-moon/);
  });
});

describe('IamRegistry access keys', () => {
  it('createAccessKey issues AKIA key and secret', () => {
    const registry = newRegistry();
    registry.createUser({ name: 'alice', accountId: ACCOUNT });
    const key = registry.createAccessKey('alice');
    expect(key.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(key.secretAccessKey).toMatch(/^[A-Za-z0-9+/]{40}$/);
  });

  it('lookupAccessKey returns the user identity', () => {
    const registry = newRegistry();
    const user = registry.createUser({ name: 'alice', accountId: ACCOUNT });
    registry.createAccessKey('alice', EXAMPLE_KEY);
    const record = registry.lookupAccessKey(EXAMPLE_KEY.accessKeyId, 'aws');
    expect(record?.secretAccessKey).toBe(EXAMPLE_KEY.secretAccessKey);
    expect(record?.identity).toEqual({
      arn: user.arn,
      userId: user.userId,
      accountId: ACCOUNT,
      partition: 'aws',
      principalArn: user.arn,
      isRoleSession: false,
    });
  });

  it('lookupAccessKey is per partition', () => {
    const registry = newRegistry();
    registry.createUser({ name: 'alice', accountId: ACCOUNT });
    registry.createAccessKey('alice', EXAMPLE_KEY);
    expect(registry.lookupAccessKey(EXAMPLE_KEY.accessKeyId, 'aws-cn')).toBeUndefined();
  });

  it('same key allowed in two partitions', () => {
    const registry = newRegistry();
    registry.addAccount({ id: OTHER_ACCOUNT, partition: 'aws-cn' });
    registry.createUser({ name: 'alice', accountId: ACCOUNT });
    registry.createUser({ name: 'alice', accountId: OTHER_ACCOUNT });
    registry.createAccessKey('alice', { ...EXAMPLE_KEY, accountId: ACCOUNT });
    registry.createAccessKey('alice', { ...EXAMPLE_KEY, accountId: OTHER_ACCOUNT });
    expect(registry.lookupAccessKey(EXAMPLE_KEY.accessKeyId, 'aws-cn')?.identity.arn).toBe(
      'arn:aws-cn:iam::444455556666:user/alice',
    );
  });

  it('createAccessKey rejects a duplicate key', () => {
    const registry = newRegistry();
    registry.createUser({ name: 'alice', accountId: ACCOUNT });
    registry.createAccessKey('alice', EXAMPLE_KEY);
    expect(registryError(() => registry.createAccessKey('alice', EXAMPLE_KEY)).code).toBe('REGISTRY_CONFLICT');
  });

  it('createAccessKey needs accountId when ambiguous', () => {
    const registry = newRegistry();
    registry.createUser({ name: 'alice', accountId: ACCOUNT });
    registry.createUser({ name: 'alice', accountId: OTHER_ACCOUNT });
    expect(registryError(() => registry.createAccessKey('alice')).message).toMatch(/pass accountId/);
  });

  it('createAccessKey rejects unknown user', () => {
    expect(registryError(() => newRegistry().createAccessKey('nobody')).code).toBe('REGISTRY_NOT_FOUND');
  });

  it.each([
    ['ASIA key id', { accessKeyId: 'ASIAIOSFODNN7EXAMPLE', secretAccessKey: EXAMPLE_KEY.secretAccessKey }, /ASIAIOSFODNN7EXAMPLE/],
    ['short secret', { accessKeyId: EXAMPLE_KEY.accessKeyId, secretAccessKey: 'short' }, /secret access key is invalid/],
    ['id without secret', { accessKeyId: EXAMPLE_KEY.accessKeyId }, /needs both/],
  ])('createAccessKey rejects %s', (_case, pair, message) => {
    const registry = newRegistry();
    registry.createUser({ name: 'alice', accountId: ACCOUNT });
    expect(registryError(() => registry.createAccessKey('alice', pair)).message).toMatch(message);
  });

  it('secret never appears in a registry error', () => {
    const registry = newRegistry();
    registry.createUser({ name: 'alice', accountId: ACCOUNT });
    const secret = 'not-a-valid-secret-but-private';
    const error = registryError(() => registry.createAccessKey('alice', { accessKeyId: EXAMPLE_KEY.accessKeyId, secretAccessKey: secret }));
    expect(error.message).not.toContain(secret);
  });
});

describe('IamRegistry roles', () => {
  it('createRole builds ARN with path and AROA id', () => {
    const role = newRegistry().createRole({ name: 'cluster_creator', path: '/eks/', accountId: ACCOUNT, trust: [] });
    expect(role.arn).toBe('arn:aws:iam::111122223333:role/eks/cluster_creator');
    expect(role.roleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    expect(role.maxSessionDurationSeconds).toBe(3600);
  });

  it.each([
    ['trust entry not an ARN', { trust: ['alice'] }, /trust entry 'alice' is not a principal ARN/],
    ['federated user in trust', { trust: ['arn:aws:sts::111122223333:federated-user/bob'] }, /federated user/],
    ['max session too long', { maxSessionDurationSeconds: 43201 }, /maxSessionDurationSeconds 43201/],
  ])('createRole rejects %s', (_case, extra, message) => {
    const input = { name: 'r', accountId: ACCOUNT, trust: [], ...extra };
    expect(registryError(() => newRegistry().createRole(input)).message).toMatch(message);
  });

  it('issueRoleSession creates ASIA credentials', () => {
    const registry = newRegistry();
    const role = registry.createRole({ name: 'cluster_creator', path: '/eks/', accountId: ACCOUNT, trust: [] });
    const session = registry.issueRoleSession({ role, sessionName: 'test', durationSeconds: 900, now: NOW });

    expect(session.credentials.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(session.credentials.sessionToken.length).toBeGreaterThan(300);
    expect(session.credentials.expiration).toEqual(new Date('2026-12-04T19:46:00Z'));
    expect(session.identity.arn).toBe('arn:aws:sts::111122223333:assumed-role/cluster_creator/test');
    expect(session.identity.userId).toBe(`${role.roleId}:test`);
    expect(session.identity.principalArn).toBe(role.arn);
  });

  it('issued session is found by its key', () => {
    const registry = newRegistry();
    const role = registry.createRole({ name: 'r', accountId: ACCOUNT, trust: [] });
    const session = registry.issueRoleSession({ role, sessionName: 'test', durationSeconds: 900, now: NOW });
    const record = registry.lookupAccessKey(session.credentials.accessKeyId, 'aws');
    expect(record?.sessionToken).toBe(session.credentials.sessionToken);
    expect(record?.expiration).toEqual(session.credentials.expiration);
  });

  it('expired sessions are dropped a day later', () => {
    const registry = newRegistry();
    const role = registry.createRole({ name: 'r', accountId: ACCOUNT, trust: [] });
    const old = registry.issueRoleSession({ role, sessionName: 'old', durationSeconds: 900, now: NOW });
    const later = new Date(NOW.getTime() + 25 * 60 * 60 * 1000);
    registry.issueRoleSession({ role, sessionName: 'new', durationSeconds: 900, now: later });
    expect(registry.lookupAccessKey(old.credentials.accessKeyId, 'aws')).toBeUndefined();
  });

  it('addRoleSession registers known credentials', () => {
    const registry = newRegistry();
    const role = registry.createRole({ name: 'r', accountId: ACCOUNT, trust: [] });
    const credentials = {
      accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
      secretAccessKey: EXAMPLE_KEY.secretAccessKey,
      sessionToken: 'token',
      expiration: NOW,
    };
    registry.addRoleSession({ roleArn: role.arn, sessionName: 'vectors', credentials });
    expect(registry.lookupAccessKey('ASIAIOSFODNN7EXAMPLE', 'aws')?.identity.arn).toBe(
      'arn:aws:sts::111122223333:assumed-role/r/vectors',
    );
  });

  it('addRoleSession rejects unknown role', () => {
    const credentials = { ...EXAMPLE_KEY, sessionToken: 't', expiration: NOW };
    const error = registryError(() =>
      newRegistry().addRoleSession({ roleArn: 'arn:aws:iam::111122223333:role/none', sessionName: 'ab', credentials }),
    );
    expect(error.code).toBe('REGISTRY_NOT_FOUND');
  });
});

describe('IamRegistry trust', () => {
  it('trusts a listed user', () => {
    const registry = newRegistry();
    const caller = userIdentity(registry, 'alice');
    const role = registry.createRole({ name: 'r', accountId: ACCOUNT, trust: [caller.arn] });
    expect(registry.trusts(role, caller)).toBe(true);
  });

  it('rejects an unlisted user', () => {
    const registry = newRegistry();
    const caller = userIdentity(registry, 'alice');
    const role = registry.createRole({ name: 'r', accountId: ACCOUNT, trust: ['arn:aws:iam::111122223333:user/bob'] });
    expect(registry.trusts(role, caller)).toBe(false);
  });

  it('trusts every principal of a root account', () => {
    const registry = newRegistry();
    const caller = userIdentity(registry, 'alice');
    const role = registry.createRole({ name: 'r', accountId: ACCOUNT, trust: ['arn:aws:iam::111122223333:root'] });
    expect(registry.trusts(role, caller)).toBe(true);
  });

  it('root of another account does not trust', () => {
    const registry = newRegistry();
    const caller = userIdentity(registry, 'alice');
    const role = registry.createRole({ name: 'r', accountId: ACCOUNT, trust: ['arn:aws:iam::444455556666:root'] });
    expect(registry.trusts(role, caller)).toBe(false);
  });

  it('trusts a role session by role ARN with path', () => {
    const registry = newRegistry();
    const first = registry.createRole({ name: 'first', path: '/team/', accountId: ACCOUNT, trust: [] });
    const session = registry.issueRoleSession({ role: first, sessionName: 's1', durationSeconds: 900, now: NOW });
    const second = registry.createRole({ name: 'second', accountId: ACCOUNT, trust: [first.arn] });
    expect(registry.trusts(second, session.identity)).toBe(true);
  });

  it('trusts a role session by session ARN', () => {
    const registry = newRegistry();
    const first = registry.createRole({ name: 'first', accountId: ACCOUNT, trust: [] });
    const session = registry.issueRoleSession({ role: first, sessionName: 's1', durationSeconds: 900, now: NOW });
    const second = registry.createRole({ name: 'second', accountId: ACCOUNT, trust: [session.identity.arn] });
    expect(registry.trusts(second, session.identity)).toBe(true);
  });

  it('findRole needs the exact ARN with path', () => {
    const registry = newRegistry();
    registry.createRole({ name: 'r', path: '/team/', accountId: ACCOUNT, trust: [] });
    expect(registry.findRole('arn:aws:iam::111122223333:role/team/r')?.name).toBe('r');
    expect(registry.findRole('arn:aws:iam::111122223333:role/r')).toBeUndefined();
  });
});
