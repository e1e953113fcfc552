import { describe, expect, it } from 'vitest';
import { encodeMap } from './encode.js';
import { parseAwsAuth } from './parse.js';
import { configMapYaml, readFixture } from './testing.js';
import type { ParsedAwsAuth } from './types.js';

const NODE_ROLE = 'arn:aws:iam::555555555555:role/devel-worker-nodes-NodeInstanceRole-74RF4UBDUKL6';
const NODE_MAPPING = { rolearn: NODE_ROLE, username: 'system:node:{{EC2PrivateDNSName}}', groups: ['system:bootstrappers', 'system:nodes'] };
const ADMIN_MAPPING = { userarn: 'arn:aws:iam::555555555555:user/admin', username: 'admin', groups: ['system:masters'] };

function parse(text: string): ParsedAwsAuth {
  return parseAwsAuth(text, { sourceName: 'test' });
}

function loaded(parsed: ParsedAwsAuth): { roles: unknown[]; users: unknown[]; accounts: string[] } {
  return {
    roles: parsed.roles.map((entry) => entry.mapping),
    users: parsed.users.map((entry) => entry.mapping),
    accounts: parsed.accounts.map((entry) => entry.accountId),
  };
}

describe('parseAwsAuth fixtures', () => {
  const all = { roles: [NODE_MAPPING], users: [ADMIN_MAPPING], accounts: ['555555555555'] };
  const none = { roles: [], users: [], accounts: [] };

  it.each([
    ['aws-auth.yaml', all],
    ['aws-auth-crazy-case-keys.yaml', all],
    ['aws-auth-open-source-case-keys.yaml', all],
    ['aws-auth-lower-case-top-keys.yaml', none],
    ['aws-auth-crazy-case-top-keys.yaml', none],
    ['aws-auth-space-out-of-place.yaml', { ...all, roles: [{ ...NODE_MAPPING, groups: ['system:bootstrappers - system:nodes'] }] }],
    ['aws-auth-missing-bar.yaml', none],
  ])('%s', (name, expected) => {
    expect(loaded(parse(readFixture(name)))).toEqual(expected);
  });

  it.each(['aws-auth-lower-case-top-keys.yaml', 'aws-auth-crazy-case-top-keys.yaml'])('%s has no errors', (name) => {
    expect(parse(readFixture(name)).problems.filter((problem) => problem.severity === 'error')).toEqual([]);
  });

  it('lower-case top keys are listed as ignored', () => {
    expect(parse(readFixture('aws-auth-lower-case-top-keys.yaml')).ignoredKeys.map((key) => key.name)).toEqual(['maproles', 'mapusers', 'mapaccounts']);
  });

  it('missing bar makes the ConfigMap invalid', () => {
    const parsed = parse(readFixture('aws-auth-missing-bar.yaml'));
    expect(parsed.valid).toBe(false);
    expect(parsed.problems[0]).toMatchObject({
      code: 'DATA_NOT_STRING',
      line: 7,
      message: 'not a valid ConfigMap: data.mapRoles must be a string (add `|` after `mapRoles:`)',
    });
  });

  it('entry origins carry whole-file lines', () => {
    const parsed = parse(readFixture('aws-auth.yaml'));
    expect(parsed.roles[0]?.origin).toEqual({ source: 'test', key: 'mapRoles', index: 0, line: 8 });
    expect(parsed.users[0]?.origin.line).toBe(14);
    expect(parsed.accounts[0]?.origin.line).toBe(19);
  });
});

const PARSE_MAP_ROLES = `- rolearn: arn:aws:iam::123456789101:role/test-NodeInstanceRole-1VWRHZ3GKZ1T4
  username: system:node:{{EC2PrivateDNSName}}
  groups:
  - system:bootstrappers
  - system:nodes
- sso:
    permissionSetName: ViewOnlyAccess
    accountID: "012345678912"
    partition: aws-cn
  username: user1
  groups:
  - system:basic-users
`;
const PARSE_MAP_USERS = `- userarn: arn:aws:iam::123456789101:user/Hello
  username: Hello
  groups:
  - system:masters
- userarn: arn:aws:iam::123456789101:user/World
  username: World
  groups:
  - system:masters
`;

