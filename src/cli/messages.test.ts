import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePrincipal } from '../arn/index.js';
import { addRole, addUser, removeAccount, removeUser } from '../awsauth/edit.js';
import { configMapYaml } from '../awsauth/testing.js';
import { KubeiamError } from '../errors.js';
import { isMessageKey, translator } from '../i18n/catalog.js';
import { runCli } from '../../test/support/cli.js';
import { describeEdit, describeLibraryError, describeProblem, errorMessageKey } from './messages.js';

const ACCOUNT = '111122223333';
const USER = `arn:aws:iam::${ACCOUNT}:user/designated_user`;
const EMPTY = configMapYaml({ mapUsers: '[]\n' });
const BROKEN = configMapYaml({ mapRoles: `- rolearn: arn:aws:iam::${ACCOUNT}:role/node\n  username: {{SessionName}}\n` });
const zh = translator('zh-CN');
const en = translator('en');

function caught(action: () => unknown): KubeiamError {
  try {
    action();
  } catch (error) {
    if (error instanceof KubeiamError) return error;
    throw error;
  }
  throw new Error('expected a KubeiamError');
}

const ERRORS: readonly { code: string; raise: () => unknown; zhPhrase: string }[] = [
  { code: 'ROLE_ARN_HAS_PATH', raise: () => addRole(EMPTY, { rolearn: `arn:aws:iam::${ACCOUNT}:role/team/admin`, username: 'a' }), zhPhrase: '带有路径' },
  { code: 'ASSUMED_ROLE_ARN', raise: () => addRole(EMPTY, { rolearn: `arn:aws:sts::${ACCOUNT}:assumed-role/admin/s`, username: 'a' }), zhPhrase: '请改为映射角色本身' },
  { code: 'ARN_WRONG_KIND', raise: () => addUser(EMPTY, { userarn: `arn:aws:iam::${ACCOUNT}:role/admin`, username: 'a' }), zhPhrase: 'ARN 类型与命令不符' },
  { code: 'ARN_INVALID', raise: () => parsePrincipal('not-an-arn'), zhPhrase: '不是有效的 IAM 主体 ARN' },
  { code: 'ENTRY_NOT_FOUND', raise: () => removeUser(EMPTY, USER), zhPhrase: '没有映射' },
  { code: 'ENTRY_NOT_FOUND', raise: () => removeAccount(EMPTY, ACCOUNT), zhPhrase: 'mapAccounts 中没有' },
  { code: 'EDIT_KEY_BROKEN', raise: () => addUser(BROKEN, { userarn: USER, username: 'u' }), zhPhrase: '解析失败' },
  { code: 'GROUP_INVALID', raise: () => addUser(EMPTY, { userarn: USER, username: 'u', groups: [''] }), zhPhrase: '为空或跨越多行' },
  { code: 'LOCK_TIMEOUT', raise: () => { throw new KubeiamError('LOCK_TIMEOUT', 'timed out', { path: '/tmp/a.lock' }); }, zhPhrase: '超时' },
];

describe('describeLibraryError', () => {
  it.each(ERRORS)('$code in Chinese', ({ code, raise, zhPhrase }) => {
    const error = caught(raise);

    expect(error.code).toBe(code);
    expect(errorMessageKey(error)).toBeDefined();
    expect(describeLibraryError(error, 'zh-CN', zh)).toContain(zhPhrase);
  });

  it.each(ERRORS)('$code in English keeps the message', ({ raise }) => {
    const error = caught(raise);

    expect(describeLibraryError(error, 'en', en)).toBe(error.message);
  });

  it('unknown code falls back to the message', () => {
    const error = new KubeiamError('SOMETHING_NEW', 'plain English');

    expect(describeLibraryError(error, 'zh-CN', zh)).toBe('plain English');
  });

  it('missing detail falls back to the message', () => {
    const error = new KubeiamError('ROLE_ARN_HAS_PATH', 'plain English', { arn: 'x' });

    expect(describeLibraryError(error, 'zh-CN', zh)).toBe('plain English');
  });
});

