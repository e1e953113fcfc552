import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isKubeiamError } from '../errors.js';
import {
  addAccount,
  addRole,
  addUser,
  meaningOf,
  removeAccount,
  removeRole,
  removeUser,
  verifyEdit,
  type EditResult,
} from './edit.js';
import { parseAwsAuth } from './parse.js';
import { configMapYaml, readFixture } from './testing.js';

const NODE_ROLE = 'arn:aws:iam::555555555555:role/devel-worker-nodes-NodeInstanceRole-74RF4UBDUKL6';
const ADMIN = 'arn:aws:iam::555555555555:user/admin';
const DEV_ROLE = 'arn:aws:iam::555555555555:role/dev';

/** A kubectl-style ConfigMap with comments, metadata and unknown keys everywhere. */
const COMMENTED = `# aws-auth for prod
apiVersion: v1
kind: ConfigMap
metadata:
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: |
      {"apiVersion":"v1","kind":"ConfigMap"}
  name: aws-auth
  namespace: kube-system
  resourceVersion: "1234"
data:
  # roles of the node groups
  mapRoles: |
    # node group
    - rolearn: ${NODE_ROLE}
      username: system:node:{{EC2PrivateDNSName}}   # nodes
      groups:
        - system:bootstrappers
        - system:nodes
      owner: platform-team
  mapUsers: |
    - userarn: ${ADMIN}
      username: admin
      groups:
        - system:masters
      # keep this user
      ticket: OPS-1
  mapAccounts: |
    # sandbox
    - 555555555555
  other: "kept as is"
`;

function parse(text: string) {
  return parseAwsAuth(text, { sourceName: 'test' });
}

function rejection(run: () => unknown): { code: string; message: string; details: Record<string, unknown> } {
  try {
    run();
  } catch (error) {
    if (isKubeiamError(error)) return { code: error.code, message: error.message, details: { ...error.details } };
    throw error;
  }
  throw new Error('expected the edit to be rejected');
}

const EDITS: [string, (text: string) => EditResult][] = [
  ['add role', (text) => addRole(text, { rolearn: DEV_ROLE, username: 'dev', groups: ['devs'] })],
  ['update role', (text) => addRole(text, { rolearn: NODE_ROLE, username: 'system:node:{{EC2PrivateDNSName}}', groups: ['system:nodes'] })],
  ['remove role', (text) => removeRole(text, NODE_ROLE)],
  ['add user', (text) => addUser(text, { userarn: 'arn:aws:iam::555555555555:user/bob', username: 'bob' })],
  ['update user', (text) => addUser(text, { userarn: ADMIN, username: 'root-admin', groups: ['system:masters'] })],
  ['remove user', (text) => removeUser(text, ADMIN)],
  ['add account', (text) => addAccount(text, '111122223333')],
  ['remove account', (text) => removeAccount(text, '555555555555')],
];