describe('ParseMap compatibility', () => {
  const parsed = parse(configMapYaml({ mapRoles: PARSE_MAP_ROLES, mapUsers: PARSE_MAP_USERS }));

  it('roles decode to exact structs', () => {
    expect(loaded(parsed).roles).toEqual([
      { rolearn: 'arn:aws:iam::123456789101:role/test-NodeInstanceRole-1VWRHZ3GKZ1T4', username: 'system:node:{{EC2PrivateDNSName}}', groups: ['system:bootstrappers', 'system:nodes'] },
      { rolearn: '', sso: { permissionSetName: 'ViewOnlyAccess', accountID: '012345678912', partition: 'aws-cn' }, username: 'user1', groups: ['system:basic-users'] },
    ]);
  });

  it('users decode to exact structs', () => {
    expect(loaded(parsed).users).toEqual([
      { userarn: 'arn:aws:iam::123456789101:user/Hello', username: 'Hello', groups: ['system:masters'] },
      { userarn: 'arn:aws:iam::123456789101:user/World', username: 'World', groups: ['system:masters'] },
    ]);
  });

  it('missing accounts are empty', () => {
    expect(parsed.accounts).toEqual([]);
    expect(parsed.keys.mapAccounts.status).toBe('missing');
  });

  it('EncodeMap round trip is byte for byte', () => {
    const { roles, users, accounts } = loaded(parsed);
    expect(encodeMap(users as never, roles as never, accounts)).toEqual({ mapRoles: PARSE_MAP_ROLES, mapUsers: PARSE_MAP_USERS });
  });

  it.each([
    ['backticks and double quotes', { mapAccounts: '', mapRoles: '""', mapUsers: '``' }],
    ['single quotes', { mapAccounts: "''", mapRoles: "''", mapUsers: "''" }],
  ])('bad parse map with %s loads empty', (_name, data) => {
    const empty = parse(JSON.stringify({ data }));
    expect(empty.problems).toEqual([]);
    expect(Object.values(empty.keys).map((key) => key.status)).toEqual(['empty', 'empty', 'empty']);
    expect(encodeMap([], [], [])).toEqual({});
  });

  it.each([
    ['spaces', '  \n\t\n', 'empty'],
    ['quotes in white space', ' \n "" \u00a0\n', 'empty'],
    ['backticks and a line break', '``\n', 'empty'],
    ['one quote', '"', 'broken'],
    ['quotes and text', '""x', 'broken'],
  ])('value of %s is %s', (_name, mapRoles, status) => {
    expect(parse(JSON.stringify({ data: { mapRoles } })).keys.mapRoles.status).toBe(status);
  });
});

