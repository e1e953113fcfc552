import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../../bin/kubeiam.js', import.meta.url));

function demo(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string } {
  const result = spawnSync(process.execPath, [CLI, 'demo', ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout };
}

describe('kubeiam demo', () => {
  it('plays the story with kubectl', () => {
    const result = demo([]);
    expect(result.stdout).toContain('19 passed, 0 failed');
    expect(result.status).toBe(0);
  });

  it('plays the story without kubectl', () => {
    const result = demo(['--no-kubectl']);
    expect(result.stdout).toContain('19 passed, 0 failed');
    expect(result.status).toBe(0);
  });

  it('speaks Chinese with a zh_CN locale', () => {
    const result = demo(['--no-kubectl'], { LANG: 'zh_CN.UTF-8' });
    expect(result.stdout).toContain('全部 19 项检查均符合预期');
    expect(result.status).toBe(0);
  });

  it('labels commands and output in Chinese', () => {
    const result = demo([], { LANG: 'zh_CN.UTF-8' });
    expect(result.stdout).toContain('# 身份：designated_user');
    expect(result.stdout).toContain('# 身份：cluster_creator 角色会话');
    expect(result.stdout).toContain('行类似输出）');
    expect(result.stdout).toMatch(/SessionToken（\d+ 个字符）/);
    expect(result.stdout).not.toContain('# as ');
    expect(result.stdout).not.toContain('similar lines');
    expect(result.status).toBe(0);
  });

  it('never prints a secret key or session token', () => {
    const result = demo(['--no-kubectl']);
    expect(result.stdout).not.toMatch(/AWS_SECRET_ACCESS_KEY=\S|SecretAccessKey\s*[:=]/);
    expect(result.stdout).not.toMatch(/[A-Za-z0-9+/]{40}/);
  });
});