describe('aws-auth edits', () => {
  // A comment directly above or inside an entry belongs to it and goes when the entry is removed.
  const ENTRY_COMMENTS: Record<string, string> = { 'remove role': '# node group', 'remove user': '# keep this user', 'remove account': '# sandbox' };

  it.each(EDITS)('%s keeps comments outside the edited entry', (name, edit) => {
    const text = edit(COMMENTED).text;
    for (const comment of ['# aws-auth for prod', '# roles of the node groups', '# node group', '# keep this user', '# sandbox']) {
      if (ENTRY_COMMENTS[name] !== comment) expect(text).toContain(comment);
    }
  });

  it.each(Object.entries(ENTRY_COMMENTS))('%s drops the comment of its entry', (name, comment) => {
    const edit = EDITS.find(([editName]) => editName === name)?.[1];
    expect(edit?.(COMMENTED).text).not.toContain(comment);
  });

  it.each(EDITS)('%s keeps unknown keys', (_name, edit) => {
    const text = edit(COMMENTED).text;
    if (!_name.startsWith('remove role')) expect(text).toContain('owner: platform-team');
    if (!_name.startsWith('remove user')) expect(text).toContain('ticket: OPS-1');
    expect(text).toContain('other: "kept as is"');
  });

  it.each(EDITS)('%s leaves the other data keys byte for byte', (name, edit) => {
    const edited = name.includes('role') ? 'mapRoles' : name.includes('user') ? 'mapUsers' : 'mapAccounts';
    const before = parse(COMMENTED);
    const after = parse(edit(COMMENTED).text);
    for (const key of ['mapRoles', 'mapUsers', 'mapAccounts'] as const) {
      if (key !== edited) expect(after.keys[key].text).toBe(before.keys[key].text);
    }
    expect(edit(COMMENTED).text.split('data:')[0]).toBe(COMMENTED.split('data:')[0]);
  });

  it.each(EDITS)('%s changes only its entry', (_name, edit) => {
    const result = edit(COMMENTED);
    expect(result.changed).toBe(true);
    expect(parse(result.text).problems.filter((problem) => problem.severity === 'error')).toEqual([]);
  });

  it('comment inside the edited entry survives an update', () => {
    const text = addUser(COMMENTED, { userarn: ADMIN, username: 'root-admin', groups: ['system:masters'] }).text;
    expect(text).toContain('# keep this user');
  });

  it('trailing comment of a changed value survives', () => {
    const text = addRole(COMMENTED, { rolearn: NODE_ROLE, username: 'node', groups: ['system:bootstrappers', 'system:nodes'] }).text;
    expect(text).toMatch(/username: node #/);
  });
});

describe('addRole', () => {
  it('appends a new entry', () => {
    const result = addRole(readFixture('aws-auth.yaml'), { rolearn: DEV_ROLE, username: 'dev', groups: ['devs'] });
    expect(result.action).toBe('added');
    expect(parse(result.text).roles.map((entry) => entry.mapping)).toEqual([
      { rolearn: NODE_ROLE, username: 'system:node:{{EC2PrivateDNSName}}', groups: ['system:bootstrappers', 'system:nodes'] },
      { rolearn: DEV_ROLE, username: 'dev', groups: ['devs'] },
    ]);
  });

  it('identical grant is a no-op', () => {
    const text = readFixture('aws-auth.yaml');
    const result = addRole(text, { rolearn: NODE_ROLE, username: 'system:node:{{EC2PrivateDNSName}}', groups: ['system:bootstrappers', 'system:nodes'] });
    expect(result).toMatchObject({ changed: false, action: 'unchanged', text });
    expect(result.summary).toContain('already maps');
  });

  it('different groups update in place', () => {
    const result = addRole(readFixture('aws-auth.yaml'), { rolearn: NODE_ROLE, username: 'node', groups: ['system:nodes'] });
    expect(result.action).toBe('updated');
    expect(result.summary).toBe(
      `updated mapRoles[0] (line 8) for ${NODE_ROLE}: username 'system:node:{{EC2PrivateDNSName}}' → 'node', groups [system:bootstrappers, system:nodes] → [system:nodes]`,
    );
    expect(parse(result.text).roles.map((entry) => entry.mapping.username)).toEqual(['node']);
  });

  it('grant twice adds once', () => {
    const grant = { rolearn: DEV_ROLE, username: 'dev', groups: ['devs'] };
    const once = addRole(readFixture('aws-auth.yaml'), grant);
    const twice = addRole(once.text, grant);
    expect(twice.changed).toBe(false);
    expect(parse(twice.text).roles).toHaveLength(2);
  });

  it('quotes templates', () => {
    const result = addRole('', { rolearn: DEV_ROLE, username: '{{SessionName}}', groups: ['{{AccountID}}-devs'] });
    expect(result.text).toContain('username: "{{SessionName}}"');
    expect(parse(result.text).roles[0]?.mapping).toEqual({ rolearn: DEV_ROLE, username: '{{SessionName}}', groups: ['{{AccountID}}-devs'] });
  });

  it.each(['yes', 'no', '123', '0x1F', 'null', '~', '1:20', '2001-01-01', '#team', 'a: b'])('keeps %s a string', (value) => {
    const result = addRole('', { rolearn: DEV_ROLE, username: value, groups: [value] });
    expect(parse(result.text).roles[0]?.mapping).toMatchObject({ username: value, groups: [value] });
  });

  it('creates a ConfigMap from empty input', () => {
    const parsed = parse(addRole('', { rolearn: DEV_ROLE, username: 'dev' }).text);
    expect(parsed).toMatchObject({ format: 'configmap', valid: true, metadata: { name: 'aws-auth', namespace: 'kube-system' } });
    expect(parsed.roles).toHaveLength(1);
  });

  it('creates a missing key as a block scalar', () => {
    const text = configMapYaml({ mapUsers: `- userarn: ${ADMIN}\n  username: admin\n` });
    const result = addRole(text, { rolearn: DEV_ROLE, username: 'dev' });
    expect(result.summary).toContain('(created mapRoles)');
    expect(result.text).toBe(`${text}  mapRoles: |\n    - rolearn: ${DEV_ROLE}\n      username: dev\n`);
  });

  it('creates data in a ConfigMap without it', () => {
    const parsed = parse(addRole('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n', { rolearn: DEV_ROLE, username: 'dev' }).text);
    expect(parsed.roles).toHaveLength(1);
  });

  it('edits a bare data map', () => {
    const result = addRole(`mapUsers: |\n  - userarn: ${ADMIN}\n    username: admin\n`, { rolearn: DEV_ROLE, username: 'dev' });
    expect(result.text).toBe(`mapUsers: |\n  - userarn: ${ADMIN}\n    username: admin\nmapRoles: |\n  - rolearn: ${DEV_ROLE}\n    username: dev\n`);
  });

  it('edits JSON as JSON', () => {
    const result = addRole('{\n  "data": {}\n}\n', { rolearn: DEV_ROLE, username: 'dev' });
    expect(JSON.parse(result.text)).toEqual({ data: { mapRoles: `- rolearn: ${DEV_ROLE}\n  username: dev\n` } });
  });

  it('keeps CRLF line breaks', () => {
    const text = readFixture('aws-auth.yaml').replace(/\n/g, '\r\n');
    const result = addRole(text, { rolearn: DEV_ROLE, username: 'dev' });
    expect(result.text.replace(/\r\n/g, '')).not.toContain('\n');
    expect(parse(result.text).roles).toHaveLength(2);
  });

  it('turns a flow data map into a block map', () => {
    const text = `kind: ConfigMap\ndata: {"mapUsers": "- userarn: ${ADMIN}\\n  username: admin\\n"}\n`;
    const result = addRole(text, { rolearn: DEV_ROLE, username: 'dev' });
    expect(result.text).toContain(`  mapRoles: |\n    - rolearn: ${DEV_ROLE}\n`);
    expect(parse(result.text).users).toHaveLength(1);
  });

  it('fills a key with no value', () => {
    const result = addRole(`data:\n  mapRoles:\n  mapUsers: |\n    - userarn: ${ADMIN}\n      username: a\n`, { rolearn: DEV_ROLE, username: 'dev' });
    expect(parse(result.text).roles).toHaveLength(1);
  });

  it('replaces an empty value', () => {
    const result = addRole(configMapYaml({ mapRoles: '""' }), { rolearn: DEV_ROLE, username: 'dev' });
    expect(parse(result.text).roles).toHaveLength(1);
  });

  it('keeps the layout of the list', () => {
    const text = configMapYaml({ mapRoles: `- rolearn: ${NODE_ROLE}\n  username: n\n  groups:\n  - a\n` });
    const result = addRole(text, { rolearn: DEV_ROLE, username: 'dev', groups: ['b'] });
    expect(result.text).toContain(`    - rolearn: ${DEV_ROLE}\n      username: dev\n      groups:\n      - b\n`);
  });

  it('updates the winning duplicate and warns about the shadowed one', () => {
    const text = configMapYaml({ mapRoles: `- rolearn: ${DEV_ROLE}\n  username: old\n- rolearn: ${DEV_ROLE}\n  username: winner\n` });
    const result = addRole(text, { rolearn: DEV_ROLE, username: 'new' });
    expect(parse(result.text).roles.map((entry) => entry.mapping.username)).toEqual(['old', 'new']);
    expect(result.warnings[0]).toContain('mapRoles[0] (line 8) maps the same ARN and stays shadowed');
  });

  it('updates all case variants of a key', () => {
    const text = configMapYaml({ mapRoles: `- rolearn: ${DEV_ROLE}\n  username: a\n  UserName: b\n` });
    const result = addRole(text, { rolearn: DEV_ROLE, username: 'c' });
    expect(result.text).toContain('username: c');
    expect(result.text).toContain('UserName: c');
  });

  it('warns about a reserved username', () => {
    expect(addRole('', { rolearn: DEV_ROLE, username: 'eks:dev' }).warnings[0]).toContain("reserved prefix 'eks:'");
  });

  it.each([
    ['path', 'arn:aws:iam::555555555555:role/team/dev', 'ROLE_ARN_HAS_PATH', `use ${DEV_ROLE}`],
    ['STS session ARN', 'arn:aws:sts::555555555555:assumed-role/dev/session', 'ASSUMED_ROLE_ARN', `map the role instead: ${DEV_ROLE}`],
    ['invalid ARN', 'dev', 'ARN_INVALID', "'dev' is not a valid IAM principal ARN"],
    ['11-digit account', 'arn:aws:iam::55555555555:user/bob', 'ARN_INVALID', 'is not 12 digits'],
    ['trailing space', 'arn:aws:iam::555555555555:user/bob ', 'ARN_INVALID', "name 'bob ' must be"],
    ['empty name', 'arn:aws:iam::555555555555:user/', 'ARN_INVALID', "name '' must be"],
    ['wildcard name', 'arn:aws:iam::555555555555:user/*', 'ARN_INVALID', "name '*' must be"],
    ['full-width letter', 'arn:aws:iam::555555555555:user/\uff21dmin', 'ARN_INVALID', 'must be 1 to 64'],
    ['name over 64', `arn:aws:iam::555555555555:user/${'a'.repeat(65)}`, 'ARN_INVALID', 'must be 1 to 64'],
    ['newline in name', 'arn:aws:iam::555555555555:user/a\nb', 'ARN_INVALID', 'must be 1 to 64'],
    ['user ARN', ADMIN, 'ARN_WRONG_KIND', `kubeiam grant user ${ADMIN}`],
  ])('rejects a %s', (_name, rolearn, code, message) => {
    const error = rejection(() => addRole('', { rolearn, username: 'dev' }));
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
  });

  it.each([
    ['unknown placeholder', 'a-{{Session}}', 'unknown placeholder {{Session}}'],
    ['unbalanced braces', '{{SessionName}', 'unbalanced template braces'],
    ['empty username', ' ', 'a username is required'],
  ])('rejects %s', (_name, username, message) => {
    expect(rejection(() => addRole('', { rolearn: DEV_ROLE, username })).message).toContain(message);
  });

  it('rejects a broken mapRoles with its line', () => {
    const text = configMapYaml({ mapRoles: `- rolearn: ${NODE_ROLE}\n  username: {{SessionName}}\n` });
    const error = rejection(() => addUser(text, { userarn: ADMIN, username: 'admin' }));
    expect(error).toMatchObject({ code: 'EDIT_KEY_BROKEN', details: { key: 'mapRoles', line: 9 } });
    expect(error.message).toContain('failed to parse at line 9');
  });

  it('rejects an invalid ConfigMap', () => {
    const error = rejection(() => addRole(readFixture('aws-auth-missing-bar.yaml'), { rolearn: DEV_ROLE, username: 'dev' }));
    expect(error.code).toBe('EDIT_DOCUMENT_INVALID');
    expect(error.message).toContain('add `|` after `mapRoles:`');
  });
});

describe('addUser', () => {
  it('adds next to an existing role like the reference client', () => {
    const result = addUser(readFixture('aws-auth.yaml'), { userarn: 'arn:aws:iam::555555555555:user/a', username: 'a', groups: ['a'] });
    expect(parse(result.text).users.map((entry) => entry.mapping.userarn)).toEqual([ADMIN, 'arn:aws:iam::555555555555:user/a']);
  });

  it('case variant updates the existing entry', () => {
    const result = addUser(readFixture('aws-auth.yaml'), { userarn: 'arn:aws:iam::555555555555:user/ADMIN', username: 'boss', groups: ['system:masters'] });
    expect(result.action).toBe('updated');
    expect(parse(result.text).users).toHaveLength(1);
    expect(result.warnings[0]).toContain('ignores case');
  });

  it('accepts root', () => {
    expect(addUser('', { userarn: 'arn:aws:iam::555555555555:root', username: 'root' }).action).toBe('added');
  });

  it.each([
    ['role ARN', DEV_ROLE, 'ARN_WRONG_KIND'],
    ['session ARN', 'arn:aws:sts::555555555555:assumed-role/dev/s', 'ARN_WRONG_KIND'],
  ])('rejects a %s', (_name, userarn, code) => {
    expect(rejection(() => addUser('', { userarn, username: 'x' })).code).toBe(code);
  });

  it('rejects session templates', () => {
    expect(rejection(() => addUser('', { userarn: ADMIN, username: '{{SessionName}}' })).message).toContain('renders empty for IAM users');
  });
});

describe('removeRole and removeUser', () => {
  it('removes every duplicate', () => {
    const text = configMapYaml({ mapRoles: `- rolearn: ${DEV_ROLE}\n  username: a\n- rolearn: ${NODE_ROLE}\n  username: n\n- rolearn: ${DEV_ROLE.toUpperCase().replace('ARN:AWS:IAM', 'arn:aws:iam')}\n  username: b\n` });
    const result = removeRole(text, DEV_ROLE);
    expect(parse(result.text).roles.map((entry) => entry.mapping.rolearn)).toEqual([NODE_ROLE]);
    expect(result.summary).toContain('removed 2 mapRoles entries');
  });

  it('removes an entry with a path', () => {
    const withPath = 'arn:aws:iam::555555555555:role/team/dev';
    const result = removeRole(configMapYaml({ mapRoles: `- rolearn: ${withPath}\n  username: a\n` }), withPath);
    expect(parse(result.text).roles).toEqual([]);
  });

  it('missing ARN is an error naming it', () => {
    const error = rejection(() => removeRole(readFixture('aws-auth.yaml'), DEV_ROLE));
    expect(error.code).toBe('ENTRY_NOT_FOUND');
    expect(error.message).toBe(`no mapRoles entry maps ${DEV_ROLE}, so there is nothing to revoke`);
  });

  it('missing ARN names a similar entry', () => {
    const withPath = 'arn:aws:iam::555555555555:role/team/dev';
    const error = rejection(() => removeRole(configMapYaml({ mapRoles: `- rolearn: ${withPath}\n  username: a\n` }), DEV_ROLE));
    expect(error.message).toContain(`similar: ${withPath} at mapRoles[0] (line 8)`);
  });

  it('removes a user in any case', () => {
    expect(parse(removeUser(readFixture('aws-auth.yaml'), 'arn:aws:iam::555555555555:user/Admin').text).users).toEqual([]);
  });
});

describe('accounts', () => {
  it('adds an account', () => {
    expect(parse(addAccount(readFixture('aws-auth.yaml'), '012345678901').text).accounts.map((account) => account.accountId)).toEqual(['555555555555', '012345678901']);
  });

  it('existing account is a no-op', () => {
    expect(addAccount(readFixture('aws-auth.yaml'), '555555555555').changed).toBe(false);
  });

  it.each(['12345', '5555555555555', 'abcdefghijkl'])('rejects account %s', (account) => {
    expect(rejection(() => addAccount('', account)).code).toBe('ACCOUNT_ID_INVALID');
  });

  it('removes an account', () => {
    expect(parse(removeAccount(readFixture('aws-auth.yaml'), '555555555555').text).accounts).toEqual([]);
  });

  it('missing account is an error', () => {
    expect(rejection(() => removeAccount(readFixture('aws-auth.yaml'), '111122223333')).message).toContain('111122223333');
  });
});

describe('verifyEdit', () => {
  const before = parse(readFixture('aws-auth.yaml'));

  it('accepts the expected meaning', () => {
    expect(() => verifyEdit(before, readFixture('aws-auth.yaml'), meaningOf(before))).not.toThrow();
  });

  it('rejects a change to another entry', () => {
    const changed = readFixture('aws-auth.yaml').replace('username: admin', 'username: intruder');
    expect(rejection(() => verifyEdit(before, changed, meaningOf(before))).code).toBe('EDIT_MEANING_CHANGED');
  });

  it('rejects a broken result', () => {
    const broken = readFixture('aws-auth.yaml').replace('username: admin', 'username: {{x}}');
    expect(rejection(() => verifyEdit(before, broken, meaningOf(before))).message).toContain('would not parse');
  });
});

describe('edit properties', () => {
  const name = fc.stringMatching(/^[\w+=,.@-]{1,64}$/);
  const text = fc
    .string({ minLength: 1, maxLength: 30, unit: 'binary' })
    .filter((value) => value.trim() !== '' && !/[\n\r]/.test(value) && !value.includes('{{') && !value.includes('}}'));
  const documents = [readFixture('aws-auth.yaml'), COMMENTED, '', readFixture('aws-auth-crazy-case-keys.yaml')];

  it('grants always parse back to the granted entry', () => {
    fc.assert(
      fc.property(fc.constantFrom(...documents), name, text, fc.array(text, { maxLength: 3 }), (document, roleName, username, groups) => {
        const rolearn = `arn:aws:iam::555555555555:role/${roleName}`;
        const result = addRole(document, { rolearn, username, groups });
        const entry = parse(result.text).roles.find((candidate) => candidate.mapping.rolearn.toLowerCase() === rolearn.toLowerCase());
        expect(entry?.mapping.username).toBe(username);
        expect(entry?.mapping.groups).toEqual(groups);
      }),
    );
  });

  it('grant then revoke restores the meaning', () => {
    fc.assert(
      fc.property(fc.constantFrom(...documents), name, text, (document, userName, username) => {
        const userarn = `arn:aws:iam::555555555555:user/${userName}`;
        fc.pre(!parse(document).users.some((entry) => entry.mapping.userarn.toLowerCase() === userarn.toLowerCase()));
        const granted = addUser(document, { userarn, username });
        expect(meaningOf(parse(removeUser(granted.text, userarn).text))).toEqual(meaningOf(parse(document)));
      }),
    );
  });
});

describe('ConfigMap size warning', () => {
  /** Builds a mapUsers value whose one group name is `size` bytes long. */
  function bigUsers(size: number): string {
    return configMapYaml({ mapUsers: `- userarn: arn:aws:iam::111122223333:user/alice\n  username: alice\n  groups:\n  - ${'g'.repeat(size)}\n` });
  }
  const bob = { userarn: 'arn:aws:iam::111122223333:user/bob', username: 'bob', groups: ['view'] };

  it('no warning under 1 MiB', () => {
    const result = addUser(bigUsers(1000), bob);
    expect(result.warningDetails?.map((warning) => warning.code) ?? []).not.toContain('CONFIGMAP_TOO_LARGE');
  });

  it('warning over 1 MiB', () => {
    const result = addUser(bigUsers(1024 * 1024 - 100), bob);
    const warning = result.warningDetails?.find((item) => item.code === 'CONFIGMAP_TOO_LARGE');
    expect(warning?.params?.['bytes']).toBeGreaterThan(1024 * 1024);
    expect(result.warnings.join('\n')).toContain('over the 1048576 bytes (1 MiB)');
    expect(result.changed).toBe(true);
  });

  it('warning on update over 1 MiB', () => {
    const text = bigUsers(1024 * 1024);
    const result = addUser(text, { userarn: 'arn:aws:iam::111122223333:user/alice', username: 'alice2', groups: ['g'.repeat(1024 * 1024)] });
    expect(result.action).toBe('updated');
    expect(result.warningDetails?.map((warning) => warning.code)).toContain('CONFIGMAP_TOO_LARGE');
  });
});