describe('parseAwsAuth Go decoding', () => {
  function roles(mapRoles: string): ParsedAwsAuth {
    return parse(configMapYaml({ mapRoles }));
  }

  it('yes as username is a boolean', () => {
    const parsed = roles('- rolearn: arn:aws:iam::1:role/a\n  username: yes\n  groups: [g]\n');
    expect(parsed.roles[0]?.mapping.username).toBe('');
    expect(parsed.problems[0]).toMatchObject({ code: 'VALUE_NOT_STRING', line: 9, key: 'mapRoles' });
  });

  it('quoted yes stays a string', () => {
    expect(roles('- rolearn: arn:aws:iam::1:role/a\n  username: "yes"\n').roles[0]?.mapping.username).toBe('yes');
  });

  it.each([
    ['y', 'bool'],
    ['off', 'bool'],
    ['0x1F', 'number'],
    ['1_000', 'number'],
    ['0777', 'number'],
    ['.5', 'number'],
    ['1e3', 'number'],
  ])('username %s is a %s', (value, kind) => {
    const parsed = roles(`- rolearn: arn:aws:iam::1:role/a\n  username: ${value}\n`);
    expect(parsed.typeMismatches[0]?.value.kind).toBe(kind);
  });

  it.each(['1:20', '2001-01-01', 'infinity', '0xZZ', '1e400'])('username %s stays a string', (value) => {
    expect(roles(`- rolearn: arn:aws:iam::1:role/a\n  username: ${value}\n`).roles[0]?.mapping.username).toBe(value);
  });

  it('number in groups loads empty', () => {
    const parsed = roles('- rolearn: arn:aws:iam::1:role/a\n  groups: [a, 1]\n');
    expect(parsed.roles[0]?.mapping.groups).toEqual(['a', '']);
    expect(parsed.typeMismatches[0]?.path).toBe('groups[1]');
  });

  it('keys fold like Go', () => {
    const parsed = roles('- roleARN: arn:aws:iam::1:role/a\n  uſername: long-s\n  groupſ: [\u212Aelvin]\n');
    expect(parsed.roles[0]?.mapping).toEqual({ rolearn: 'arn:aws:iam::1:role/a', username: 'long-s', groups: ['\u212Aelvin'] });
  });

  it('snake case key is ignored', () => {
    expect(roles('- role_arn: arn:aws:iam::1:role/a\n').rejected[0]?.error.message).toBe('one of rolearn or SSO must be supplied');
  });

  it('duplicate keys resolve in sorted order', () => {
    const parsed = roles('- username: lower\n  UserName: upper\n  rolearn: arn:aws:iam::1:role/a\n');
    expect(parsed.roles[0]?.mapping.username).toBe('lower');
  });

  it('unknown keys are ignored', () => {
    expect(roles('- rolearn: arn:aws:iam::1:role/a\n  comment: hi\n').problems).toEqual([]);
  });

  it('rolearn and sso together are rejected', () => {
    const parsed = roles('- rolearn: arn:aws:iam::1:role/a\n  sso: {permissionSetName: A, accountID: "012345678912"}\n');
    expect(parsed.roles).toEqual([]);
    expect(parsed.problems[0]).toMatchObject({ code: 'ENTRY_INVALID', line: 8 });
  });

  it('merge keys apply', () => {
    const parsed = roles('- &base\n  rolearn: arn:aws:iam::1:role/a\n  username: a\n- <<: *base\n  username: b\n');
    expect(parsed.roles.map((entry) => entry.mapping.username)).toEqual(['a', 'b']);
  });

  it('only the first document is read', () => {
    expect(roles('- rolearn: arn:aws:iam::1:role/a\n---\n- rolearn: arn:aws:iam::1:role/b\n').roles).toHaveLength(1);
  });

  it('non-list value breaks the key', () => {
    expect(roles('rolearn: arn:aws:iam::1:role/a\n').keys.mapRoles).toMatchObject({
      status: 'broken',
      error: { message: 'json: cannot unmarshal object into Go value of type []config.RoleMapping' },
    });
  });

  it('JSON object value breaks the key', () => {
    expect(roles('{"rolearn": "arn:aws:iam::1:role/a"}').keys.mapRoles.status).toBe('broken');
  });

  it('JSON list value loads', () => {
    expect(roles('[{"rolearn": "arn:aws:iam::1:role/a", "username": "a"}]').roles).toHaveLength(1);
  });

  it('infinity breaks the key', () => {
    expect(roles('- rolearn: arn:aws:iam::1:role/a\n  username: .inf\n').keys.mapRoles.error?.message).toBe('json: unsupported value: +Inf');
  });
});

describe('parseAwsAuth broken keys', () => {
  const text = configMapYaml({
    mapRoles: '- rolearn: arn:aws:iam::1:role/ok\n  username: ok\n- rolearn: arn:aws:iam::1:role/a\n  username: {{SessionName}}\n',
    mapUsers: '- userarn: arn:aws:iam::1:user/u\n  username: u\n',
  });
  const parsed = parse(text);

  it('unquoted template rejects the whole key', () => {
    expect(parsed.roles).toEqual([]);
    expect(parsed.keys.mapRoles.status).toBe('broken');
  });

  it('error line is in the whole file', () => {
    expect(parsed.keys.mapRoles.error?.line).toBe(11);
    expect(text.split('\n')[10]).toContain('{{SessionName}}');
  });

  it('other keys still load', () => {
    expect(parsed.users).toHaveLength(1);
  });

  it('syntax error line is in the whole file', () => {
    const bad = parse(configMapYaml({ mapRoles: '- rolearn: a\n  username: "open\n' }));
    expect(bad.keys.mapRoles.status).toBe('broken');
    expect(bad.problems[0]).toMatchObject({ code: 'KEY_BROKEN', key: 'mapRoles' });
  });

  it('bad indentation breaks the key', () => {
    const bad = parse(configMapYaml({ mapRoles: '- rolearn: a\n   username: b\n' }));
    expect(bad.keys.mapRoles.error?.line).toBe(8);
  });
});

