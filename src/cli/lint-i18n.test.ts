import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/cli.js';
import { addRole, addUser, type EditResult } from '../awsauth/edit.js';
import { lintAwsAuth, type LintOptions } from '../awsauth/lint.js';
import type { Problem } from '../awsauth/types.js';
import { catalogFor, translator } from '../i18n/catalog.js';
import { describeEditWarnings, describeFix, describeProblem, renderProblemPart } from './messages.js';

const ROLE = 'arn:aws:iam::111122223333:role/admin';
const USER = 'arn:aws:iam::111122223333:user/alice';

function configMap(data: string, metadata = 'name: aws-auth\n  namespace: kube-system'): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  ${metadata}\ndata:\n${data}`;
}

function mapRoles(entries: string): string {
  return configMap(`  mapRoles: |\n${indent(entries, 4)}`);
}

function mapUsers(entries: string): string {
  return configMap(`  mapUsers: |\n${indent(entries, 4)}`);
}

function indent(text: string, spaces: number): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : ' '.repeat(spaces) + line))
    .join('\n');
}

function role(arn: string, username = 'admin', groups = '[system:masters]'): string {
  return `- rolearn: ${arn}\n  username: ${username}\n  groups: ${groups}\n`;
}

function bigComment(bytes: number): string {
  return configMap(`  mapRoles: |\n    # ${'x'.repeat(bytes)}\n${indent(role(ROLE), 4)}`);
}

interface Fixture {
  readonly name: string;
  readonly text: string;
  readonly options?: LintOptions;
}

/** Inputs that together make every rule and parse step emit every wording it has. */
const FIXTURES: readonly Fixture[] = [
  { name: 'empty input', text: '' },
  { name: 'creator mapped', text: mapRoles(role(ROLE)), options: { creators: [ROLE] } },
  { name: 'role path', text: mapRoles(role('arn:aws:iam::111122223333:role/team/admin')) },
  { name: 'assumed-role ARN', text: mapRoles(role('arn:aws:sts::111122223333:assumed-role/admin/alice')) },
  {
    name: 'invalid ARNs',
    text: mapRoles([
      role('not-an-arn'),
      role('arn:aws:iam::role'),
      role('arn:aws-xx:iam::111122223333:role/x'),
      role('arn:aws:sts::111122223333:assumed-role/x'),
      role('arn:aws:iam::111122223333:group/admins'),
      role('arn:aws:s3:::bucket'),
      role('arn:aws:iam::1234:role/x'),
      role("'arn:aws:iam::111122223333:role/bad name'"),
    ].join('')),
  },
  { name: 'user ARN in mapRoles', text: mapRoles(role(USER)) },
  { name: 'role ARN in mapUsers', text: mapUsers(`- userarn: ${ROLE}\n  username: admin\n  groups: [system:masters]\n`) },
  { name: 'unquoted template', text: mapRoles(role(ROLE, '{{SessionName}}')) },
  { name: 'duplicate ARN', text: mapRoles(role(ROLE, 'first') + role(ROLE, 'second', '[view]')) },
  {
    name: 'user ARNs differing in case',
    text: mapUsers(`- userarn: ${USER}\n  username: a\n- userarn: arn:aws:iam::111122223333:user/Alice\n  username: b\n`),
  },
  { name: 'entry key case', text: mapRoles(`- RoleArn: ${ROLE}\n  username: admin\n`) },
  { name: 'ignored data keys', text: configMap(`  maproles: |\n${indent(role(ROLE), 4)}  other: value\n`) },
  {
    name: 'merged groups',
    text: mapRoles(`- rolearn: ${ROLE}\n  username: admin\n  groups:\n    - system:masters\n     - view\n- rolearn: arn:aws:iam::111122223333:role/b\n  username: b\n  groups:\n    - "a - b"\n`),
  },
  {
    name: 'SSO partition',
    text: mapRoles(
      '- sso:\n    permissionSetName: Admin\n    accountID: "111122223333"\n    partition: aws\n  username: a\n' +
        '- sso:\n    permissionSetName: View\n    accountID: "111122223333"\n    partition: aws-cn\n  username: b\n',
    ),
  },
  {
    name: 'exact and SSO entry',
    text: mapRoles(
      role('arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0123456789abcdef') +
        '- sso:\n    permissionSetName: Admin\n    accountID: "111122223333"\n  username: sso\n',
    ),
  },
  { name: 'reserved username', text: mapRoles(role(ROLE, 'eks:admin')) },
  { name: 'unknown placeholder', text: mapRoles(role(ROLE, "'{{Unknown}}'")) },
  { name: 'session placeholder for a user', text: mapUsers(`- userarn: ${USER}\n  username: "{{SessionName}}"\n`) },
  { name: 'account IDs', text: configMap('  mapAccounts: |\n    - "1234"\n    - {a: b}\n    - [c]\n') },
  {
    name: 'node roles',
    text: mapRoles(
      role('arn:aws:iam::111122223333:role/nodes-a', "'system:node:{{EC2PrivateDNSName}}'", '[system:nodes]') +
        role('arn:aws:iam::111122223333:role/nodes-b', "'system:node:{{EC2PrivateDNSName}}'", '[]'),
    ),
    options: { nodeRoleHints: ['arn:aws:iam::111122223333:role/nodes-c'] },
  },
  { name: 'ConfigMap identity', text: configMap(`  mapRoles: |\n${indent(role(ROLE), 4)}`, 'name: auth\n  namespace: default') },
  { name: 'tab indentation', text: mapRoles(`- rolearn: ${ROLE}\n\tusername: admin\n`) },
  { name: 'ConfigMap near the size limit', text: bigComment(960 * 1024) },
  { name: 'ConfigMap over the size limit', text: bigComment(1100 * 1024) },
  { name: 'YAML syntax error', text: 'data: [unclosed\n' },
  { name: 'not a mapping', text: '- a\n- b\n' },
  { name: 'wrong kind', text: 'apiVersion: v1\nkind: Secret\ndata: {}\n' },
  { name: 'JSON syntax error', text: '{"data": \n' },
  { name: 'data not a mapping', text: 'apiVersion: v1\nkind: ConfigMap\ndata: text\n' },
  { name: 'data value a list', text: configMap(`  mapRoles:\n${indent(role(ROLE), 4)}`) },
  { name: 'data value a boolean', text: configMap('  mapRoles: true\n') },
  { name: 'data value a number', text: configMap('  mapAccounts: 111122223333\n') },
  { name: 'duplicate data key', text: configMap('  mapRoles: ""\n  mapRoles: ""\n') },
  { name: 'invalid data key', text: configMap('  "map roles": ""\n') },
  { name: 'broken key', text: mapRoles(`- rolearn: ${ROLE}\n  username: [admin\n`) },
  {
    name: 'rejected entries',
    text: configMap(
      `  mapRoles: |\n${indent(
        '- username: a\n' +
          `- rolearn: ${ROLE}\n  sso:\n    permissionSetName: A\n    accountID: "111122223333"\n  username: b\n` +
          '- sso:\n    permissionSetName: A\n    accountID: "12"\n  username: c\n' +
          '- sso:\n    permissionSetName: "bad name"\n    accountID: "111122223333"\n  username: d\n' +
          '- sso:\n    permissionSetName: A\n    accountID: "111122223333"\n    partition: mars\n  username: e\n',
        4,
      )}  mapUsers: |\n    - username: f\n`,
    ),
  },
  {
    name: 'field types',
    text: mapRoles(
      `- rolearn: ${ROLE}\n  username: yes\n` +
        `- rolearn: ${ROLE}-2\n  username: 12\n` +
        `- rolearn: ${ROLE}-3\n  username: [a]\n  groups: {a: b}\n` +
        `- rolearn: ${ROLE}-4\n  sso: text\n`,
    ),
  },
];

