import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lintAwsAuth } from './lint.js';
import { CONFIGMAP_DATA_LIMIT } from './rules.js';
import { configMapYaml, readFixture } from './testing.js';

function codes(text: string, options = {}): string[] {
  return lintAwsAuth(text, options).problems.map((problem) => problem.code);
}

function findings(text: string, code: string, options = {}) {
  return lintAwsAuth(text, options).problems.filter((problem) => problem.code === code);
}

describe('lintAwsAuth fixtures', () => {
  it('aws-auth.yaml is clean', () => {
    expect(codes(readFixture('aws-auth.yaml'))).toEqual([]);
  });

  it.each([
    ['aws-auth-crazy-case-keys.yaml', 'ENTRY_KEY_CASE'],
    ['aws-auth-open-source-case-keys.yaml', 'ENTRY_KEY_CASE'],
    ['aws-auth-lower-case-top-keys.yaml', 'DATA_KEY_IGNORED'],
    ['aws-auth-crazy-case-top-keys.yaml', 'DATA_KEY_IGNORED'],
    ['aws-auth-space-out-of-place.yaml', 'GROUP_MERGED'],
    ['aws-auth-missing-bar.yaml', 'DATA_NOT_STRING'],
  ])('%s is flagged with %s', (name, code) => {
    expect(codes(readFixture(name))).toContain(code);
  });

  it('crazy case keys name each key and line', () => {
    const found = findings(readFixture('aws-auth-crazy-case-keys.yaml'), 'ENTRY_KEY_CASE');
    expect(found.map((problem) => problem.line)).toEqual([8, 9, 10, 14, 15, 16]);
    expect(found[0]?.fix).toBe("write 'rolearn'");
  });

  it('lower-case top key suggests the real name', () => {
    expect(findings(readFixture('aws-auth-lower-case-top-keys.yaml'), 'DATA_KEY_IGNORED')[0]?.fix).toBe('rename it to mapRoles');
  });

  it('merged group error at its line', () => {
    expect(findings(readFixture('aws-auth-space-out-of-place.yaml'), 'GROUP_MERGED')[0]).toMatchObject({ severity: 'error', line: 12 });
  });
});

const ROLE = 'arn:aws:iam::111122223333:role/admin';

function roles(mapRoles: string): string {
  return configMapYaml({ mapRoles });
}

