import { describe, expect, it } from 'vitest';
import { testIdentity } from '../testing.js';
import { createDynamicFileSource, parseDynamicFile, type DynamicFileContent } from './dynamicfile.js';

function contentOf(text: string): DynamicFileContent {
  const parsed = parseDynamicFile(text);
  if (!parsed.ok) throw new Error(`expected the file to parse: ${parsed.error}`);
  return parsed.content;
}

function errorOf(result: ReturnType<typeof parseDynamicFile>): string {
  if (result.ok) throw new Error('expected the file to be rejected');
  return result.error;
}

const SAMPLE = JSON.stringify({
  Version: '1',
  LastUpdatedDateTime: '1706648530',
  ClusterId: 'ignored',
  mapRoles: [{ rolearn: 'arn:aws:iam::000000000098:role/KubernetesAdmin', username: 'kubernetes-admin', groups: ['system:masters'], userid: 'userid678' }],
  mapUsers: [
    { userarn: 'arn:aws:iam::000000000000:user/Alice', username: 'alice', groups: ['system:masters'], userid: 'userid135' },
    { userarn: 'arn:aws:iam::000000000002:user/Alice2', username: 'alice2', groups: ['system:masters'], userid: 'userid136' },
  ],
  mapAccounts: ['012345678901', '456789012345'],
});

const UPDATED = JSON.stringify({
  LastUpdatedDateTime: '1706648540',
  mapRoles: [
    { rolearn: 'arn:aws:iam::000000000098:role/KubernetesAdmin', username: 'kubernetes-admin', groups: ['system:masters'], userid: 'userid678' },
    { rolearn: 'arn:aws:iam::000000000002:role/KubernetesNode', username: 'aws:{{AccountID}}:instance:{{SessionName}}', groups: ['system:bootstrappers'], userid: 'userid679' },
  ],
  mapUsers: [{ userarn: 'arn:aws:iam::000000000000:user/Alice', username: 'alice', groups: ['system:masters'], userid: 'userid135' }],
  mapAccounts: ['012345678901'],
});

function loaded(strict: boolean, text = SAMPLE) {
  const source = createDynamicFileSource({ userIdStrict: strict });
  expect(source.load(text).ok).toBe(true);
  return source;
}

describe('parseDynamicFile', () => {
  it('decodes the sample', () => {
    const content = contentOf(SAMPLE);
    expect(content.users.map((user) => user.username)).toEqual(['alice', 'alice2']);
    expect(content.accounts).toEqual(['012345678901', '456789012345']);
    expect(content.lastUpdatedDateTime).toBe('1706648530');
  });

  it('keys match in any case', () => {
    const content = contentOf('{"MAPROLES": [{"RoleArn": "arn:aws:iam::1:role/a", "UserName": "a"}], "lastupdateddatetime": "1"}');
    expect(content.roles[0]).toEqual({ rolearn: 'arn:aws:iam::1:role/a', username: 'a', groups: [] });
  });

  it.each([
    ['numeric timestamp', '{"LastUpdatedDateTime": 1706648530}', 'json: cannot unmarshal number into Go struct field DynamicFileData.LastUpdatedDateTime of type string'],
    ['numeric account', '{"mapAccounts": [12345]}', 'cannot unmarshal number'],
    ['syntax error', '{"mapRoles": [', 'invalid JSON'],
    ['top-level list', '[]', 'cannot unmarshal array into Go value'],
  ])('rejects a %s', (_name, text, message) => {
    expect(errorOf(parseDynamicFile(text))).toContain(message);
  });
});