/** Catalogue keys no input reaches, each with the reason. */
const UNREACHED: Readonly<Record<string, string>> = {
  // validateSso builds the pattern from fields it has checked, so it always matches a role ARN.
  'lintTerm.recordError.SSO_PATTERN_INVALID': 'a checked SSO entry always forms a valid pattern',
  // No field of RoleMapping or UserMapping is a list of structs.
  'lintTerm.type.mappingList': 'no aws-auth field is a list of mappings',
};

/**
 * Words a Chinese message may keep: aws-auth field and key names, product and protocol names,
 * commands and their flags. Everything else Latin must come from a parameter value.
 */
const KEPT_TERMS = [
  'aws-iam-authenticator', 'aws sts get-caller-identity', 'get configmap', 'lint', 'revoke', 'grant role', '--namespace kube-system', '--output yaml',
  'kubeiam', 'kubectl', 'migrate plan', '--username', '--group', 'system:bootstrappers', 'system:nodes',
  'system:', 'eks:', 'aws:', 'amazon:', 'iam:', 'yes/no/on/off/y/n', 'A-Z a-z 0-9', 'access entries', 'assumed-role', 'assumed role',
  'API server', 'ConfigMap', 'PermissionSetName', 'AccountID', 'mapAccounts', 'mapRoles', 'mapUsers', 'rolearn', 'userarn',
  'username', 'groups', 'partition', 'namespace', 'kube-system', 'aws-auth', 'data', 'kind', 'name', 'sso', 'arn:', 'iam', 'sts',
  'YAML', 'JSON', 'ARN', 'STS', 'IAM', 'SSO', 'EKS', 'AWS', 'KiB', 'MiB', 'Go', 'ID',
];