describe('lintAwsAuth rules', () => {
  it('creator in map', () => {
    const text = roles(`- rolearn: ${ROLE}\n  username: admin\n`);
    const found = findings(text, 'CREATOR_IN_MAP', { creators: ['arn:aws:sts::111122223333:assumed-role/admin/session'] });
    expect(found[0]).toMatchObject({ severity: 'warning', line: 8, fix: `remove the entry: kubeiam revoke role ${ROLE}` });
  });

  it('no creator given', () => {
    expect(codes(roles(`- rolearn: ${ROLE}\n  username: admin\n`))).not.toContain('CREATOR_IN_MAP');
  });

  it('path in rolearn', () => {
    const found = findings(roles('- rolearn: arn:aws:iam::111122223333:role/team/admin\n  username: a\n'), 'ROLE_ARN_HAS_PATH');
    expect(found[0]?.fix).toBe(`rolearn: ${ROLE}`);
  });

  it('assumed-role ARN as rolearn', () => {
    const found = findings(roles('- rolearn: arn:aws:sts::111122223333:assumed-role/admin/s\n  username: a\n'), 'ASSUMED_ROLE_ARN');
    expect(found[0]?.fix).toBe(`map the role in mapRoles: rolearn: ${ROLE}`);
  });

  it('invalid ARN', () => {
    expect(codes(roles('- rolearn: admin\n  username: a\n'))).toContain('ARN_INVALID');
  });

  it('SSO entry has no ARN to check', () => {
    expect(codes(roles('- sso: {permissionSetName: A, accountID: "111122223333"}\n  username: a\n'))).toEqual([]);
  });

  it('unquoted template', () => {
    const found = findings(roles(`- rolearn: ${ROLE}\n  username: {{SessionName}}\n`), 'TEMPLATE_UNQUOTED');
    expect(found[0]).toMatchObject({ line: 9, fix: 'quote it: username: "{{SessionName}}"' });
  });

  it('unquoted template in a group item', () => {
    const found = findings(roles(`- rolearn: ${ROLE}\n  username: a\n  groups:\n  - {{AccountID}}\n`), 'TEMPLATE_UNQUOTED');
    expect(found[0]?.line).toBe(11);
  });

  it('duplicate ARN names the winner', () => {
    const text = roles(`- rolearn: ${ROLE}\n  username: a\n  groups: [one]\n- rolearn: ${ROLE.toUpperCase().replace('ARN:AWS:IAM', 'arn:aws:iam')}\n  username: b\n  groups: [two]\n`);
    const found = findings(text, 'DUPLICATE_ARN');
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toContain('mapRoles[0] (line 8) is shadowed by mapRoles[1] (line 11)');
    expect(found[0]?.message).toContain('only [two] apply');
  });

  it('user ARNs differing in case', () => {
    const text = configMapYaml({ mapUsers: '- userarn: arn:aws:iam::1:user/Bob\n  username: a\n- userarn: arn:aws:iam::1:user/bob\n  username: b\n' });
    expect(codes(text)).toContain('USER_ARN_CASE_DUPLICATE');
    expect(codes(text)).not.toContain('DUPLICATE_ARN');
  });

  it('user ARN in mapRoles', () => {
    expect(codes(roles('- rolearn: arn:aws:iam::1:user/bob\n  username: a\n'))).toContain('USER_ARN_IN_MAP_ROLES');
  });

  it('role ARN in mapUsers', () => {
    expect(codes(configMapYaml({ mapUsers: `- userarn: ${ROLE}\n  username: a\n` }))).toContain('ROLE_ARN_IN_MAP_USERS');
  });

  it('number as username', () => {
    expect(findings(roles(`- rolearn: ${ROLE}\n  username: 1234\n`), 'VALUE_NOT_STRING')[0]?.fix).toBe('quote it: "1234"');
  });

  it('boolean as group', () => {
    expect(findings(roles(`- rolearn: ${ROLE}\n  username: a\n  groups: [no]\n`), 'VALUE_NOT_STRING')[0]?.message).toContain('the boolean no');
  });

  it('SSO entry with partition', () => {
    const found = findings(roles('- sso: {permissionSetName: A, accountID: "111122223333", partition: aws}\n  username: a\n'), 'SSO_PARTITION_SET');
    expect(found[0]?.fix).toBe('remove the partition field');
  });

  it('exact entry and SSO pattern overlap', () => {
    const text = roles(
      '- rolearn: arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0123\n  username: a\n- sso: {permissionSetName: Admin, accountID: "111122223333"}\n  username: b\n',
    );
    expect(findings(text, 'EXACT_AND_SSO_MATCH')[0]?.message).toContain('kubeiam uses the exact entry');
  });

  it.each([
    ['system:admin', true],
    ['eks:admin', true],
    ['amazon:x', true],
    ['system:node:{{EC2PrivateDNSName}}', false],
    ['admin', false],
  ])('reserved username %s', (username, flagged) => {
    const text = roles(`- rolearn: ${ROLE}\n  username: "${username}"\n  groups: [system:bootstrappers, system:nodes]\n`);
    expect(codes(text).includes('USERNAME_RESERVED')).toBe(flagged);
  });

  it('unknown placeholder', () => {
    expect(codes(roles(`- rolearn: ${ROLE}\n  username: "a-{{Session}}"\n`))).toContain('TEMPLATE_UNKNOWN');
  });

  it('session placeholder for a user', () => {
    expect(codes(configMapYaml({ mapUsers: '- userarn: arn:aws:iam::1:user/a\n  username: "u-{{SessionName}}"\n' }))).toContain('TEMPLATE_NO_SESSION');
  });

  it('short account ID', () => {
    expect(codes(configMapYaml({ mapAccounts: '- 12345\n' }))).toContain('ACCOUNT_ID_INVALID');
  });

  it('node entry without nodes group', () => {
    const found = findings(roles(`- rolearn: ${ROLE}\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [system:bootstrappers]\n`), 'NODE_GROUPS_MISSING');
    expect(found[0]?.message).toContain('lacks system:nodes');
  });

  it('node role hint not mapped', () => {
    const found = findings(roles(`- rolearn: ${ROLE}\n  username: a\n`), 'NODE_ROLE_UNMAPPED', { nodeRoleHints: ['arn:aws:iam::111122223333:role/nodes'] });
    expect(found).toHaveLength(1);
  });

  it('node role hint mapped', () => {
    const text = roles(`- rolearn: ${ROLE}\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [system:bootstrappers, system:nodes]\n`);
    expect(codes(text, { nodeRoleHints: [ROLE] })).toEqual([]);
  });

  it('node role hint in a broken key', () => {
    const text = roles(`- rolearn: ${ROLE}\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [a\n`);
    expect(codes(text, { nodeRoleHints: [ROLE] })).toEqual(expect.arrayContaining(['KEY_BROKEN', 'NODE_ROLE_UNMAPPED']));
  });

  it('wrong name and namespace', () => {
    const text = 'kind: ConfigMap\nmetadata:\n  name: other\n  namespace: default\n';
    expect(codes(text)).toEqual(['CONFIGMAP_NAME', 'CONFIGMAP_NAMESPACE']);
  });

  it('merged node groups also lose the nodes group', () => {
    expect(codes(readFixture('aws-auth-space-out-of-place.yaml'))).toEqual(['NODE_GROUPS_MISSING', 'GROUP_MERGED']);
  });

  it('counts errors and warnings', () => {
    const result = lintAwsAuth(readFixture('aws-auth-crazy-case-keys.yaml'));
    expect(result.errorCount).toBe(0);
    expect(result.warningCount).toBe(6);
  });
});