describe('createDynamicFileSource', () => {
  it('store lookups', () => {
    const source = loaded(false, JSON.stringify({
      mapUsers: [{ userarn: 'arn:aws:iam::012345678912:user/matt', username: 'matlan', groups: ['system:master', 'dev'] }],
      mapRoles: [{ rolearn: 'arn:aws:iam::012345678912:role/computer', username: 'computer', groups: ['system:nodes'] }],
      mapAccounts: ['123'],
    }));
    expect(source.map(testIdentity({ arn: 'arn:aws:iam::012345678912:user/matt' }))).toMatchObject({ username: 'matlan', groups: ['system:master', 'dev'] });
    expect(source.map(testIdentity({ arn: 'arn:aws:iam::012345678912:user/nic' }))).toBeUndefined();
    expect(source.map(testIdentity({ arn: 'arn:aws:iam::012345678912:role/computer' }))).toMatchObject({ username: 'computer' });
    expect(source.map(testIdentity({ arn: 'arn:aws:iam::012345678912:role/borg' }))).toBeUndefined();
    expect([source.isAccountAllowed('123'), source.isAccountAllowed('345')]).toEqual([true, false]);
  });

  it('strict keys are user IDs', () => {
    const source = loaded(true);
    expect(source.roleKeys()).toEqual(['userid678']);
    expect(source.userKeys()).toEqual(['userid135', 'userid136']);
  });

  it('non-strict keys are ARNs', () => {
    const source = loaded(false);
    expect(source.roleKeys().every((key) => key.startsWith('arn'))).toBe(true);
    expect(source.userKeys()).toEqual(['arn:aws:iam::000000000000:user/alice', 'arn:aws:iam::000000000002:user/alice2']);
  });

  it('strict role key from a user ID', () => {
    const source = loaded(true, JSON.stringify({ mapRoles: [{ username: 'computer', userid: 'UserId001' }] }));
    expect(source.map(testIdentity({ arn: 'arn:aws:iam::1:role/x', userId: 'UserId001' }))?.username).toBe('computer');
    expect(source.map(testIdentity({ arn: 'arn:aws:iam::1:role/x', userId: 'borg' }))).toBeUndefined();
  });

  it('load replaces, failure keeps, clear empties', () => {
    const source = loaded(false);
    expect(source.load(UPDATED).ok).toBe(true);
    expect(source.roleKeys()).toEqual(loaded(false, UPDATED).roleKeys());
    expect(source.isAccountAllowed('456789012345')).toBe(false);
    expect(source.load('{"mapAccounts": [1]}').ok).toBe(false);
    expect(source.roleKeys()).toHaveLength(2);
    source.clear();
    expect([source.roleKeys(), source.userKeys(), source.isAccountAllowed('012345678901')]).toEqual([[], [], false]);
  });

  it.each([
    [false, '{"mapRoles": [{"username": "a"}]}', 'value for rolearn or userid(if dynamicfileUserIDStrict = true) must be supplied'],
    [true, '{"mapUsers": [{"userarn": "arn:aws:iam::1:user/a"}]}', 'value for userarn or userid(if dynamicfileUserIDStrict = true) must be supplied'],
  ])('missing key (strict %s) rejects the file', (strict, text, message) => {
    expect(errorOf(createDynamicFileSource({ userIdStrict: strict }).load(text))).toBe(`error parsing dynamic file: [${message}]`);
  });
});

describe('createDynamicFileSource strict matching', () => {
  const ROLE_CALLER = testIdentity({ arn: 'arn:aws:sts::123456789012:assumed-role/matt/extra', canonicalArn: 'arn:aws:iam::123456789012:role/matt', userId: '1234' });

  function strictSource(entry: Record<string, string>, key: 'mapRoles' | 'mapUsers' = 'mapRoles') {
    return loaded(true, JSON.stringify({ [key]: [{ username: 'asdf', groups: ['asdf'], userid: '1234', ...entry }] }));
  }

  it('user ARN match', () => {
    const source = strictSource({ userarn: 'arn:aws:iam::123456789012:user/Alice' }, 'mapUsers');
    expect(source.map(testIdentity({ arn: 'arn:aws:iam::123456789012:user/alice', userId: '1234' }))).toMatchObject({ username: 'asdf', groups: ['asdf'] });
  });

  it.each([
    ['role ARN', 'arn:aws:iam::123456789012:role/matt'],
    ['role ARN with path', 'arn:aws:iam::123456789012:role/path/for/this-role/matt'],
  ])('%s matches', (_name, rolearn) => {
    expect(strictSource({ rolearn }).map(ROLE_CALLER)?.username).toBe('asdf');
  });

  it('mapping without ARN matches', () => {
    expect(strictSource({}).map(ROLE_CALLER)?.username).toBe('asdf');
  });

  it.each([
    ['another user', { userarn: 'arn:aws:iam::123456789012:user/bob' }, 'mapUsers', 'arn:aws:iam::123456789012:user/alice'],
    ['a role that is not an ARN', { rolearn: 'not-an-arn' }, 'mapRoles', ROLE_CALLER.canonicalArn],
    ['a user that is not an ARN', { userarn: 'garbage' }, 'mapUsers', ROLE_CALLER.canonicalArn],
  ] as const)('%s is a Map error', (_name, entry, key, arn) => {
    const source = strictSource(entry, key);
    expect(() => source.map(testIdentity({ arn, canonicalArn: arn, userId: '1234' }))).toThrow('ARN does not match User ID');
    expect(source.explain?.(testIdentity({ arn, userId: '1234' }))[0]?.reason).toBe('USER_ID_MISMATCH');
  });
});
