import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { configMapYaml } from '../../awsauth/testing.js';
import { runCli } from '../../../test/support/cli.js';

const ACCOUNT = '111122223333';
const CALLER = `arn:aws:sts::${ACCOUNT}:assumed-role/admin/alice`;
let file = '';

beforeAll(() => {
  file = join(mkdtempSync(join(tmpdir(), 'kubeiam-explain-')), 'aws-auth.yaml');
  writeFileSync(file, configMapYaml({ mapRoles: `- rolearn: arn:aws:iam::${ACCOUNT}:role/team/admin\n  username: admin\n  groups: [system:masters]\n` }));
});

describe('explain command', () => {
  it.each([
    ['nonsense', 'invalid prefix'],
    ['arn:aws:s3:::bucket', 'not a valid service'],
  ])('rejects --arn %s with the fix', async (arn, reason) => {
    const result = await runCli(['explain', '--arn', arn, '--file', file]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--arn '${arn}' is not an IAM principal ARN (`);
    expect(result.stderr).toContain(reason);
    expect(result.stderr).toContain('`aws sts get-caller-identity`');
  });

  it('rejects an invalid --arn in Chinese', async () => {
    const result = await runCli(['explain', '--arn', 'nonsense', '--file', file], { env: { LANG: 'zh_CN.UTF-8' } });

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^错误：--arn 'nonsense' 不是 IAM 主体 ARN/);
  });

  it('zh_CN locale prints the trace in Chinese', async () => {
    const result = await runCli(['explain', '--arn', CALLER, '--file', file], { env: { LANG: 'zh_CN.UTF-8' } });

    expect(result.code).toBe(3);
    expect(result.stdout).toContain('按顺序检查：');
    expect(result.stdout).toContain('带有路径，但 STS 报告的 assumed role 不含路径');
    expect(result.stdout).toContain('（第 8 行）');
    expect(result.stdout).toContain('账户 111122223333 不在 mapAccounts 中');
    expect(result.stdout).toContain('[认证链]');
    expect(result.stdout).toContain('（mapRoles，第 8 行）');
    expect(result.stdout).toContain('结果：未通过认证（身份未映射）');
    expect(result.stdout).toContain(`修复：${file} mapRoles[0]（第 8 行）：把 ARN 改为 arn:aws:iam::${ACCOUNT}:role/admin`);
  });

  it.each(['has a path', 'Checked, in order', 'Result:', 'is not in mapAccounts', 'denied', 'change the ARN', '(line '])(
    'zh_CN output has no English "%s"',
    async (phrase) => {
      const result = await runCli(['explain', '--arn', CALLER, '--file', file], { env: { LANG: 'zh_CN.UTF-8' } });

      expect(result.stdout).not.toContain(phrase);
    },
  );

  it('English output keeps the mapping messages', async () => {
    const result = await runCli(['explain', '--arn', CALLER, '--file', file]);

    expect(result.stdout).toContain("has a path, but STS reports assumed roles without it");
    expect(result.stdout).toContain(`Fix: ${file} mapRoles[0] (line 8): change the ARN to arn:aws:iam::${ACCOUNT}:role/admin`);
  });

  it('json keeps English codes in any language', async () => {
    const result = await runCli(['explain', '--arn', CALLER, '--file', file, '-o', 'json'], { env: { LANG: 'zh_CN.UTF-8' } });
    const explanation = JSON.parse(result.stdout) as { steps: { reason: string; message: string; detail?: { id: string } }[] };
    const step = explanation.steps[0];

    expect(step?.reason).toBe('PATH_IN_CONFIGURED_ARN');
    expect(step?.message).toContain('has a path');
    expect(step?.detail?.id).toBe('PATH_IN_CONFIGURED_ARN');
  });

  it('yaml output', async () => {
    const result = await runCli(['explain', '--arn', CALLER, '--file', file, '-o', 'yaml']);

    expect(result.code).toBe(3);
    expect(result.stdout).toContain('reason: PATH_IN_CONFIGURED_ARN');
  });
});