describe('lintAwsAuth robustness', () => {
  it('creator check survives an unknown partition', () => {
    const text = roles('- rolearn: arn:foo:iam::1:role/team/admin\n  username: a\n');
    expect(codes(text, { creators: ['arn:aws:iam::1:role/admin'] })).toContain('ARN_INVALID');
  });

  it('arbitrary documents are linted without throwing', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(lintAwsAuth(text, { creators: ['arn:aws:iam::1:role/a'] }).parsed.sourceName).toBe('aws-auth');
      }),
    );
  });

  it('arbitrary mapRoles are linted without throwing', () => {
    const line = fc.constantFrom('- rolearn: ', '  username: ', '  groups:', '  - ', '  sso: {', 'arn:aws:iam::1:role/a/b', '{{SessionName}}', 'yes', '"', "'", '#', ':', ' ', '\t', '\n', '[', '&a', '*a', '<<: ', '!!int ');
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), (parts) => {
        const result = lintAwsAuth(configMapYaml({ mapRoles: parts.join('') }), { nodeRoleHints: ['arn:aws:iam::1:role/a'] });
        expect(result.errorCount + result.warningCount).toBe(result.problems.length);
      }),
    );
  });
});

describe('tab indentation rule', () => {
  it('names the line with the tab', () => {
    const text = 'data:\n  mapRoles: |\n    - rolearn: arn:aws:iam::555555555555:role/dev\n    \tusername: dev\n';
    const found = findings(text, 'TAB_INDENT');
    expect(found.map((problem) => problem.line)).toEqual([4]);
  });

  it('says to indent with spaces', () => {
    const text = 'data:\n  mapUsers: |\n    - userarn: arn:aws:iam::555555555555:user/a\n      \tusername: a\n';
    expect(findings(text, 'TAB_INDENT')[0]?.fix).toBe('indent with spaces only');
  });

  it('ignores tabs inside values', () => {
    expect(findings(readFixture('aws-auth.yaml'), 'TAB_INDENT')).toEqual([]);
  });
});

describe('ConfigMap size rule', () => {
  /** Builds a mapUsers value of `count` entries, each about 100 bytes. */
  function manyUsers(count: number): string {
    return Array.from({ length: count }, (_, index) =>
      `- userarn: arn:aws:iam::555555555555:user/engineer-${index}\n  username: engineer-${index}\n  groups:\n  - dev\n`).join('');
  }

  it('passes under 90% of 1 MiB', () => {
    expect(findings(configMapYaml({ mapUsers: manyUsers(100) }), 'CONFIGMAP_TOO_LARGE')).toEqual([]);
  });

  it('warns over 90% of 1 MiB', () => {
    const mapUsers = manyUsers(10_000);
    const bytes = 'mapUsers'.length + Buffer.byteLength(mapUsers);
    expect(bytes).toBeGreaterThan(0.9 * CONFIGMAP_DATA_LIMIT);
    expect(bytes).toBeLessThanOrEqual(CONFIGMAP_DATA_LIMIT);
    const found = findings(configMapYaml({ mapUsers }), 'CONFIGMAP_TOO_LARGE');
    expect(found.map((problem) => problem.severity)).toEqual(['warning']);
    expect(found[0]?.message).toContain(`${bytes} bytes`);
  });

  it('errs over 1 MiB across keys', () => {
    const mapUsers = manyUsers(6_000);
    const mapRoles = manyUsers(6_000).replaceAll('userarn: arn:aws:iam::555555555555:user/', 'rolearn: arn:aws:iam::555555555555:role/');
    const bytes = 'mapUsers'.length + Buffer.byteLength(mapUsers) + 'mapRoles'.length + Buffer.byteLength(mapRoles);
    expect(bytes).toBeGreaterThan(CONFIGMAP_DATA_LIMIT);
    const found = findings(configMapYaml({ mapUsers, mapRoles }), 'CONFIGMAP_TOO_LARGE');
    expect(found.map((problem) => problem.severity)).toEqual(['error']);
    expect(found[0]?.message).toContain('1048576 bytes');
  });
});

describe('empty document rule', () => {
  it.each([['nothing', ''], ['blank lines', '\n\n  \n'], ['only a comment', '# aws-auth\n']])('errs on %s', (_name, text) => {
    const found = findings(text, 'DOCUMENT_EMPTY');
    expect(found.map((problem) => problem.severity)).toEqual(['error']);
  });

  it('leaves broken YAML to its syntax error', () => {
    expect(findings('data:\n\tmapRoles: x\n', 'DOCUMENT_EMPTY')).toEqual([]);
  });

  it('passes a ConfigMap', () => {
    expect(findings(readFixture('aws-auth.yaml'), 'DOCUMENT_EMPTY')).toEqual([]);
  });
});