describe('describeEdit', () => {
  const added = addUser(EMPTY, { userarn: USER, username: 'designated_user', groups: ['system:masters'] });
  const request = { kind: 'user' as const, arn: USER, username: 'designated_user', groups: ['system:masters'] };

  it('English keeps the library summary', () => {
    expect(describeEdit(added, request, 'en', en)).toBe(added.summary);
  });

  it('Chinese names the ARN and username', () => {
    const text = describeEdit(added, request, 'zh-CN', zh);

    expect(text).toContain('已在 mapUsers 中');
    expect(text).toContain(USER);
    expect(text).toContain("'designated_user'");
  });
});

/** Codes that src/awsauth puts on findings and edit errors, read from the source so new codes are caught. */
function awsAuthCodes(): string[] {
  const dir = new URL('../awsauth/', import.meta.url);
  const files = readdirSync(dir).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));
  const lines = files.flatMap((name) => readFileSync(new URL(name, dir), 'utf8').split('\n')).filter((line) => /\bcode: /.test(line));
  return [...new Set(lines.flatMap((line) => [...line.matchAll(/'([A-Z][A-Z_]+)'/g)].map((match) => match[1] ?? '')))].sort();
}

describe('catalogue coverage', () => {
  it.each(awsAuthCodes())('%s has a lint title, error or warning message', (code) => {
    expect(isMessageKey(`lintCode.${code}`) || isMessageKey(`libError.${code}`) || isMessageKey(`editWarning.${code}`)).toBe(true);
  });
});

describe('describeProblem', () => {
  it('Chinese prefixes the code title', () => {
    expect(describeProblem({ code: 'ROLE_ARN_HAS_PATH', message: 'm' }, 'zh-CN', zh)).toBe('角色 ARN 带有路径：m');
  });

  it('unknown code keeps the message', () => {
    expect(describeProblem({ code: 'NEW_RULE', message: 'm' }, 'zh-CN', zh)).toBe('m');
  });
});

describe('aws-auth commands in Chinese', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubeiam-messages-'));
  const file = join(dir, 'aws-auth.yaml');
  const env = { LANG: 'zh_CN.UTF-8' };

  it('grant prints a Chinese summary', async () => {
    writeFileSync(file, EMPTY);
    const result = await runCli(['grant', 'user', USER, '--username', 'designated_user', '--file', file, '--no-backup'], { env });

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('已在 mapUsers 中为');
  });

  it('grant with a role path fails in Chinese', async () => {
    writeFileSync(file, EMPTY);
    const result = await runCli(['grant', 'role', `arn:aws:iam::${ACCOUNT}:role/team/admin`, '--username', 'a', '--file', file], { env });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('错误：');
    expect(result.stderr).toContain('带有路径');
  });

  it('lint prints findings in Chinese', async () => {
    writeFileSync(file, BROKEN);
    const result = await runCli(['lint', file], { env });

    expect(result.code).toBe(3);
    expect(result.stdout).toContain('mapRoles 在第 9 行解析失败');
    expect(result.stdout).toContain('未加引号的模板 {{SessionName}}');
  });

  it('list translates kind and status', async () => {
    writeFileSync(file, configMapYaml({ mapUsers: `- userarn: ${USER}\n  username: a\n- userarn: ${USER}\n  username: b\n` }));
    const result = await runCli(['list', '--file', file], { env });

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('被覆盖');
    expect(result.stdout).toContain('生效');
    expect(result.stdout).toContain('用户');
  });

  it('list -o json keeps English values', async () => {
    writeFileSync(file, configMapYaml({ mapUsers: `- userarn: ${USER}\n  username: a\n` }));
    const result = await runCli(['list', '--file', file, '-o', 'json'], { env });

    expect(result.stdout).toContain('"status": "active"');
    expect(result.stdout).toContain('"kind": "user"');
  });

  it('lint -o yaml keeps English codes', async () => {
    writeFileSync(file, BROKEN);
    const result = await runCli(['lint', file, '-o', 'yaml'], { env });

    expect(result.code).toBe(3);
    expect(result.stdout).toContain('code: KEY_BROKEN');
  });
});