function lintAll(): Map<string, Problem[]> {
  return new Map(FIXTURES.map((fixture) => [fixture.name, [...lintAwsAuth(fixture.text, fixture.options).problems]]));
}

function allProblems(byFixture: Map<string, Problem[]>): Problem[] {
  return [...byFixture.values()].flat();
}

/** Replaces every parameter value with a marker, so that only the words of the template remain. */
function markValues(params: Problem['params']): Record<string, string> {
  return Object.fromEntries(Object.keys(params ?? {}).map((name) => [name, '\u2022']));
}

/** Renders a problem part with its values marked and the kept terms removed: the words the template wrote. */
function templateWords(problem: Problem, part: 'message' | 'fix'): string {
  const text = renderProblemPart({ ...problem, params: markValues(problem.params) }, part, zh) ?? '';
  return withoutKeptTerms(text);
}

function withoutKeptTerms(text: string): string {
  let rest = text;
  for (const term of [...KEPT_TERMS].sort((a, b) => b.length - a.length)) rest = rest.split(term).join(' ');
  return rest;
}

const en = translator('en');
const zh = translator('zh-CN');
const problems = lintAll();

describe('lint fixtures', () => {
  it.each(FIXTURES.map((fixture) => fixture.name))('%s finds problems', (name) => {
    expect(problems.get(name)?.length ?? 0).toBeGreaterThan(0);
  });

  it('reach every catalogue template', () => {
    const used = new Set<string>();
    for (const problem of allProblems(problems)) {
      const base = problem.variant === undefined ? [] : [`.${problem.variant}`];
      for (const prefix of ['lintMessage', 'lintFix']) {
        for (const suffix of [...base, '']) {
          const key = `${prefix}.${problem.code}${suffix}`;
          if (key in catalogFor('en')) {
            used.add(key);
            break;
          }
        }
      }
      for (const id of Object.values(problem.terms ?? {})) used.add(`lintTerm.${id}`);
    }
    const templates = Object.keys(catalogFor('en')).filter((key) => /^lint(Message|Fix|Term)\./.test(key));
    expect(templates.filter((key) => !used.has(key) && !(key in UNREACHED))).toEqual([]);
  });
});

describe('lint catalogue in English', () => {
  const all = allProblems(problems);

  it.each(all.map((problem) => [problem.code, problem]))('%s message equals the rule text', (_code, problem) => {
    expect(renderProblemPart(problem, 'message', en)).toBe(problem.message);
  });

  it.each(all.map((problem) => [problem.code, problem]))('%s fix equals the rule text', (_code, problem) => {
    expect(problem.fix).toBeDefined();
    expect(renderProblemPart(problem, 'fix', en)).toBe(problem.fix);
  });
});

describe('lint catalogue in Chinese', () => {
  const all = allProblems(problems);

  it.each(all.map((problem) => [problem.code, problem]))('%s message renders in Chinese', (_code, problem) => {
    expect(renderProblemPart(problem, 'message', zh)).toMatch(/[\u4e00-\u9fff]/);
    expect(templateWords(problem, 'message')).not.toMatch(/\{\w+\}/);
    expect(templateWords(problem, 'message')).not.toMatch(/[A-Za-z]{3,}/);
  });

  it.each(all.map((problem) => [problem.code, problem]))('%s fix renders in Chinese', (_code, problem) => {
    expect(renderProblemPart(problem, 'fix', zh)).toMatch(/[\u4e00-\u9fff]/);
    expect(templateWords(problem, 'fix')).not.toMatch(/\{\w+\}/);
    expect(templateWords(problem, 'fix')).not.toMatch(/[A-Za-z]{3,}/);
  });
});

describe('lint catalogue completeness', () => {
  const english = catalogFor('en');
  const chinese = catalogFor('zh-CN');
  const codes = [...new Set(allProblems(problems).map((problem) => problem.code))];

  function placeholders(text: string): string[] {
    return [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '').sort();
  }

  it.each(codes)('%s has message and fix keys', (code) => {
    const keys = Object.keys(english);
    expect(keys.some((key) => key === `lintMessage.${code}` || key.startsWith(`lintMessage.${code}.`))).toBe(true);
    expect(keys.some((key) => key === `lintFix.${code}` || key.startsWith(`lintFix.${code}.`))).toBe(true);
  });

  it.each(Object.keys(english).filter((key) => /^(lint(Message|Fix|Term)|editWarning)\./.test(key)))(
    '%s has the same placeholders in zh-CN',
    (key) => {
      const name = key as keyof typeof english;
      expect(chinese[name]).toBeDefined();
      expect(placeholders(chinese[name])).toEqual(placeholders(english[name]));
    },
  );
});