describe('parseAwsAuth mapAccounts', () => {
  it.each([
    ['literal text', '- 012345678901\n- 555555555555\n', ['012345678901', '555555555555']],
    ['null', '- ~\n', ['']],
    ['quoted', '- "123"\n', ['123']],
    ['boolean-looking', '- yes\n', ['yes']],
  ])('%s', (_name, mapAccounts, expected) => {
    expect(parse(configMapYaml({ mapAccounts })).accounts.map((account) => account.accountId)).toEqual(expected);
  });

  it('nested list item is skipped', () => {
    const parsed = parse(configMapYaml({ mapAccounts: '- 1\n- [2]\n' }));
    expect(parsed.accounts.map((account) => account.accountId)).toEqual(['1']);
    expect(parsed.problems[0]?.code).toBe('ACCOUNT_NOT_STRING');
  });

  it('scalar value breaks the key', () => {
    expect(parse(configMapYaml({ mapAccounts: '123' })).keys.mapAccounts.status).toBe('broken');
  });
});

describe('parseAwsAuth document forms', () => {
  it('bare data map', () => {
    const parsed = parse('mapUsers: |\n  - userarn: arn:aws:iam::1:user/a\n    username: a\n');
    expect(parsed.format).toBe('data');
    expect(parsed.users[0]?.origin.line).toBe(2);
  });

  it('JSON ConfigMap', () => {
    const parsed = parse(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', data: { mapAccounts: '- "1"\n' } }));
    expect(parsed.syntax).toBe('json');
    expect(parsed.accounts.map((account) => account.accountId)).toEqual(['1']);
  });

  it('empty text', () => {
    const parsed = parse('');
    expect(parsed.format).toBe('empty');
    expect(parsed.keys.mapRoles.status).toBe('missing');
  });

  it('null data value is empty', () => {
    expect(parse('data:\n  mapRoles:\n').keys.mapRoles.status).toBe('empty');
  });

  it('other kind is invalid', () => {
    expect(parse('kind: Secret\ndata: {}\n').problems[0]?.code).toBe('NOT_A_CONFIGMAP');
  });

  it('duplicate data key is invalid', () => {
    const parsed = parse('data:\n  mapRoles: ""\n  mapRoles: ""\n');
    expect(parsed.valid).toBe(false);
    expect(parsed.problems[0]?.code).toBe('DATA_KEY_DUPLICATE');
  });

  it('document syntax error', () => {
    expect(parse('data:\n  mapRoles: |\n - a\n x: [').valid).toBe(false);
  });

  it('invalid JSON', () => {
    expect(parse('{"data": {,}}').problems[0]?.code).toBe('JSON_SYNTAX');
  });

  it('number data value is invalid', () => {
    expect(parse('data:\n  mapAccounts: 123\n').problems[0]?.code).toBe('DATA_NOT_STRING');
  });
});

describe('parseAwsAuth reuse', () => {
  const text = 'data:\n  mapAccounts: |\n    - "111122223333"\n';

  it('returns the same result for identical input', () => {
    expect(parseAwsAuth(text, { sourceName: 'reuse.yaml' })).toBe(parseAwsAuth(text, { sourceName: 'reuse.yaml' }));
  });

  it('parses again for another source name', () => {
    const first = parseAwsAuth(text, { sourceName: 'one.yaml' });
    const second = parseAwsAuth(text, { sourceName: 'two.yaml' });
    expect(second).not.toBe(first);
    expect(second.accounts[0]?.origin.source).toBe('two.yaml');
  });
});