describe('kubeiam lint --lang', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kubeiam-lint-i18n-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  // The CLI passes --creator but no node role hints, so the fixtures that need hints are checked above.
  const cliFixtures = FIXTURES.filter((fixture) => fixture.options?.nodeRoleHints === undefined);

  it.each(cliFixtures.map((fixture) => [fixture.name, fixture]))('%s prints Chinese details', async (_name, fixture) => {
    const file = join(dir, 'aws-auth.yaml');
    writeFileSync(file, fixture.text);
    const creators = (fixture.options?.creators ?? []).flatMap((arn) => ['--creator', arn]);
    const result = await runCli(['lint', file, '--lang', 'zh-CN', ...creators]);

    expect(result.code).toBe(3);
    for (const problem of problems.get(fixture.name) ?? []) {
      expect(result.stdout).toContain(`[${problem.code}] ${describeProblem(problem, 'zh-CN', zh)}\n`);
      expect(result.stdout).toContain(`修复：${describeFix(problem, 'zh-CN', zh)}\n`);
      expect(result.stdout).not.toContain(problem.message);
    }
    // A full-width colon already separates, so no space follows the Chinese labels.
    expect(result.stdout).not.toMatch(/(错误|警告|修复)： /);
  });

  it.each(cliFixtures.map((fixture) => [fixture.name, fixture]))('%s prints English details', async (_name, fixture) => {
    const file = join(dir, 'aws-auth.yaml');
    writeFileSync(file, fixture.text);
    const creators = (fixture.options?.creators ?? []).flatMap((arn) => ['--creator', arn]);
    const result = await runCli(['lint', file, '--lang', 'en', ...creators]);

    for (const problem of problems.get(fixture.name) ?? []) {
      expect(result.stdout).toContain(`[${problem.code}] ${problem.message}\n`);
      expect(result.stdout).toContain(`fix: ${problem.fix}\n`);
    }
  });

  const vectors = new URL('../../../shared/vectors/aws-auth-fixtures/', import.meta.url);
  const vectorFiles = readdirSync(vectors).filter((name) => name.endsWith('.yaml'));

  it.each(vectorFiles)('%s renders every finding in Chinese', (name) => {
    for (const problem of lintAwsAuth(readFileSync(new URL(name, vectors), 'utf8')).problems) {
      expect(renderProblemPart(problem, 'message', zh)).toMatch(/[\u4e00-\u9fff]/);
      expect(templateWords(problem, 'message')).not.toMatch(/[A-Za-z]{3,}/);
    }
  });
});

describe('grant warnings', () => {
  const duplicate = mapRoles(role(ROLE, 'old') + role(ROLE, 'winner'));
  const results: readonly [string, EditResult][] = [
    ['USERNAME_RESERVED', addRole('', { rolearn: ROLE, username: 'eks:admin' })],
    ['ENTRY_SHADOWED', addRole(duplicate, { rolearn: ROLE, username: 'new' })],
    ['ARN_CASE_DIFFERS', addUser(mapUsers(`- userarn: ${USER}\n  username: a\n`), { userarn: 'arn:aws:iam::111122223333:user/ALICE', username: 'b' })],
    ['CONFIGMAP_TOO_LARGE', addUser(mapUsers(`- userarn: ${USER}\n  username: a\n  groups:\n  - ${'g'.repeat(1024 * 1024)}\n`), { userarn: 'arn:aws:iam::111122223333:user/bob', username: 'bob' })],
  ];

  it.each(results)('%s renders in English as the library wrote it', (code, result) => {
    expect(result.warningDetails?.map((warning) => warning.code)).toContain(code);
    const rendered = (result.warningDetails ?? []).map((warning) => en(`editWarning.${warning.code}`, warning.params));
    expect(rendered).toEqual(result.warnings);
  });

  it.each(results)('%s renders in Chinese', (code, result) => {
    const lines = describeEditWarnings(result, 'zh-CN', zh);
    expect(lines).toHaveLength(result.warnings.length);
    (result.warningDetails ?? []).forEach((warning, index) => {
      expect(lines[index], code).toMatch(/[\u4e00-\u9fff]/);
      const marked = zh(`editWarning.${warning.code}`, markValues(warning.params));
      expect(withoutKeptTerms(marked)).not.toMatch(/[A-Za-z]{3,}|\{\w+\}/);
    });
  });

  it('grant prints the warning in Chinese', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeiam-grant-i18n-'));
    try {
      writeFileSync(join(dir, 'aws-auth.yaml'), duplicate);
      const args = ['grant', 'role', ROLE, '--username', 'new', '--group', 'view', '--file', 'aws-auth.yaml', '--lang', 'zh-CN'];
      const result = await runCli(args, { cwd: dir });
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('mapRoles[0]（第 8 行）映射了同一个 ARN，仍被 mapRoles[1]（第 11 行）覆盖');
      expect(result.stderr).not.toContain('maps the same ARN');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
